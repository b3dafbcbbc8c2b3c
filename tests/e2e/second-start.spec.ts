import { spawnSync } from "node:child_process";
import { expect, test } from "@playwright/test";

// The embedded database must never be opened by two servers: the second one stops with a clear message.
test("a second server on the same DATA_DIR refuses to start", async () => {
  test.skip(!!process.env.E2E_DATABASE_URL, "only the embedded database is single-process");
  const second = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", "3299"], {
    env: { ...process.env, DATA_DIR: process.env.E2E_DATA_DIR, DATABASE_URL: "" },
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(second.status).not.toBe(0);
  expect(second.stderr + second.stdout).toMatch(/already in use by process \d+/);
});
