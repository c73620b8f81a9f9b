import { type Request } from "@playwright/test";
import path from "node:path";
import { expect, hydrated, test, uniqueName } from "./helpers";

// The create-with-photos flow on the AWS backend (the "aws" project's server: DynamoDB and S3
// on moto_server). Photos go from the browser straight to S3 through pre-signed PUT URLs and
// come back through pre-signed GET URLs; the app server never sees their bytes.

const photos = path.resolve(__dirname, "../../testdata/photos");
const landscape = path.join(photos, "exif-orientation", "Landscape_6.jpg");
const portrait = path.join(photos, "exif-orientation", "Portrait_3.jpg");
const moto = process.env.SHELF_TEST_MOTO_URL!;

test("create an item with photos uploaded straight to S3, see them, delete it", async ({ page, request, baseURL }) => {
  test.setTimeout(90_000);
  const name = uniqueName("Bucketed");
  const appPuts: string[] = [];
  const s3Puts: Request[] = [];
  page.on("request", (r) => {
    if (r.method() !== "PUT") return;
    if (r.url().startsWith(moto)) s3Puts.push(r);
    else if (r.url().startsWith(baseURL!)) appPuts.push(r.url());
  });

  await page.goto("/items/new");
  await hydrated(page);
  await page.getByLabel("Name").fill(name);
  await page.locator("input[type=file]").setInputFiles([landscape, portrait]);
  await expect(page.locator(".photo--ready")).toHaveCount(2, { timeout: 60_000 });
  await page.getByRole("button", { name: "Create item" }).click();
  await page.waitForURL(/\/items\/[0-9a-f-]+$/, { timeout: 60_000 });

  // Two variants of two photos, each PUT to a pre-signed S3 URL, none through the app.
  expect(s3Puts).toHaveLength(4);
  expect(appPuts).toEqual([]);
  for (const put of s3Puts) {
    expect(put.url()).toMatch(/\/uploads\/[^/]+\/[^/]+\/(display|thumb)\.jpg\?.*X-Amz-Signature=/);
    const headers = await put.allHeaders();
    expect(headers["content-type"]).toBe("image/jpeg");
    expect(headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect((await put.response())?.status()).toBe(200);
  }

  // The gallery shows both, upright, from pre-signed GET URLs of the kept objects.
  const images = page.locator(".gallery__image");
  await expect(images).toHaveCount(2);
  const shapes: string[] = [];
  for (let i = 0; i < 2; i++) {
    const image = images.nth(i);
    await image.scrollIntoViewIfNeeded();
    await expect(image).toHaveJSProperty("complete", true);
    const [width, height] = await image.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
    expect(width).toBeGreaterThan(0);
    shapes.push(width > height ? "wide" : "tall");
    const src = (await image.getAttribute("src"))!;
    expect(src.startsWith(moto), src).toBe(true);
    expect(src).toMatch(/\/photos\/[^/]+\/[^/]+\/display\.jpg\?.*X-Amz-Signature=/);
  }
  expect(shapes).toEqual(["wide", "tall"]);

  // Listed, with the cover.
  await page.goto("/");
  const cover = page.locator(".card").filter({ hasText: name }).locator("img.card__cover");
  await expect(cover).toHaveJSProperty("complete", true);
  expect(await cover.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

  // Deleting the item deletes its objects.
  await page.locator(".card").filter({ hasText: name }).getByRole("link").first().click();
  await page.waitForURL(/\/items\/[0-9a-f-]+$/);
  const photoUrl = (await page.locator(".gallery__image").first().getAttribute("src"))!;
  expect((await request.get(photoUrl)).status()).toBe(200);
  await page.getByText("Delete…").click();
  await page.getByRole("button", { name: "Delete permanently" }).click();
  await page.waitForURL("**/");
  expect((await request.get(photoUrl)).status()).toBe(404);
});
