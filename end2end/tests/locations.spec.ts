import { expect, expectNoHorizontalScroll, hydrated, test, uniqueName } from "./helpers";

test("file items into a nested location and browse it", async ({ page }) => {
  const house = uniqueName("House");
  const garage = uniqueName("Garage");
  const box = uniqueName("Box");

  // House › Garage › Box, made on the location pages.
  await page.goto("/locations");
  await page.getByLabel("Name").fill(house);
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(house);
  await page.getByLabel("Name", { exact: true }).fill(garage);
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(garage);
  await page.getByLabel("Name", { exact: true }).fill(box);
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(box);
  const crumbs = page.getByRole("navigation", { name: "Breadcrumb" });
  await expect(crumbs.getByRole("link", { name: house })).toBeVisible();
  await expect(crumbs.getByRole("link", { name: garage })).toBeVisible();

  // An item filed in the box from its form.
  const drill = uniqueName("Drill");
  await page.goto("/items/new");
  await hydrated(page);
  await page.getByLabel("Name").fill(drill);
  await page.getByRole("combobox", { name: "Location" }).selectOption({ label: `${house} › ${garage} › ${box}` });
  await page.getByRole("button", { name: "Create item" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(drill);
  const where = page.getByRole("navigation", { name: "Where it is" });
  await expect(where.getByRole("link", { name: box })).toBeVisible();

  // Browsing down from the top: each level counts what is inside it.
  await where.getByRole("link", { name: house }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(house);
  const inside = page.locator(".location-tree");
  await expect(inside.getByRole("listitem").filter({ hasText: garage }).first()).toContainText("1 item");
  await expect(page.getByRole("list", { name: "Items" }).getByRole("link", { name: drill })).toBeVisible();
  await expectNoHorizontalScroll(page);

  // A location cannot go into itself; moving the garage to the top takes the box along.
  await inside.getByRole("link", { name: garage }).click();
  await page.getByLabel("Into", { exact: true }).selectOption({ label: "The top (in no other location)" });
  await page.getByRole("button", { name: "Move" }).click();
  await expect(page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: house })).toHaveCount(0);
  await expect(page.getByRole("list", { name: "Items" }).getByRole("link", { name: drill })).toBeVisible();
  const intoItself = page.getByLabel("Into", { exact: true }).locator("option", { hasText: box });
  await expect(intoItself).toHaveCount(0);
});
