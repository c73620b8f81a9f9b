import { createItem, expect, expectNoHorizontalScroll, expectSamePage, hydrated, markPage, test, uniqueName } from "./helpers";

/** The unique word of a `uniqueName`, with one letter left out: a typo search must forgive. */
function misspelt(name: string): string {
  const word = name.split(" ").pop()!;
  return word.slice(0, 3) + word.slice(4);
}

test("find an item by a misspelt word as you type, and open it", async ({ page, request }) => {
  const screwdriver = uniqueName("Cordless screwdriver");
  const hammer = screwdriver.replace("Cordless screwdriver", "Claw hammer");
  await createItem(request, screwdriver, "Blue case, 20 bits");
  await createItem(request, hammer, "Wooden handle");
  await page.goto("/");
  await hydrated(page);
  await markPage(page);

  // The island fetches the list page for what is typed (not a navigation: the page stays).
  const searches: string[] = [];
  page.on("request", (r) => {
    if (r.resourceType() === "fetch" && new URL(r.url()).searchParams.has("q")) searches.push(r.url());
  });
  const box = page.getByRole("searchbox", { name: "Search items" });
  // Typed key by key: the results follow after each pause, not after every key.
  const query = `screwdiver ${misspelt(screwdriver)}`;
  await box.pressSequentially(query, { delay: 20 });
  await expect(page).toHaveURL(new RegExp(`\\?q=screwdiver\\+${misspelt(screwdriver)}$`));
  const cards = page.getByRole("list", { name: "Items" }).getByRole("listitem");
  await expect(cards).toHaveCount(1);
  await expect(page.getByRole("link", { name: screwdriver })).toBeVisible();
  expect(searches.length, `one search per pause, not per key: ${searches.length}`).toBeLessThanOrEqual(3);
  await expectNoHorizontalScroll(page);

  // Nothing matches: said so, and the box keeps what was typed.
  await box.fill(`xylophone ${misspelt(screwdriver)}`);
  await expect(page.getByText("Nothing matches")).toBeVisible();
  await box.fill(misspelt(screwdriver));
  await expect(cards).toHaveCount(2);
  await expectSamePage(page);

  await page.getByRole("link", { name: screwdriver }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(screwdriver);

  // The search is in the address: reloading it shows the same results.
  await page.goto(`/?q=${encodeURIComponent(misspelt(screwdriver))}`);
  await expect(page.getByRole("searchbox", { name: "Search items" })).toHaveValue(misspelt(screwdriver));
  await expect(cards).toHaveCount(2);
});

test("a search typed before the wasm arrives is shown once it has", async ({ page, request }) => {
  const lamp = uniqueName("Reading lamp");
  await createItem(request, lamp, "Brass");
  // The wasm is held back until the box has been typed into.
  let release = () => {};
  const typed = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/*.wasm", async (route) => {
    await typed;
    await route.continue();
  });
  await page.goto("/");
  const word = lamp.split(" ").pop()!;
  await page.getByRole("searchbox", { name: "Search items" }).fill(word);
  release();
  await hydrated(page);
  await expect(page).toHaveURL(new RegExp(`\\?q=${word}$`));
  const cards = page.getByRole("list", { name: "Items" }).getByRole("listitem");
  await expect(cards).toHaveCount(1);
  await expect(page.getByRole("link", { name: lamp })).toBeVisible();
});
