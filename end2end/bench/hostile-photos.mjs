// Runs inside hostile-photos.sh; see there. Each file goes to a fresh photo worker in
// headless Chromium; prints what became of it and the worker's wasm memory afterwards (wasm
// memory only grows, so that is the most it needed at once).
import { launchChromium } from "./browser.mjs";
import fs from "node:fs";
import path from "node:path";

const [base, dir] = process.argv.slice(2);
const names = fs.readdirSync(dir).filter((name) => /\.(jpe?g|png)$/.test(name)).sort();

const browser = await launchChromium();
const page = await browser.newPage();
await page.route("**/hostile/*", (route) => {
  const file = path.join(dir, path.basename(new URL(route.request().url()).pathname));
  route.fulfill({ body: fs.readFileSync(file), contentType: "application/octet-stream" });
});
await page.goto(base + "/");

console.log("\nin the photo worker (Chromium, wasm):");
console.log(`${"file".padEnd(24)} ${"MB".padStart(7)}  ${"result".padEnd(16)} ${"ms".padStart(6)}  wasm memory MiB`);
for (const name of names) {
  const row = await page.evaluate(async (name) => {
    const blob = await (await fetch(`/hostile/${name}`)).blob();
    const worker = new Worker("/photo-worker/worker.js", { type: "module" });
    const start = performance.now();
    const answer = await new Promise((resolve) => {
      worker.onmessage = ({ data }) => data.type !== "progress" && resolve(data);
      worker.onerror = (event) => resolve({ type: "error", code: `crashed: ${event.message}`, memory: 0 });
      worker.postMessage({ id: 1, file: blob });
    });
    const ms = performance.now() - start;
    worker.terminate();
    return { bytes: blob.size, result: answer.type === "done" ? "ok" : answer.code, ms, memory: answer.memory };
  }, name);
  console.log(
    `${name.padEnd(24)} ${(row.bytes / 1e6).toFixed(1).padStart(7)}  ${row.result.padEnd(16)} ${row.ms.toFixed(0).padStart(6)}  ${(row.memory / 2 ** 20).toFixed(0).padStart(6)}`,
  );
}
await browser.close();
