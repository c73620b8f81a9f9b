// Time to interactive of Shelf's list page in Chromium, for one or more builds of the site.
//
//   node bench/hydration.mjs <label>=<base URL> [...]
//
// For each build: RUNS cold page loads, taken in turns, (fresh context, cache empty) of "/" holding 50 items,
// with the CPU throttled 4x (a mid-range phone). Prints the median milliseconds from
// navigation start to the wasm having hydrated the page (`<html data-hydrated>`), and the
// ratio to the first build given.
import { launchChromium, median } from "./browser.mjs";

const RUNS = Number(process.env.RUNS ?? 15);
const builds = process.argv.slice(2).map((arg) => arg.split("="));
if (builds.length === 0) {
  console.error("usage: node bench/hydration.mjs label=http://127.0.0.1:PORT ...");
  process.exit(2);
}

const browser = await launchChromium();

async function timeToInteractive(base) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.documentElement.hasAttribute("data-hydrated")) {
        window.__hydratedAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-hydrated"] });
  });
  await page.goto(base + "/");
  await page.waitForFunction(() => window.__hydratedAt !== undefined, null, { timeout: 30_000 });
  const ms = await page.evaluate(() => window.__hydratedAt);
  await context.close();
  return ms;
}

const times = builds.map(() => []);
for (const [, base] of builds) await timeToInteractive(base); // warm the servers
// Round robin, so a slow moment of the machine hits every build alike.
for (let i = 0; i < RUNS; i++) {
  for (const [b, [, base]] of builds.entries()) times[b].push(await timeToInteractive(base));
}
await browser.close();
const results = builds.map(([label], b) => ({
  label,
  median: median(times[b]),
  min: Math.min(...times[b]),
  max: Math.max(...times[b]),
}));

const baseline = results[0].median;
console.log(`time to interactive, list page of 50 items, CPU 4x throttled, ${RUNS} cold loads each`);
for (const r of results) {
  console.log(
    `${r.label.padEnd(10)} median ${r.median.toFixed(0).padStart(5)} ms  (min ${r.min.toFixed(0)}, max ${r.max.toFixed(0)})  ${(r.median / baseline).toFixed(2)}x of ${results[0].label}`,
  );
}
