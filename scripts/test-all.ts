// npm test – every test: unit and integration (vitest, real database), then end-to-end (Playwright,
// real Chromium) against a fresh production build. Set DATABASE_URL to run them on PostgreSQL.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!fs.existsSync(chromium)) {
  console.error(
    `Chromium is needed for the end-to-end tests and was not found at ${chromium}.\n` +
      `Install it with:  sudo apt-get install -y chromium   (Debian/Ubuntu), or set CHROMIUM_PATH.`,
  );
  process.exit(1);
}

const steps: [string, string[]][] = [
  ["unit and integration tests", ["node_modules/vitest/vitest.mjs", "run"]],
  ["production build for end-to-end tests", ["node_modules/next/dist/bin/next", "build"]],
  ["end-to-end tests", ["node_modules/@playwright/test/cli.js", "test"]],
];

for (const [name, args] of steps) {
  console.log(`\n▶ ${name}\n`);
  const { status } = spawnSync(process.execPath, args, { stdio: "inherit" });
  if (status !== 0) {
    console.error(`\n✗ ${name} failed`);
    process.exit(status ?? 1);
  }
}
console.log("\n✓ all tests passed");
