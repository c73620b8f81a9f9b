// The Content-Security-Policy guard every test runs under (helpers.ts) does catch a violation:
// an image from an origin the policy does not name, and an inline <style> element.
import { createItem, expect, hydrated, test, uniqueName, watchCsp } from "./helpers";

test("a policy violation is caught by the guard every test runs under", async ({ page, cspViolations }) => {
  await page.goto("/");
  await hydrated(page);
  await page.evaluate(() => {
    const image = document.createElement("img");
    image.src = "http://127.0.0.2:9/not-allowed.png";
    document.body.appendChild(image);
    const style = document.createElement("style");
    style.textContent = "body { outline: 1px solid red }";
    document.head.appendChild(style);
  });
  const seen = () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
  const expected = [expect.stringMatching(/^img-src blocked http:\/\/127\.0\.0\.2:9/), expect.stringMatching(/^style-src-elem blocked inline/)];
  await expect.poll(seen).toEqual(expect.arrayContaining(expected));
  // The browser's console says so too (what catches violations in workers).
  await expect.poll(() => cspViolations.length).toBe(2);
  // Seen, so this test's own violations are cleared for the guard's final check.
  await page.evaluate(() => ((window as unknown as { __cspViolations: string[] }).__cspViolations.length = 0));
  cspViolations.length = 0;
});

test("a page revalidated (304) or sent as the server kept it hydrates under its own nonce", async ({ page, browser, request, cspViolations }) => {
  const item = await createItem(request, uniqueName("Kept"));
  const first = await page.goto("/");
  await hydrated(page);
  const tag = first?.headers()["etag"];
  expect(tag).toMatch(/^W\/"v[0-9a-f]{16}"$/);
  const reload = await page.reload();
  await hydrated(page);
  await expect(page.getByRole("link", { name: item.name }).first()).toBeVisible();
  // The browser asked with the page's tag: 304 and its own copy, or (when another test wrote
  // to the collection meanwhile) the new page; either way it hydrates under its own nonce.
  expect((await reload?.request().allHeaders())?.["if-none-match"]).toBe(tag);

  // A browser with no copy of its own gets the page the server kept (the same anonymous
  // viewer, unless the collection changed meanwhile), with the nonce of its own response.
  const other = await browser.newContext();
  await watchCsp(other, cspViolations);
  const fresh = await other.newPage();
  const response = await fresh.goto("/");
  await hydrated(fresh);
  const nonce = (response?.headers()["content-security-policy"] ?? "").match(/'nonce-([^']+)'/)?.[1];
  expect(nonce).toBeTruthy();
  const scripts = await fresh.locator("script").evaluateAll((elements) => elements.map((element) => (element as HTMLScriptElement).nonce));
  expect(scripts.length).toBeGreaterThan(0);
  expect(new Set(scripts)).toEqual(new Set([nonce]));
  const seen = await fresh.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
  expect(seen).toEqual([]);
  await other.close();
});
