import { expect, type APIRequestContext, type Page } from "@playwright/test";

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
 * Marks the current document; `stillSamePage` then tells whether every step since ran in the
 * hydrated app (client-side navigation, server functions) rather than reloading the page.
 */
export async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { __shelfMark: boolean }).__shelfMark = true));
}

export async function expectSamePage(page: Page): Promise<void> {
  const marked = await page.evaluate(() => (window as unknown as { __shelfMark?: boolean }).__shelfMark === true);
  expect(marked, "the page was reloaded instead of updated in place").toBe(true);
}
