import { defineConfig, devices } from "@playwright/test";

// Shelf's end-to-end tests: the release binary on a fresh data folder, driven in Debian's
// Chromium (Playwright's own browser download is not reachable here).
const port = Number(process.env.SHELF_E2E_PORT ?? 3111);
const baseURL = `http://127.0.0.1:${port}`;
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
};

export default defineConfig({
  testDir: "./tests",
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: process.env.CI ? 2 : undefined,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "../target/e2e/report" }]],
  outputDir: "../target/e2e/results",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: chromium,
  },
  projects: [
    {
      name: "desktop",
      use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 800 }, launchOptions: chromium },
    },
    {
      name: "phone",
      use: { ...devices["Pixel 7"], launchOptions: chromium },
    },
  ],
  webServer: {
    // A clean store for every run; the binary runs as it would in production.
    command:
      `rm -rf ../target/e2e/data && exec ../target/release/shelf --addr 127.0.0.1:${port} ` +
      `--data-dir ../target/e2e/data --site-root ../target/site --log-format text --log-filter warn`,
    url: `${baseURL}/readyz`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
