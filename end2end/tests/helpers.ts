import { test as base, expect, type APIRequestContext, type BrowserContext, type Page } from "@playwright/test";

export { expect };

/**
 * Every test, in every context it opens: the pages run under the server's
 * Content-Security-Policy with no violation at all (hydration, the photo worker, placeholders,
 * uploads). Violations are caught as the document's `securitypolicyviolation` events and as
 * the browser's console reports (which also come from workers); the test fails on any.
 */
export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: [
    async ({ context }, use) => {
      const violations: string[] = [];
      await watchCsp(context, violations);
      await use(violations);
      for (const page of context.pages()) {
        violations.push(...(await reported(page)));
      }
      expect(violations, "Content-Security-Policy violations").toEqual([]);
    },
    { auto: true },
  ],
});

/** Starts collecting `context`'s CSP violations into `violations` (for contexts a test opens itself). */
export async function watchCsp(context: BrowserContext, violations: string[]): Promise<void> {
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (event) =>
      seen.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`),
    );
  });
  context.on("console", (message) => {
    if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
  });
  context.on("weberror", (error) => {
    if (/Content.Security.Policy/i.test(String(error.error()))) violations.push(String(error.error()));
  });
}

async function reported(page: Page): Promise<string[]> {
  if (page.isClosed()) return [];
  return page
    .evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [])
    .catch(() => []);
}

/** A name no other test (or earlier run) uses. */
export function uniqueName(label: string): string {
  return `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export type Item = { id: string; name: string; description: string; version: number };

export async function createItem(request: APIRequestContext, name: string, description = ""): Promise<Item> {
  const response = await request.post("/api/items", { data: { name, description } });
  expect(response.status()).toBe(201);
  return response.json();
}

/** A tag no other test uses, one word. */
export function uniqueTag(label: string): string {
  return uniqueName(label).replace(" ", "-");
}

export async function createTagged(request: APIRequestContext, name: string, tags: string[]): Promise<Item> {
  const response = await request.post("/api/items", { data: { name, tags } });
  expect(response.status()).toBe(201);
  return response.json();
}

/** Waits until the wasm has taken over the page (the app marks <html data-hydrated>). */
export async function hydrated(page: Page): Promise<void> {
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
}

/** The page never scrolls sideways: the layout fits the viewport. */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

/**
 * Marks the current document; `expectSamePage` then tells whether every step since ran in the
 * page's islands (results fetched and put in place) rather than loading another page.
 */
export async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { __shelfMark: boolean }).__shelfMark = true));
}

export async function expectSamePage(page: Page): Promise<void> {
  const marked = await page.evaluate(() => (window as unknown as { __shelfMark?: boolean }).__shelfMark === true);
  expect(marked, "the page was reloaded instead of updated in place").toBe(true);
}

/**
 * Records the plain form posts the page makes (a post that loads the next page): hydrated,
 * the forms' islands save through server functions instead, so a test expects none.
 */
export function watchFormPosts(page: Page): string[] {
  const posts: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && request.isNavigationRequest()) posts.push(request.url());
  });
  return posts;
}
