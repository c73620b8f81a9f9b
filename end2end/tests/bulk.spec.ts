import { createTagged, expect, expectNoHorizontalScroll, hydrated, test, uniqueName, uniqueTag } from "./helpers";

test("bulk-move ten items into a location, then delete every result", async ({ page, request }) => {
  const tag = uniqueTag("batch");
  const shelf = uniqueName("Shelf");
  const created = await request.post("/api/locations", { data: { name: shelf } });
  expect(created.status()).toBe(201);
  const location = await created.json();
  const names: string[] = [];
  for (let i = 0; i < 10; i++) {
    names.push(uniqueName(`Jar ${i}`));
    await createTagged(request, names[i], [tag]);
  }
  const spare = uniqueName("Spare jar");
  await createTagged(request, spare, [tag]);

  // Ten of the eleven ticked in the list; the bar counts them.
  await page.goto(`/?tag=${tag}`);
  await hydrated(page);
  for (const name of names) {
    await page.getByRole("checkbox", { name: `Select ${name}` }).check();
  }
  await expect(page.getByText("10 items selected.")).toBeVisible();
  await expectNoHorizontalScroll(page);
  await page.getByRole("button", { name: "Move…" }).click();

  // The page names and counts them before anything changes.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Move items");
  await expect(page.getByText("10 items selected:")).toBeVisible();
  const selected = page.getByRole("list", { name: "Selected items" }).getByRole("listitem");
  await expect(selected).toHaveCount(10);
  await expect(selected.filter({ hasText: spare })).toHaveCount(0);
  await page.getByLabel("Move them to").selectOption({ label: shelf });
  await page.getByRole("button", { name: "Move 10 items" }).click();
  await expect(page.getByRole("status")).toContainText(`Moved to ${shelf}: 10 items.`);

  // The location holds the ten, not the spare.
  await page.goto(`/locations/${location.id}`);
  const held = page.getByRole("list", { name: "Items" }).locator(":scope > li");
  await expect(held).toHaveCount(10);
  await expect(held.filter({ hasText: spare })).toHaveCount(0);

  // Every result of the tag, the spare included, deleted in one go.
  await page.goto(`/?tag=${tag}`);
  await hydrated(page);
  await page.getByLabel("Select all results").check();
  await expect(page.getByText("Every result is selected.")).toBeVisible();
  await page.getByRole("button", { name: "Delete…" }).click();
  await page.getByRole("button", { name: "Delete 11 items" }).click();
  await expect(page.getByRole("status")).toContainText("Deleted: 11 items.");
  await page.getByRole("link", { name: "Back to the items" }).first().click();
  await expect(page.getByRole("heading", { name: /Nothing matches/ })).toBeVisible();
});
