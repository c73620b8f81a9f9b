import { type Browser, type Page } from "@playwright/test";
import { expect, expectNoHorizontalScroll, hydrated, test, uniqueName, watchCsp } from "./helpers";

// Accounts on a server that starts closed (--anonymous-access none) and empty: one per project
// (desktop, phone), since the first run happens once per server. One test, in order: first
// run, an invite for a viewer opened in another browser, what the viewer may not do, a second
// collection through the header's switcher, and "sign out everywhere else".
const PASSWORD = "correct horse battery staple";

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

/** A page in a browser context of its own (another person), its CSP violations counted too. */
async function freshPage(browser: Browser, baseURL: string | undefined, violations: string[]): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  await watchCsp(context, violations);
  return context.newPage();
}

test("first run, an invited viewer, a second collection, and signing out everywhere", async ({ page, browser, baseURL, cspViolations }) => {
  const owner = "owner@example.org";
  // The first visit of an empty Shelf is its first run.
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome to Shelf");
  await expectNoHorizontalScroll(page);
  await page.getByLabel("Your email").fill(owner);
  await page.getByLabel("Password").fill("too short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Password must be at least 12 characters")).toBeVisible();
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await expectNoHorizontalScroll(page);
  await page.goto("/account");
  await expect(page.getByText(`Signed in as ${owner}`)).toBeVisible();

  // The owner adds an item, then invites a viewer.
  const name = uniqueName("Teapot");
  await page.goto("/items/new");
  await hydrated(page);
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create item" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await page.goto("/account");
  await page.locator(".account__list").getByRole("link", { name: "Members" }).click();
  await expect(page).toHaveURL(/\/c\/[0-9a-f-]{36}\/members$/);
  await expect(page.getByText(`${owner} (you)`)).toBeVisible();
  await expectNoHorizontalScroll(page);
  await page.getByLabel("As").selectOption("viewer");
  await page.getByRole("button", { name: "Make an invite link" }).click();
  const link = (await page.locator("code.token").textContent())!.trim();
  expect(link).toMatch(/^\/join\?token=[A-Za-z0-9_-]{86}$/);

  // Another browser follows it and signs up.
  const viewer = await freshPage(browser, baseURL, cspViolations);
  await viewer.goto(link);
  await expect(viewer.getByText("You are invited as viewer.")).toBeVisible();
  await expectNoHorizontalScroll(viewer);
  await viewer.getByLabel("Email").fill("viewer@example.org");
  await viewer.getByLabel("Password").fill("another long passphrase");
  await viewer.getByRole("button", { name: "Make account and join" }).click();
  await expect(viewer).toHaveURL(/\/$/);
  await expect(viewer.getByRole("link", { name })).toBeVisible();
  // The viewer sees no edit controls, and a forced post is refused.
  await expect(viewer.getByRole("link", { name: "New item" })).toHaveCount(0);
  await viewer.getByRole("link", { name }).click();
  await expect(viewer.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(viewer.getByRole("link", { name: "Edit" })).toHaveCount(0);
  await expect(viewer.getByText("Delete…")).toHaveCount(0);
  const forced = await viewer.request.post("/items/new", {
    form: { name: "Forced", description: "" },
    headers: { origin: baseURL! },
  });
  expect(forced.status()).toBe(403);
  // The invite worked once.
  const again = await freshPage(browser, baseURL, cspViolations);
  await again.goto(link);
  await expect(again.getByRole("heading", { level: 1 })).toHaveText("This invite does not work");

  // The owner starts a second collection from the switcher, adds to it, and switches back.
  await page.goto("/");
  const switcher = page.locator("details.switcher");
  await expect(switcher.locator("summary")).toContainText("Home");
  await switcher.locator("summary").click();
  await expectNoHorizontalScroll(page);
  await switcher.getByRole("link", { name: "+ New collection" }).click();
  await page.getByLabel("Name").fill("Workshop");
  await page.getByRole("button", { name: "Create collection" }).click();
  await expect(page).toHaveURL(/\/c\/[0-9a-f-]{36}$/);
  await expect(switcher.locator("summary")).toContainText("Workshop");
  await expect(page.getByText("Your shelf is empty")).toBeVisible();
  await expectNoHorizontalScroll(page);
  const tool = uniqueName("Vice");
  await page.getByRole("link", { name: "Add an item" }).click();
  await hydrated(page);
  await page.getByLabel("Name").fill(tool);
  await page.getByRole("button", { name: "Create item" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(tool);
  const workshop = new URL(page.url()).pathname.split("/items/")[0];
  expect(workshop).toMatch(/^\/c\/[0-9a-f-]{36}$/);
  await switcher.locator("summary").click();
  await switcher.getByRole("link", { name: /Home/ }).click();
  await expect(switcher.locator("summary")).toContainText("Home");
  await expect(page.getByRole("link", { name })).toBeVisible();
  await expect(page.getByRole("link", { name: tool })).toHaveCount(0);
  // The viewer is not in the workshop: it is not in their switcher, and its URL is a 404.
  await viewer.goto("/");
  await viewer.locator("details.switcher summary").click();
  await expect(viewer.locator("details.switcher").getByRole("link", { name: /Workshop/ })).toHaveCount(0);
  const hidden = await viewer.goto(workshop);
  expect(hidden?.status()).toBe(404);
  await expect(viewer.getByRole("heading", { level: 1 })).toHaveText("No such collection");

  // The owner signs in elsewhere too, then signs out everywhere else from the first browser.
  const elsewhere = await freshPage(browser, baseURL, cspViolations);
  await signIn(elsewhere, owner, PASSWORD);
  await page.goto("/account");
  await expect(page.getByText("(this browser)")).toBeVisible();
  await page.getByRole("button", { name: "Sign out everywhere else" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await elsewhere.goto("/");
  await expect(elsewhere).toHaveURL(/\/sign-in/);
  await page.goto("/");
  await expect(page.getByRole("link", { name })).toBeVisible();

  // Signing out ends this session too.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in\?next=%2F$/);
});
