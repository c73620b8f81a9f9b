// The browser's own JPEG decoder inside a worker, timed the ways the photo pipeline could use
// it: createImageBitmap of the whole photo (upright per EXIF), the same asked to resize to the
// display size (1600 px long edge), and either one with its pixels read back (what our wasm
// resize and encode would need). Compare with the "decode" stage photo-pipeline.sh prints.
//
//   bash end2end/bench/photo-pipeline.sh    # makes the inputs
//   cd end2end && node bench/browser-decoder.mjs
import { launchChromium, median } from "./browser.mjs";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";

const dir = path.resolve("../target/bench/photo-pipeline");
const names = ["nokia", "twelve"];
const RUNS = Number(process.env.RUNS ?? 7);

// Runs in the worker: one way of decoding, timed from the Blob to what that way yields.
const worker = `
onmessage = async ({ data: { blob, mode } }) => {
  const probe = await createImageBitmap(blob, { imageOrientation: "from-image" });
  const [w, h] = probe.width >= probe.height
    ? [1600, Math.round((probe.height * 1600) / probe.width)]
    : [Math.round((probe.width * 1600) / probe.height), 1600];
  probe.close();
  const start = performance.now();
  const options = { imageOrientation: "from-image" };
  if (mode.startsWith("resized")) Object.assign(options, { resizeWidth: w, resizeHeight: h, resizeQuality: "high" });
  const bitmap = await createImageBitmap(blob, options);
  if (mode.endsWith("+pixels")) {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext("2d");
    context.drawImage(bitmap, 0, 0);
    context.getImageData(0, 0, bitmap.width, bitmap.height);
  }
  bitmap.close();
  postMessage(performance.now() - start);
};`;

const server = http
  .createServer((request, response) => {
    if (request.url === "/") return response.end("<!doctype html><title>decoder</title>");
    if (request.url === "/worker.js") {
      response.setHeader("content-type", "text/javascript");
      return response.end(worker);
    }
    const file = path.join(dir, path.basename(request.url));
    if (!fs.existsSync(file)) return response.writeHead(404).end();
    response.setHeader("content-type", "image/jpeg");
    response.end(fs.readFileSync(file));
  })
  .listen(0, "127.0.0.1");
await new Promise((resolve) => server.once("listening", resolve));
const browser = await launchChromium();
const page = await browser.newPage();
await page.goto(`http://127.0.0.1:${server.address().port}/`);
const modes = ["whole", "whole+pixels", "resized", "resized+pixels"];
console.log(`median of ${RUNS} runs, ms`.padEnd(24) + modes.map((m) => m.padStart(16)).join(""));
for (const name of names) {
  const times = await page.evaluate(
    async ({ name, modes, runs }) => {
      const blob = await (await fetch(`/${name}.jpg`)).blob();
      const worker = new Worker("/worker.js");
      const run = (mode) => new Promise((resolve) => {
        worker.onmessage = ({ data }) => resolve(data);
        worker.postMessage({ blob, mode });
      });
      const out = {};
      for (const mode of modes) out[mode] = [];
      await run("whole"); // warm-up
      for (let i = 0; i < runs; i++) for (const mode of modes) out[mode].push(await run(mode));
      worker.terminate();
      return out;
    },
    { name, modes, runs: RUNS },
  );
  console.log(name.padEnd(24) + modes.map((m) => median(times[m]).toFixed(0).padStart(16)).join(""));
}
await browser.close();
server.close();
