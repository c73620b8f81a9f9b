// Runs inside photo-pipeline.sh; see there. Prints one table per input photo.
import { launchChromium } from "./browser.mjs";
import fs from "node:fs";
import path from "node:path";

const [base, dir, ...names] = process.argv.slice(2);
const RUNS = Number(process.env.RUNS ?? 7);

const browser = await launchChromium();
const page = await browser.newPage();
// The bench's inputs are served to the page from disk under /bench/.
await page.route("**/bench/*", (route) => {
  const file = path.join(dir, path.basename(new URL(route.request().url()).pathname));
  route.fulfill({ body: fs.readFileSync(file), contentType: file.endsWith(".png") ? "image/png" : "image/jpeg" });
});
await page.goto(base + "/");

for (const name of names) {
  const result = await page.evaluate(
    async ({ name, runs }) => {
      const blob = await (await fetch(`/bench/${name}.jpg`)).blob();
      const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

      // SSIM on luma over 8×8 windows (the classic constants), against a reference PNG.
      const lumaOf = async (source) => {
        const bitmap = await createImageBitmap(source);
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext("2d");
        context.drawImage(bitmap, 0, 0);
        const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
        const luma = new Float64Array(bitmap.width * bitmap.height);
        for (let i = 0; i < luma.length; i++) luma[i] = 0.299 * data[4 * i] + 0.587 * data[4 * i + 1] + 0.114 * data[4 * i + 2];
        return { luma, width: bitmap.width, height: bitmap.height };
      };
      const ssim = async (output, referenceUrl) => {
        const a = await lumaOf(output);
        const b = await lumaOf(await (await fetch(referenceUrl)).blob());
        if (a.width !== b.width || a.height !== b.height) return NaN;
        const [c1, c2] = [(0.01 * 255) ** 2, (0.03 * 255) ** 2];
        let sum = 0, windows = 0;
        for (let y = 0; y + 8 <= a.height; y += 4) {
          for (let x = 0; x + 8 <= a.width; x += 4) {
            let ma = 0, mb = 0;
            for (let j = 0; j < 8; j++) for (let i = 0; i < 8; i++) { const k = (y + j) * a.width + x + i; ma += a.luma[k]; mb += b.luma[k]; }
            ma /= 64; mb /= 64;
            let va = 0, vb = 0, cov = 0;
            for (let j = 0; j < 8; j++) for (let i = 0; i < 8; i++) {
              const k = (y + j) * a.width + x + i; const da = a.luma[k] - ma, db = b.luma[k] - mb;
              va += da * da; vb += db * db; cov += da * db;
            }
            va /= 63; vb /= 63; cov /= 63;
            sum += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
            windows++;
          }
        }
        return sum / windows;
      };

      // (1) Ours: the app's worker, timed from posting the file to receiving both variants.
      const worker = new Worker("/photo-worker/worker.js", { type: "module" });
      let longest = 0;
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longest = Math.max(longest, entry.duration);
      });
      const viaWorker = (id) => new Promise((resolve, reject) => {
        worker.onmessage = ({ data }) => {
          if (data.id !== id || data.type === "progress") return;
          data.type === "done" ? resolve(data.result) : reject(new Error(data.message));
        };
        worker.postMessage({ id, file: blob });
      });
      // (2) Canvas, as browser-image-compression does it: decode to a bitmap (upright per
      // EXIF), draw scaled onto an OffscreenCanvas, encode with convertToBlob.
      let sizes;
      const viaCanvas = async () => {
        const bitmap = await createImageBitmap(blob, { imageOrientation: "from-image" });
        const out = [];
        for (const [w, h] of sizes) {
          const canvas = new OffscreenCanvas(w, h);
          const context = canvas.getContext("2d");
          context.imageSmoothingQuality = "high";
          context.drawImage(bitmap, 0, 0, w, h);
          out.push(await canvas.convertToBlob({ type: "image/jpeg", quality: 0.8 }));
        }
        bitmap.close();
        return out;
      };

      // Warm-up (compiles the wasm; not timed), then runs taken in turns so that a slow
      // moment of the machine hits both pipelines alike.
      let ours = await viaWorker(0);
      sizes = [[ours.display.width, ours.display.height], [ours.thumb.width, ours.thumb.height]];
      await viaCanvas();
      observer.observe({ type: "longtask" });
      const oursTimes = [];
      const canvasTimes = [];
      let canvasOut;
      for (let run = 1; run <= runs; run++) {
        let start = performance.now();
        ours = await viaWorker(run);
        oursTimes.push(performance.now() - start);
        observer.disconnect(); // the canvas runs on this thread; only ours is watched
        start = performance.now();
        canvasOut = await viaCanvas();
        canvasTimes.push(performance.now() - start);
        await new Promise((r) => setTimeout(r, 50));
        observer.observe({ type: "longtask" });
      }
      observer.disconnect();
      worker.terminate();
      const oursDisplay = new Blob([ours.display.bytes], { type: "image/jpeg" });
      const oursThumb = new Blob([ours.thumb.bytes], { type: "image/jpeg" });

      const [refDisplay, refThumb] = [`/bench/${name}-ref-1600.png`, `/bench/${name}-ref-400.png`];
      return {
        name,
        source: `${ours.source.width}×${ours.source.height}, ${(blob.size / 1e6).toFixed(2)} MB`,
        ours: {
          ms: median(oursTimes),
          stages: ours.timings,
          bytes: [oursDisplay.size, oursThumb.size],
          ssim: [await ssim(oursDisplay, refDisplay), await ssim(oursThumb, refThumb)],
          longestTask: longest,
        },
        canvas: {
          ms: median(canvasTimes),
          bytes: [canvasOut[0].size, canvasOut[1].size],
          ssim: [await ssim(canvasOut[0], refDisplay), await ssim(canvasOut[1], refThumb)],
        },
      };
    },
    { name, runs: RUNS },
  );
  const row = (label, r) =>
    `${label.padEnd(14)} ${r.ms.toFixed(0).padStart(6)} ms  ${String(r.bytes[0]).padStart(8)} + ${String(r.bytes[1]).padStart(6)} B` +
    `  SSIM ${r.ssim[0].toFixed(4)} / ${r.ssim[1].toFixed(4)}`;
  console.log(`\n${result.name}: ${result.source}, median of ${RUNS} runs (display 1600 px + thumbnail 400 px)`);
  console.log(row("worker+wasm", result.ours));
  console.log(row("canvas", result.canvas));
  const s = result.ours.stages;
  console.log(
    `ours / canvas: time ${(result.ours.ms / result.canvas.ms).toFixed(2)}×, bytes ${((result.ours.bytes[0] + result.ours.bytes[1]) / (result.canvas.bytes[0] + result.canvas.bytes[1])).toFixed(2)}×` +
      `; our stages (last run, ${s.total.toFixed(0)} ms in all): decode ${s.decode.toFixed(0)}, orient ${s.orient.toFixed(0)}, resize ${s.resize.toFixed(0)}, encode ${s.encode.toFixed(0)}, placeholder ${s.placeholder.toFixed(0)} ms` +
      `; longest main-thread task during ours: ${result.ours.longestTask ? result.ours.longestTask.toFixed(0) + " ms" : "none over 50 ms"}`,
  );
}
await browser.close();
