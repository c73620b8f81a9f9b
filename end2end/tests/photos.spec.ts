import { type Page } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";
import { expect, hydrated, test } from "./helpers";

const photos = path.resolve(__dirname, "../../testdata/photos");
const orientation = (shape: string, n: number) => path.join(photos, "exif-orientation", `${shape}_${n}.jpg`);

/** A file from disk as a buffer, so it can go in one pick with made-up files. */
const file = (filePath: string, mimeType = "image/jpeg") => ({
  name: path.basename(filePath),
  mimeType,
  buffer: fs.readFileSync(filePath),
});

async function openForm(page: Page) {
  await page.goto("/items/new");
  await hydrated(page);
}

/** Mean absolute difference (0–255) between each ready thumbnail and the one named `reference`. */
async function differencesFrom(page: Page, reference: string): Promise<Record<string, number>> {
  return page.evaluate(async (reference) => {
    const rows = [...document.querySelectorAll<HTMLLIElement>(".photo--ready")];
    const pixels = async (img: HTMLImageElement) => {
      await img.decode();
      const canvas = new OffscreenCanvas(img.naturalWidth, img.naturalHeight);
      const context = canvas.getContext("2d")!;
      context.drawImage(img, 0, 0);
      return context.getImageData(0, 0, canvas.width, canvas.height).data;
    };
    const byName = new Map<string, HTMLImageElement>();
    for (const row of rows) byName.set(row.querySelector(".photo__name")!.textContent!, row.querySelector("img")!);
    const base = await pixels(byName.get(reference)!);
    const result: Record<string, number> = {};
    for (const [name, img] of byName) {
      const data = await pixels(img);
      if (data.length !== base.length) {
        result[name] = 255;
        continue;
      }
      let total = 0;
      for (let i = 0; i < data.length; i += 4) {
        total += Math.abs(data[i] - base[i]) + Math.abs(data[i + 1] - base[i + 1]) + Math.abs(data[i + 2] - base[i + 2]);
      }
      result[name] = total / ((data.length / 4) * 3);
    }
    return result;
  }, reference);
}

for (const shape of ["Landscape", "Portrait"]) {
  test(`every EXIF orientation of the ${shape} photo comes out upright`, async ({ page }) => {
    await openForm(page);
    const files = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => orientation(shape, n));
    await page.locator("input[type=file]").setInputFiles(files);
    await expect(page.locator(".photo--ready")).toHaveCount(9, { timeout: 60_000 });
    const differences = await differencesFrom(page, `${shape}_1.jpg`);
    expect(Object.keys(differences)).toHaveLength(9);
    for (const [name, difference] of Object.entries(differences)) {
      expect(difference, `${name} differs from ${shape}_1.jpg`).toBeLessThan(6);
    }
    const size = shape === "Landscape" ? "1600 × 1067" : "1067 × 1600";
    await expect(page.locator(".photo--ready .photo__meta").filter({ hasText: size })).toHaveCount(9);
  });
}

test("phone photos shrink to a fraction of their size", async ({ page }) => {
  await openForm(page);
  await page.locator("input[type=file]").setInputFiles([
    path.join(photos, "phones", "nokia83_gps.jpg"),
    path.join(photos, "phones", "iphone6_gps.jpg"),
  ]);
  const nokia = page.locator(".photo--ready").filter({ hasText: "nokia83_gps.jpg" });
  await expect(nokia).toContainText("1600 × 686");
  await expect(nokia).toContainText("was 2.2 MB");
  const iphone = page.locator(".photo--ready").filter({ hasText: "iphone6_gps.jpg" });
  await expect(iphone).toContainText("1600 × 1200");
  for (const row of [nokia, iphone]) {
    const meta = await row.locator(".photo__meta").first().innerText();
    const kb = Number(/([\d.]+) KB/.exec(meta)?.[1]);
    expect(kb, meta).toBeLessThan(450);
  }
});

test("refused files say why, and nothing else is affected", async ({ page }) => {
  await openForm(page);
  const jpegStart = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
  await page.locator("input[type=file]").setInputFiles([
    file(path.join(photos, "phones", "iphone13promax.heic"), "image/heic"),
    file(path.join(photos, "phones", "ATTRIBUTION.txt"), "text/plain"),
    { name: "cut-off.jpg", mimeType: "image/jpeg", buffer: jpegStart },
    { name: "report.pdf", mimeType: "image/jpeg", buffer: Buffer.from("%PDF-1.7\n%âãÏÓ\n") },
    { name: "empty.png", mimeType: "image/png", buffer: Buffer.alloc(0) },
    file(orientation("Landscape", 1)),
  ]);
  const row = (name: string) => page.locator(".photo").filter({ hasText: name });
  await expect(row("iphone13promax.heic").getByRole("alert")).toContainText("HEIC");
  await expect(row("iphone13promax.heic").getByRole("alert")).toContainText("JPEG");
  await expect(row("ATTRIBUTION.txt").getByRole("alert")).toHaveText("This is a text file, not a photo.");
  await expect(row("cut-off.jpg").getByRole("alert")).toContainText("The file is incomplete");
  await expect(row("report.pdf").getByRole("alert")).toHaveText("This is a PDF document, not a photo.");
  await expect(row("empty.png").getByRole("alert")).toHaveText("The file is empty.");
  await expect(row("Landscape_1.jpg")).toHaveClass(/photo--ready/);

  await row("ATTRIBUTION.txt").getByRole("button", { name: "Remove" }).click();
  await expect(row("ATTRIBUTION.txt")).toHaveCount(0);
  await expect(page.locator(".photo")).toHaveCount(5);
});

test("the imaging wasm loads once the form is interactive, and on no other page", async ({ page }) => {
  const workerRequests: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/photo-worker/")) workerRequests.push(r.url());
  });
  await page.goto("/");
  await hydrated(page);
  await page.waitForLoadState("networkidle");
  expect(workerRequests, "not on the list page").toEqual([]);
  // Nothing touched: the idle browser starts it, so that it is ready by the time photos are
  // picked, but only once the page has loaded.
  await openForm(page);
  await expect.poll(() => workerRequests.some((url) => url.endsWith(".wasm"))).toBe(true);
  const timing = await page.evaluate(() => {
    const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    const worker = performance.getEntriesByType("resource").find((e) => e.name.includes("/photo-worker/"));
    return { loaded: navigation.loadEventEnd, worker: worker?.startTime };
  });
  expect(timing.worker, "the worker after the page's load").toBeGreaterThan(timing.loaded);
  await page.locator("input[type=file]").setInputFiles(orientation("Portrait", 1));
  await expect(page.locator(".photo--ready")).toHaveCount(1);
  expect(workerRequests.filter((url) => url.endsWith(".wasm")), "one worker").toHaveLength(1);
});

test("who saves data loads the imaging wasm only once the form is used", async ({ page }) => {
  await page.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, "connection", { get: () => ({ saveData: true }) }),
  );
  const workerRequests: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/photo-worker/")) workerRequests.push(r.url());
  });
  await openForm(page);
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(500);
  expect(workerRequests).toEqual([]);
  await page.getByLabel("Name").focus();
  await expect.poll(() => workerRequests.some((url) => url.endsWith(".wasm"))).toBe(true);
  await page.locator("input[type=file]").setInputFiles(orientation("Portrait", 1));
  await expect(page.locator(".photo--ready")).toHaveCount(1);
  expect(workerRequests.filter((url) => url.endsWith(".wasm")), "one worker").toHaveLength(1);
});

test("photos can be dropped onto the form", async ({ page }) => {
  await openForm(page);
  const transfer = await page.evaluateHandle(() => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d])], "dropped.pdf"));
    return data;
  });
  await page.locator(".dropzone").dispatchEvent("drop", { dataTransfer: transfer });
  await expect(page.locator(".photo").filter({ hasText: "dropped.pdf" }).getByRole("alert")).toContainText("PDF");
});

test("cancel stops the work in progress; picking again works", async ({ page }) => {
  await openForm(page);
  const many = [];
  for (let n = 0; n <= 8; n++) many.push(orientation("Landscape", n), orientation("Portrait", n));
  await page.locator("input[type=file]").setInputFiles(many);
  // Exact: the photos ready by then are uploading, with their own "Cancel upload".
  await page.getByRole("button", { name: "Cancel", exact: true }).click();
  await expect(page.locator(".photo--working")).toHaveCount(0);
  const kept = await page.locator(".photo").count();
  expect(kept).toBeLessThan(many.length);
  await page.waitForTimeout(500);
  expect(await page.locator(".photo").count(), "nothing arrives after cancelling").toBe(kept);

  await page.locator("input[type=file]").setInputFiles(orientation("Portrait", 6));
  await expect(page.locator(".photo--ready").filter({ hasText: "Portrait_6.jpg" })).toHaveCount(1);
});
