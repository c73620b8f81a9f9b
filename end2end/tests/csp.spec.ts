// The Content-Security-Policy guard every test runs under (helpers.ts) does catch a violation:
// an image from an origin the policy does not name, and an inline <style> element.
import { expect, hydrated, test } from "./helpers";

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
