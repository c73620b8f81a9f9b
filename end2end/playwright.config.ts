import { defineConfig, devices } from "@playwright/test";

// Shelf's end-to-end tests: the release binary on a fresh data folder, driven in Debian's
// Chromium (Playwright's own browser download is not reachable here).
const port = Number(process.env.SHELF_E2E_PORT ?? 3111);
const baseURL = `http://127.0.0.1:${port}`;

// A second server on the AWS backend, over moto_server for both DynamoDB and S3 (moto answers
// browsers' CORS preflights; s3s-fs does not). `server/tests/with-aws-servers.sh` starts moto
// and passes its URL; `make e2e-test` runs Playwright through it.
const moto = process.env.SHELF_TEST_MOTO_URL;
if (!moto) {
  throw new Error(
    "SHELF_TEST_MOTO_URL is not set: run `make e2e-test`, or " +
      "`bash ../server/tests/with-aws-servers.sh npx playwright test`",
  );
}
const awsPort = port + 1;
const awsBaseURL = `http://127.0.0.1:${awsPort}`;
const run = Date.now().toString(36);
const awsEnv = {
  ...process.env,
  SHELF_STORE: "aws",
  SHELF_DYNAMODB_TABLE: `e2e-items-${run}`,
  SHELF_DYNAMODB_ACCOUNTS_TABLE: `e2e-accounts-${run}`,
  SHELF_S3_BUCKET: `e2e-photos-${run}`,
  SHELF_UPLOAD_SECRET: "end-to-end tests' upload secret, 32+ chars",
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "e2e",
  AWS_SECRET_ACCESS_KEY: "e2e-secret",
  AWS_ENDPOINT_URL: moto,
} as Record<string, string>;
// Two closed, empty servers for the accounts flow (its first run happens once per server): one
// for the desktop project, one for the phone project.
const accountsPort = { desktop: port + 2, phone: port + 3 };
const accountsServer = (project: "desktop" | "phone") => ({
  command:
    `rm -rf ../target/e2e/accounts-${project} && exec ../target/release/shelf --addr 127.0.0.1:${accountsPort[project]} --metrics-addr 127.0.0.1:0 --writes-per-minute 100000 --pending-uploads-per-client 100000 ` +
    `--data-dir ../target/e2e/accounts-${project} --site-root ../target/site --log-format text --log-filter warn ` +
    `--anonymous-access none`,
  url: `http://127.0.0.1:${accountsPort[project]}/readyz`,
  reuseExistingServer: false,
  timeout: 30_000,
});
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
      testIgnore: /(aws|accounts)\.spec\.ts/,
      use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 800 }, launchOptions: chromium },
    },
    {
      name: "phone",
      testIgnore: /(aws|accounts)\.spec\.ts/,
      use: { ...devices["Pixel 7"], launchOptions: chromium },
    },
    {
      name: "accounts-desktop",
      testMatch: /accounts\.spec\.ts/,
      use: {
        ...devices["Desktop Chrome"],
        viewport: { width: 1280, height: 800 },
        launchOptions: chromium,
        baseURL: `http://127.0.0.1:${accountsPort.desktop}`,
      },
    },
    {
      name: "accounts-phone",
      testMatch: /accounts\.spec\.ts/,
      use: { ...devices["Pixel 7"], launchOptions: chromium, baseURL: `http://127.0.0.1:${accountsPort.phone}` },
    },
    {
      name: "aws",
      testMatch: /aws\.spec\.ts/,
      use: {
        ...devices["Desktop Chrome"],
        viewport: { width: 1280, height: 800 },
        launchOptions: chromium,
        baseURL: awsBaseURL,
      },
    },
  ],
  webServer: [
    {
      // A clean store for every run; the binary runs as it would in production.
      command:
        `rm -rf ../target/e2e/data && exec ../target/release/shelf --addr 127.0.0.1:${port} --metrics-addr 127.0.0.1:0 --writes-per-minute 100000 --pending-uploads-per-client 100000 ` +
        `--data-dir ../target/e2e/data --site-root ../target/site --log-format text --log-filter warn --anonymous-access edit`,
      url: `${baseURL}/readyz`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      // A fresh table and bucket on moto for every run.
      command:
        `../target/release/shelf create-table && exec ../target/release/shelf --addr 127.0.0.1:${awsPort} --metrics-addr 127.0.0.1:0 --writes-per-minute 100000 --pending-uploads-per-client 100000 ` +
        `--site-root ../target/site --log-format text --log-filter warn --anonymous-access edit`,
      url: `${awsBaseURL}/readyz`,
      env: awsEnv,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    accountsServer("desktop"),
    accountsServer("phone"),
  ],
});
