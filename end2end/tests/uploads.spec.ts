import { type CDPSession, type Page, type Request } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";
import { expect, hydrated, test, uniqueName } from "./helpers";

const photos = path.resolve(__dirname, "../../testdata/photos");
const landscape = path.join(photos, "exif-orientation", "Landscape_6.jpg");
const portrait = path.join(photos, "exif-orientation", "Portrait_3.jpg");
const nokia = path.join(photos, "phones", "nokia83_gps.jpg");
const heic = path.join(photos, "phones", "iphone13promax.heic");

/** Every gallery image has loaded, and each is upright: landscape photos wider than tall. */
async function expectGallery(page: Page, shapes: ("wide" | "tall")[]) {
  const images = page.locator(".gallery__image");
  await expect(images).toHaveCount(shapes.length);
  for (let i = 0; i < shapes.length; i++) {
    const image = images.nth(i);
    await image.scrollIntoViewIfNeeded();
    await expect(image).toHaveJSProperty("complete", true);
    const size = await image.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
    expect(size[0], `photo ${i + 1} loaded`).toBeGreaterThan(0);
    expect(size[0] > size[1] ? "wide" : "tall", `photo ${i + 1} is upright`).toBe(shapes[i]);
  }
}

/** Limits the page's upload speed through Chromium's network emulation, so upload progress
 * can be seen and interrupted. The session it returns lifts the limit with `uploadRate(…, -1)`. */
async function throttleUploads(page: Page, bytesPerSecond: number): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await uploadRate(cdp, bytesPerSecond);
  return cdp;
}

/** Bytes per second; -1 for no limit. */
async function uploadRate(cdp: CDPSession, bytesPerSecond: number) {
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: bytesPerSecond < 0 ? 0 : 20,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond,
  });
}

function photoIdOf(src: string | null): string {
  const match = /\/photos\/[^/]+\/([^/]+)\//.exec(src ?? "");
  expect(match, `a photo URL: ${src}`).not.toBeNull();
  return match![1];
}

test.describe("with JavaScript", () => {
  test("an item with three real photos: progress, list thumbnail, upright gallery, remove, cover, delete", async ({
    page,
    request,
  }) => {
    test.setTimeout(90_000);
    const name = uniqueName("Camera bag");
    await page.goto("/items/new");
    await hydrated(page);
    await page.getByLabel("Name").fill(name);

    // Slow the upload down so its progress can be seen, and count what goes over the wire.
    const cdp = await throttleUploads(page, 150 * 1024);
    const puts: Request[] = [];
    page.on("request", (r) => {
      if (r.method() === "PUT" && r.url().includes("/uploads/")) puts.push(r);
    });
    await page.locator("input[type=file]").setInputFiles([landscape, portrait, nokia]);
    // Each photo uploads as soon as it is ready, before the item exists.
    await expect(page.locator(".photo__upload progress").first()).toBeVisible({ timeout: 30_000 });
    await expect.poll(() => puts.length, { timeout: 30_000 }).toBeGreaterThan(0);
    await expect(page.locator(".photo--ready")).toHaveCount(3, { timeout: 60_000 });
    const id = await page.locator("input[name=id]").inputValue();
    expect((await request.get(`/api/items/${id}`)).status(), "the item is not created yet").toBe(404);
    await page.getByRole("button", { name: "Create item" }).click();
    await expect(page.getByRole("button", { name: "Uploading photos…" })).toBeDisabled();
    await page.waitForURL(`**/items/${id}`, { timeout: 60_000 });
    await uploadRate(cdp, -1);

    expect(puts).toHaveLength(6);
    // Chromium does not report blob bodies' sizes to Playwright; the Content-Length it sent does.
    const sent = await Promise.all(
      puts.map(async (r) => ({ url: r.url(), body: Number((await r.allHeaders())["content-length"]) })),
    );
    const original = fs.statSync(nokia).size;
    const item = await (await request.get(`/api/items/${page.url().split("/").pop()}`)).json();
    const nokiaPhoto = item.photos[2];
    const nokiaSent = sent.filter((s) => s.url.includes(`/${nokiaPhoto.id}/`)).reduce((sum, s) => sum + s.body, 0);
    console.log(
      `nokia83_gps.jpg: ${original} bytes on disk, ${nokiaSent} bytes uploaded ` +
        `(${((100 * nokiaSent) / original).toFixed(1)} %, both variants)`,
    );
    expect(nokiaSent).toBeGreaterThan(50_000);
    expect(nokiaSent).toBeLessThan(original * 0.1);

    await expect(page.getByRole("heading", { name })).toBeVisible();
    await expectGallery(page, ["wide", "tall", "wide"]);
    await expect(page.locator(".gallery__image").first()).toHaveAttribute("alt", `${name}, photo 1 of 3`);

    await page.goto("/");
    const card = page.locator(".card").filter({ hasText: name });
    const cover = card.locator("img.card__cover");
    await expect(cover).toHaveJSProperty("complete", true);
    expect(await cover.evaluate((img: HTMLImageElement) => img.currentSrc)).toMatch(/\/(thumb|display)\.jpg\?expires=\d+&signature=/);
    expect(await cover.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    const firstId = photoIdOf(await cover.getAttribute("src"));

    // Edit: remove the second photo, then make the (new) second the cover; no reloads.
    await page.goto(`/items/${item.id}/edit`);
    await hydrated(page);
    const tiles = page.locator(".photo-manager__item");
    await expect(tiles).toHaveCount(3);
    const removedSrc = (await tiles.nth(1).locator("img").getAttribute("src"))!;
    expect((await request.get(removedSrc)).status()).toBe(200);
    await tiles.nth(1).getByRole("button", { name: "Remove" }).click();
    await expect(tiles).toHaveCount(2);
    const newCoverId = photoIdOf(await tiles.nth(1).locator("img").getAttribute("src"));
    await tiles.nth(1).getByRole("button", { name: "Make cover" }).click();
    await expect(tiles.nth(0).locator(".photo-manager__cover")).toBeVisible();
    await expect.poll(async () => photoIdOf(await tiles.nth(0).locator("img").getAttribute("src"))).toBe(newCoverId);
    // Saving the text afterwards is not a conflict: the form follows the photo changes.
    await page.getByLabel("Description").fill("Two photos left");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(`**/items/${item.id}`);
    await expectGallery(page, ["wide", "wide"]);
    const order = await page.locator(".gallery__image").evaluateAll((imgs) => imgs.map((i) => i.getAttribute("src")));
    expect(order.map(photoIdOf)).toEqual([newCoverId, firstId]);
    // The removed photo's files are gone: its own signed URL finds nothing.
    expect((await request.get(removedSrc)).status()).toBe(404);

    const mediaUrl = (await page.locator(".gallery__image").first().getAttribute("src"))!;
    await page.getByText("Delete…").click();
    await page.getByRole("button", { name: "Delete permanently" }).click();
    await page.waitForURL("**/");
    expect((await request.get(mediaUrl)).status()).toBe(404);
  });

  test("a failed upload is retried with backoff, and a refused file uploads nothing", async ({ page, request }) => {
    test.setTimeout(60_000);
    const name = uniqueName("Retry");
    let attempts = 0;
    await page.route("**/uploads/**", async (route) => {
      attempts += 1;
      if (attempts <= 2) await route.abort("connectionreset");
      else await route.continue();
    });
    const puts: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "PUT") puts.push(r.url());
    });
    await page.goto("/items/new");
    await hydrated(page);
    await page.getByLabel("Name").fill(name);
    await page.locator("input[type=file]").setInputFiles([portrait, heic]);
    await expect(page.locator(".photo--ready")).toHaveCount(1, { timeout: 30_000 });
    await expect(page.locator(".photo--refused").getByRole("alert")).toContainText("HEIC");
    await page.getByRole("button", { name: "Create item" }).click();
    await page.waitForURL(/\/items\/[0-9a-f-]+$/, { timeout: 30_000 });
    // Both variants go at once: the first two PUTs failed and each was tried again (4 PUTs,
    // one photo's two URLs).
    expect(attempts).toBe(4);
    expect(new Set(puts).size).toBe(2);
    await expectGallery(page, ["tall"]);
    const item = await (await request.get(`/api/items/${page.url().split("/").pop()}`)).json();
    expect(item.photos).toHaveLength(1);
  });

  test("an upload that keeps failing says so, keeps the item, and succeeds when saved again", async ({ page }) => {
    test.setTimeout(60_000);
    const name = uniqueName("Flaky");
    let failing = true;
    await page.route("**/uploads/**", async (route) => {
      if (failing) await route.fulfill({ status: 503, body: "{\"error\": \"busy\"}" });
      else await route.continue();
    });
    await page.goto("/items/new");
    await hydrated(page);
    await page.getByLabel("Name").fill(name);
    await page.locator("input[type=file]").setInputFiles([landscape]);
    await expect(page.locator(".photo--ready")).toHaveCount(1, { timeout: 30_000 });
    await page.getByRole("button", { name: "Create item" }).click();
    await expect(page.locator(".photo__error")).toContainText("tried 4 times", { timeout: 20_000 });
    await expect(page.getByRole("alert").filter({ hasText: "Saved, but not every photo was uploaded" })).toBeVisible();

    failing = false;
    await page.getByRole("button", { name: "Create item" }).click();
    await page.waitForURL(/\/items\/[0-9a-f-]+$/, { timeout: 30_000 });
    await expectGallery(page, ["wide"]);
  });
});

test("photos upload while the form is filled in; one removed after its upload is left out", async ({
  page,
  request,
}) => {
  test.setTimeout(60_000);
  const name = uniqueName("Early");
  await page.goto("/items/new");
  await hydrated(page);
  await page.locator("input[type=file]").setInputFiles([landscape, portrait]);
  // Both arrive in storage before the item has a name, let alone exists.
  await expect(page.locator(".photo__sent")).toHaveCount(2, { timeout: 30_000 });
  await page.locator(".photo").filter({ hasText: "Landscape_6.jpg" }).getByRole("button", { name: "Remove" }).click();
  await page.getByLabel("Name").fill(name);
  const id = await page.locator("input[name=id]").inputValue();
  await page.getByRole("button", { name: "Create item" }).click();
  await page.waitForURL(`**/items/${id}`, { timeout: 30_000 });
  await expectGallery(page, ["tall"]);
  const item = await (await request.get(`/api/items/${id}`)).json();
  expect(item.photos).toHaveLength(1);
});

test("an upload can be cancelled: nothing is attached, the item stays", async ({ page, request }) => {
  test.setTimeout(60_000);
  const name = uniqueName("Cancelled");
  await page.goto("/items/new");
  await hydrated(page);
  await page.getByLabel("Name").fill(name);
  await throttleUploads(page, 20 * 1024);
  await page.locator("input[type=file]").setInputFiles([landscape, portrait]);
  await expect(page.locator(".photo--ready")).toHaveCount(2, { timeout: 30_000 });
  await page.getByRole("button", { name: "Create item" }).click();
  await expect(page.locator(".photo__upload progress").first()).toBeVisible();
  await page.getByRole("button", { name: "Cancel upload" }).click();
  await expect(page.locator(".photo__error")).toHaveCount(2);
  await expect(page.locator(".photo__error").first()).toContainText("Cancelled");
  await expect(page.getByRole("alert").filter({ hasText: "Saved, but not every photo was uploaded" })).toBeVisible();
  const link = page.getByRole("link", { name: "go to the item" });
  const id = (await link.getAttribute("href"))!.split("/").pop();
  const item = await (await request.get(`/api/items/${id}`)).json();
  expect(item.name).toBe(name);
  expect(item.photos).toEqual([]);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the same flow as plain form posts: create with photos, remove, cover, delete", async ({ page, request }) => {
    test.setTimeout(90_000);
    const name = uniqueName("Plain camera");
    await page.goto("/items/new");
    await page.getByLabel("Name").fill(name);
    await page.locator("input[name=photos]").setInputFiles([landscape, portrait, nokia]);
    await page.getByRole("button", { name: "Create item" }).click();
    await page.waitForURL(/\/items\/[0-9a-f-]+$/, { timeout: 60_000 });
    await expectGallery(page, ["wide", "tall", "wide"]);
    const id = page.url().split("/").pop()!;

    await page.goto("/");
    await expect(page.locator(".card").filter({ hasText: name }).locator("img.card__cover")).toHaveJSProperty(
      "complete",
      true,
    );

    await page.goto(`/items/${id}/edit`);
    const tiles = page.locator(".photo-manager__item");
    await expect(tiles).toHaveCount(3);
    const removedSrc = (await tiles.nth(0).locator("img").getAttribute("src"))!;
    await tiles.nth(0).getByRole("button", { name: "Remove" }).click();
    await page.waitForURL(`**/items/${id}/edit`);
    await expect(tiles).toHaveCount(2);
    const nokiaId = photoIdOf(await tiles.nth(1).locator("img").getAttribute("src"));
    await tiles.nth(1).getByRole("button", { name: "Make cover" }).click();
    await page.waitForURL(`**/items/${id}/edit`);
    expect(photoIdOf(await tiles.nth(0).locator("img").getAttribute("src"))).toBe(nokiaId);
    expect((await request.get(removedSrc)).status()).toBe(404);

    await page.goto(`/items/${id}`);
    await expectGallery(page, ["wide", "tall"]);
    await page.getByText("Delete…").click();
    await page.getByRole("button", { name: "Delete permanently" }).click();
    await page.waitForURL("**/");
    const item = await request.get(`/api/items/${id}`);
    expect(item.status()).toBe(404);
  });

  test("a refused file shows its message and uploads nothing", async ({ page, request }) => {
    const name = uniqueName("Refused");
    await page.goto("/items/new");
    await page.getByLabel("Name").fill(name);
    await page.locator("input[name=photos]").setInputFiles([portrait, heic]);
    await page.getByRole("button", { name: "Create item" }).click();
    await expect(page.getByRole("alert")).toContainText("iphone13promax.heic: This is an HEIC photo");
    await expect(page.getByLabel("Name")).toHaveValue(name);
    const list = await (await request.get("/api/items?limit=100")).json();
    expect(list.some((item: { name: string }) => item.name === name)).toBe(false);
  });
});
