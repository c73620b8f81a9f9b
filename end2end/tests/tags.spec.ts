import { createTagged, expect, expectNoHorizontalScroll, hydrated, test, uniqueName, uniqueTag } from "./helpers";

test("tag an item with a suggested tag, filter the list by it, and rename it", async ({ page, request }) => {
  const tag = uniqueTag("garage");
  const drill = uniqueName("Drill");
  await createTagged(request, drill, [tag, "power tools"]);

  // The tag field suggests the collection's tags as the start of one is typed.
  const saw = uniqueName("Saw");
  await page.goto("/items/new");
  await hydrated(page);
  await page.getByLabel("Name").fill(saw);
  const tags = page.getByRole("textbox", { name: "Tags" });
  await tags.pressSequentially(tag.slice(0, tag.length - 2));
  await page.getByRole("button", { name: tag, exact: true }).click();
  await expect(tags).toHaveValue(`${tag}, `);
  await page.getByLabel("Quantity").fill("4");
  await page.getByRole("button", { name: "Create item" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(saw);
  await expect(page.getByRole("definition")).toHaveText("4");

  // The item's tag is a link to the list of the items that have it.
  await page.getByRole("list", { name: "Tags" }).getByRole("link", { name: tag }).click();
  await expect(page).toHaveURL(new RegExp(`\\?tag=${tag}$`));
  // The cards themselves, not the tag chips within them.
  const cards = page.getByRole("list", { name: "Items" }).locator(":scope > li");
  await expect(cards).toHaveCount(2);
  await expect(page.getByRole("link", { name: `Stop filtering by ${tag}` })).toBeVisible();
  await expectNoHorizontalScroll(page);

  // A search within the tag keeps the tag. The link loaded a new page: the results follow the
  // typing once its search box has hydrated (before that, the box is a plain GET form).
  await hydrated(page);
  await page.getByRole("searchbox", { name: "Search items" }).fill(drill.split(" ").pop()!);
  await expect(page).toHaveURL(new RegExp(`\\?q=[^&]+&tag=${tag}$`));
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText(drill);

  // Renamed on the tags page, on both items.
  const renamed = uniqueTag("workshop");
  await page.goto("/tags");
  await page.getByRole("textbox", { name: `New name for ${tag}` }).fill(renamed);
  await page
    .getByRole("listitem")
    .filter({ has: page.getByRole("textbox", { name: `New name for ${tag}` }) })
    .getByRole("button", { name: "Rename" })
    .click();
  await expect(page.getByRole("status")).toContainText(`Renamed “${tag}” to “${renamed}” on 2 items.`);
  await page.goto(`/?tag=${renamed}`);
  await expect(cards).toHaveCount(2);
});
