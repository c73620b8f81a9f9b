import {
  createItem,
  expect,
  expectNoHorizontalScroll,
  expectSamePage,
  hydrated,
  markPage,
  test,
  uniqueName,
  watchFormPosts,
} from "./helpers";

test("create, find in the list, open, edit and delete an item", async ({ page, request }) => {
  const name = uniqueName("Brass lamp");
  const formPosts = watchFormPosts(page);
  await page.goto("/");
  await hydrated(page);
  await expectNoHorizontalScroll(page);

  await page.getByRole("link", { name: "New item" }).click();
  await expect(page).toHaveURL(/\/items\/new$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("New item");
  await hydrated(page);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Description").fill("Works.\nThe shade has a small dent.");
  await page.getByRole("button", { name: "Create item" }).click();

  await expect(page).toHaveURL(/\/items\/[0-9a-f-]{36}$/);
  const id = page.url().split("/").pop()!;
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByText("The shade has a small dent.")).toBeVisible();
  await expectNoHorizontalScroll(page);

  await page.getByRole("link", { name: "All items" }).click();
  const card = page.getByRole("link", { name });
  await expect(card).toBeVisible();
  await card.click();
  await expect(page).toHaveURL(new RegExp(`/items/${id}$`));

  await page.getByRole("link", { name: "Edit" }).click();
  await expect(page).toHaveURL(new RegExp(`/items/${id}/edit$`));
  await expect(page.getByLabel("Name")).toHaveValue(name);
  await hydrated(page);
  await page.getByLabel("Name").fill(`${name} (polished)`);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL(new RegExp(`/items/${id}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${name} (polished)`);
  expect((await (await request.get(`/api/items/${id}`)).json()).version).toBe(2);

  await hydrated(page);
  await page.getByText("Delete…").click();
  await expect(page.getByText("This cannot be undone.")).toBeVisible();
  await page.getByRole("button", { name: "Delete permanently" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("link", { name: `${name} (polished)` })).toHaveCount(0);
  expect((await request.get(`/api/items/${id}`)).status()).toBe(404);
  expect(formPosts, "the islands saved and deleted through server functions").toEqual([]);
});

test("the form checks input as the server does, before sending it", async ({ page }) => {
  await page.goto("/items/new");
  await hydrated(page);
  const requests: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST") requests.push(r.url());
  });

  await page.getByRole("button", { name: "Create item" }).click();
  await expect(page.getByText("Name is required.")).toBeVisible();
  await expect(page.getByLabel("Name")).toBeFocused();
  await expect(page.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("Name").fill("x".repeat(101));
  await expect(page.getByText("Name must be at most 100 characters (it has 101).")).toBeVisible();
  await expect(page.locator("#name-count")).toHaveText("101 / 100");

  // Characters, not bytes or UTF-16 units: 100 emoji are a valid name.
  await page.getByLabel("Name").fill("🦀".repeat(100));
  await expect(page.locator("#name-error")).toBeEmpty();

  await page.getByLabel("Description").fill("d".repeat(501));
  await page.getByLabel("Name").focus();
  await expect(page.getByText("Description must be at most 500 characters (it has 501).")).toBeVisible();
  await page.getByRole("button", { name: "Create item" }).click();
  await expect(page.getByLabel("Description")).toBeFocused();

  expect(requests).toEqual([]);
  await expect(page).toHaveURL(/\/items\/new$/);
});

test("a stale edit tells who won and keeps the user's text", async ({ page, request }) => {
  const item = await createItem(request, uniqueName("Desk"), "Oak");
  const formPosts = watchFormPosts(page);
  await page.goto(`/items/${item.id}/edit`);
  await hydrated(page);

  const theirs = `${item.name} (theirs)`;
  const put = await request.put(`/api/items/${item.id}`, {
    data: { name: theirs, description: "Oak, refinished" },
  });
  expect(put.status()).toBe(200);

  await page.getByLabel("Name").fill(`${item.name} (mine)`);
  await page.getByRole("button", { name: "Save changes" }).click();
  const notice = page.getByRole("alert").filter({ hasText: "Someone else changed this item" });
  await expect(notice).toBeVisible();
  await expect(notice.getByText(theirs)).toBeVisible();
  await expect(notice.getByText("Oak, refinished")).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveValue(`${item.name} (mine)`);
  await expect(page).toHaveURL(new RegExp(`/items/${item.id}/edit$`));

  // Saving again, having seen theirs, wins.
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL(new RegExp(`/items/${item.id}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${item.name} (mine)`);
  expect((await (await request.get(`/api/items/${item.id}`)).json()).version).toBe(3);
  expect(formPosts, "the island saved through a server function").toEqual([]);
});

test("a stale edit can start again from the stored version", async ({ page, request }) => {
  const item = await createItem(request, uniqueName("Shelf"), "Pine");
  await page.goto(`/items/${item.id}/edit`);
  await hydrated(page);
  await request.put(`/api/items/${item.id}`, { data: { name: `${item.name} v2`, description: "Pine" } });
  await page.getByLabel("Name").fill("Mine");
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.getByRole("link", { name: "start from their version" }).click();
  await expect(page.getByLabel("Name")).toHaveValue(`${item.name} v2`);
});

test("load more appends the next page", async ({ page, request }) => {
  const label = uniqueName("Paged");
  for (let i = 0; i < 53; i++) {
    await createItem(request, `${label} #${i}`);
  }
  await page.goto("/");
  await hydrated(page);
  await markPage(page);
  const cards = page.locator(".card");
  await expect(cards).toHaveCount(50);
  const loadMore = page.getByRole("link", { name: "Load more" });
  for (let round = 0; round < 10 && (await loadMore.count()) > 0; round++) {
    const before = await cards.count();
    await loadMore.click();
    await expect.poll(() => cards.count()).toBeGreaterThan(before);
  }
  await expect(page).toHaveURL(/\/$/);
  const names = await page.locator(".card__title").allTextContents();
  expect(new Set(names).size).toBe(names.length);
  for (let i = 0; i < 53; i++) {
    expect(names).toContain(`${label} #${i}`);
  }
  // Newest first.
  expect(names.indexOf(`${label} #52`)).toBeLessThan(names.indexOf(`${label} #0`));
  await expectSamePage(page);
});

test("a missing item is a real 404 page", async ({ page }) => {
  const response = await page.goto("/items/0b6b7c1e-35a4-4d3e-9b1f-2f6a8f0c9d11");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Nothing here" })).toBeVisible();
  const nonsense = await page.goto("/no/such/page");
  expect(nonsense?.status()).toBe(404);
});

test("a form submitted before the wasm arrives still saves", async ({ page }) => {
  await page.route("**/*.wasm", (route) => route.abort());
  const name = uniqueName("Early bird");
  await page.goto("/items/new");
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create item" }).click();
  await expect(page).toHaveURL(/\/items\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
});

test("text with markup characters shows verbatim, in pages, titles and the form", async ({ page, request }) => {
  const name = `</title><b>${uniqueName("Tags & <ampersands>")}</b>`;
  const description = "</textarea><script>window.__pwned = true</script> &amp; stays";
  const item = await createItem(request, name, description);

  await page.goto(`/items/${item.id}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page).toHaveTitle(`${name} · Shelf`);
  await hydrated(page);
  await expect(page).toHaveTitle(`${name} · Shelf`);

  await page.getByRole("link", { name: "Edit" }).click();
  await expect(page.getByLabel("Name")).toHaveValue(name);
  await expect(page.getByLabel("Description")).toHaveValue(description);
  // Loaded directly (server-rendered), too.
  await page.goto(`/items/${item.id}/edit`);
  await expect(page.getByLabel("Description")).toHaveValue(description);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
});
