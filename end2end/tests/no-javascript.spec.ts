import { createItem, createTagged, expect, test, uniqueName, uniqueTag } from "./helpers";

test.use({ javaScriptEnabled: false });

test("every step works as plain HTML forms", async ({ page, request }) => {
  const name = uniqueName("Typewriter");
  await page.goto("/");
  await page.getByRole("link", { name: "New item" }).click();

  // The server validates and shows the form again with the input kept.
  await page.getByLabel("Name").fill("   ");
  await page.getByLabel("Description").fill("Olivetti, 1964");
  const invalid = page.waitForResponse((r) => r.request().method() === "POST");
  await page.getByRole("button", { name: "Create item" }).click();
  expect((await invalid).status()).toBe(422);
  await expect(page.locator("#name-error")).toHaveText("Name is required.");
  await expect(page.getByLabel("Description")).toHaveValue("Olivetti, 1964");

  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create item" }).click();
  await expect(page).toHaveURL(/\/items\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  const id = page.url().split("/").pop()!;

  await page.getByRole("link", { name: "All items" }).click();
  await page.getByRole("link", { name }).click();

  await page.getByRole("link", { name: "Edit" }).click();
  await page.getByLabel("Name").fill(`${name} (serviced)`);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL(new RegExp(`/items/${id}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${name} (serviced)`);

  // Delete: the confirmation is a <details>, which needs no script.
  await page.getByText("Delete…").click();
  await page.getByRole("button", { name: "Delete permanently" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("link", { name: `${name} (serviced)` })).toHaveCount(0);
  expect((await request.get(`/api/items/${id}`)).status()).toBe(404);
});

test("a stale edit without JavaScript shows the conflict and can be saved over", async ({ page, request }) => {
  const item = await createItem(request, uniqueName("Bicycle"), "Red");
  await page.goto(`/items/${item.id}/edit`);
  await request.put(`/api/items/${item.id}`, { data: { name: `${item.name} (theirs)`, description: "Blue" } });

  await page.getByLabel("Name").fill(`${item.name} (mine)`);
  const conflict = page.waitForResponse((r) => r.request().method() === "POST");
  await page.getByRole("button", { name: "Save changes" }).click();
  expect((await conflict).status()).toBe(409);
  await expect(page.getByText("Someone else changed this item")).toBeVisible();
  await expect(page.getByText("Blue")).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveValue(`${item.name} (mine)`);

  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${item.name} (mine)`);
});

test("a second page is a link", async ({ page, request }) => {
  const label = uniqueName("Link paged");
  for (let i = 0; i < 51; i++) {
    await createItem(request, `${label} #${i}`);
  }
  await page.goto("/");
  await page.getByRole("link", { name: "Load more" }).click();
  await expect(page).toHaveURL(/\?cursor=/);
  await expect(page.getByRole("link", { name: "← Newest items" })).toBeVisible();
  await expect(page.locator(".card").first()).toBeVisible();
});

test("search is a plain GET form", async ({ page, request }) => {
  const name = uniqueName("Café grinder");
  await createItem(request, name, "Burr, hand-cranked");
  await page.goto("/");
  const word = name.split(" ").pop()!;
  await page.getByRole("searchbox", { name: "Search items" }).fill(`cafe ${word.slice(0, 3)}${word.slice(4)}`);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(/\?q=cafe\+/);
  await expect(page.getByRole("link", { name })).toBeVisible();
  await expect(page.getByRole("list", { name: "Items" }).getByRole("listitem")).toHaveCount(1);
});


test("tags and a quantity are plain form fields, and a tag links to its items", async ({ page }) => {
  const name = uniqueName("Ladder");
  const tag = uniqueName("shed").replace(" ", "-");
  await page.goto("/items/new");
  await page.getByLabel("Name").fill(name);
  await page.getByRole("textbox", { name: "Tags" }).fill(`${tag}, a,b`);
  await page.getByLabel("Quantity").fill("-2");
  const invalid = page.waitForResponse((r) => r.request().method() === "POST");
  await page.getByRole("button", { name: "Create item" }).click();
  expect((await invalid).status()).toBe(422);
  await expect(page.locator("#quantity-error")).toContainText("whole number");
  await expect(page.getByRole("textbox", { name: "Tags" })).toHaveValue(`${tag}, a,b`);

  await page.getByRole("textbox", { name: "Tags" }).fill(`${tag}, ladders`);
  await page.getByLabel("Quantity").fill("2");
  await page.getByRole("button", { name: "Create item" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await page.getByRole("list", { name: "Tags" }).getByRole("link", { name: tag }).click();
  await expect(page).toHaveURL(new RegExp(`\\?tag=${tag}$`));
  await expect(page.getByRole("list", { name: "Items" }).locator(":scope > li")).toHaveCount(1);
  await expect(page.getByRole("link", { name })).toBeVisible();
});

test("bulk changes are a GET form, a count and a post", async ({ page, request }) => {
  const tag = uniqueTag("crate");
  const names = [uniqueName("Mug"), uniqueName("Bowl"), uniqueName("Plate")];
  for (const name of names) await createTagged(request, name, [tag]);
  await page.goto(`/?tag=${tag}`);
  await page.getByRole("checkbox", { name: `Select ${names[0]}` }).check();
  await page.getByRole("checkbox", { name: `Select ${names[2]}` }).check();
  await page.getByRole("button", { name: "Tag…", exact: true }).click();
  await expect(page.getByText("2 items selected:")).toBeVisible();
  await page.getByLabel("Tags to add (separated by commas)").fill("fragile, kitchen");
  await page.getByRole("button", { name: "Add tags to 2 items" }).click();
  await expect(page.getByRole("status")).toContainText("Tagged “fragile, kitchen”: 2 items.");
  await page.goto(`/?tag=${tag}&tag=fragile`);
  const cards = page.getByRole("list", { name: "Items" }).locator(":scope > li");
  await expect(cards).toHaveCount(2);
  await expect(cards.filter({ hasText: names[1] })).toHaveCount(0);

  // Every result of the first tag: the untag page offers the tags they have, with counts.
  await page.goto(`/?tag=${tag}`);
  await page.getByLabel("Select all results").check();
  await page.getByRole("button", { name: "Untag…" }).click();
  await expect(page.getByText("3 items selected:")).toBeVisible();
  await page.getByLabel("fragile (2 items)").check();
  await page.getByRole("button", { name: "Remove tags from 3 items" }).click();
  await expect(page.getByRole("status")).toContainText("Took away “fragile”: 2 items.");
  await expect(page.getByRole("status")).toContainText("1 item needed no change.");
});
