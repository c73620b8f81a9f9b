// The photo flow as a phone user feels it: open the new item form, pick three phone photos,
// create the item; how long from the pick until the item is saved with its photos.
//
//   node bench/phone-flow.mjs <label>=<base URL> [...] -- <photo> <photo> <photo>
//
// Each run: a fresh Pixel 7 context, the CPU throttled 4× and the network to 9 Mbit/s down,
// 3 Mbit/s up, 60 ms round trips (a phone on a fair mobile connection), the form loaded until
// hydrated; the name typed as a person types it (TYPING_MS between keys, 120 by default;
// 0 fills it at once, and the photos are picked the moment the form is hydrated, with the
// photo worker still loading: quicker than any person), the photos picked,
// processed (until all three are ready), then "Create item" clicked until the item's page
// shows all three photos (in its HTML; their images may still be loading). RUNS runs per
// build, in turns. Prints the median of each phase per build, and the ratio of the total to
// the first build's.
import { devices } from "@playwright/test";
import { launchChromium, median } from "./browser.mjs";

const RUNS = Number(process.env.RUNS ?? 5);
const TYPING_MS = Number(process.env.TYPING_MS ?? 120);
const separator = process.argv.indexOf("--");
const builds = process.argv.slice(2, separator).map((arg) => arg.split("="));
const photos = process.argv.slice(separator + 1);
if (separator < 0 || builds.length === 0 || photos.length === 0) {
  console.error("usage: node bench/phone-flow.mjs label=http://127.0.0.1:PORT ... -- photo.jpg ...");
  process.exit(2);
}

const browser = await launchChromium();

async function flow(base) {
  const context = await browser.newContext({ ...devices["Pixel 7"] });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 60,
    downloadThroughput: (9e6 / 8) | 0,
    uploadThroughput: (3e6 / 8) | 0,
  });
  await page.goto(base + "/items/new");
  await page.locator("html[data-hydrated]").waitFor({ state: "attached", timeout: 60_000 });
  const name = page.getByLabel("Name");
  if (TYPING_MS > 0) await name.pressSequentially("Phone flow", { delay: TYPING_MS });
  else await name.fill("Phone flow");
  const picked = performance.now();
  await page.locator("input[type=file]").setInputFiles(photos);
  await page.locator(".photo--ready").nth(photos.length - 1).waitFor({ timeout: 60_000 });
  const ready = performance.now();
  await page.getByRole("button", { name: "Create item" }).click();
  await page.waitForURL(/\/items\/[0-9a-f-]+$/, { timeout: 60_000, waitUntil: "commit" });
  await page.locator(".gallery__image").nth(photos.length - 1).waitFor({ state: "attached", timeout: 30_000 });
  const saved = performance.now();
  const shown = await page.locator(".gallery__image").count();
  await context.close();
  if (shown !== photos.length) throw new Error(`the item shows ${shown} photos, not ${photos.length}`);
  return { process: ready - picked, save: saved - ready, total: saved - picked };
}

const runs = builds.map(() => []);
for (const [, base] of builds) await flow(base); // warm the servers and the browser's caches
for (let i = 0; i < RUNS; i++) {
  for (const [b, [, base]] of builds.entries()) runs[b].push(await flow(base));
}
await browser.close();

console.log(
  `${photos.length} photos, pick to saved, Pixel 7, CPU 4x, 9/3 Mbit/s, 60 ms RTT, ` +
    `${TYPING_MS} ms between keys; median of ${RUNS}`,
);
const totals = runs.map((r) => median(r.map((x) => x.total)));
for (const [b, [label]] of builds.entries()) {
  const phase = (key) => (median(runs[b].map((x) => x[key])) / 1000).toFixed(2);
  const all = runs[b].map((x) => (x.total / 1000).toFixed(2)).join(" ");
  console.log(
    `${label.padEnd(10)} process ${phase("process")} s  save ${phase("save")} s  total ${phase("total")} s` +
      `  (${(totals[b] / totals[0]).toFixed(2)}x of ${builds[0][0]}; runs: ${all})`,
  );
}
