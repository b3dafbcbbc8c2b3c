import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DatabaseLockedError, lockDirectory } from "@/lib/db/pglite-lock";

const dirs: string[] = [];
const tempDb = () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "lock-"));
  dirs.push(root);
  return path.join(root, "db");
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe("lockDirectory", () => {
  it("refuses a directory locked by another live process, naming it and the way out", async () => {
    const dir = tempDb();
    const other = spawn(process.execPath, ["-e", "setTimeout(() => {}, 20000)"]);
    try {
      fs.writeFileSync(`${dir}.lock`, JSON.stringify({ pid: other.pid }));
      let error: unknown;
      try {
        lockDirectory(dir);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(DatabaseLockedError);
      expect((error as Error).message).toContain(`process ${other.pid}`);
      expect((error as Error).message).toContain("DATABASE_URL");
    } finally {
      other.kill();
    }
  });

  it("takes over a stale lock left by a process that is gone, and releases it", () => {
    const dir = tempDb();
    fs.writeFileSync(`${dir}.lock`, JSON.stringify({ pid: 2 ** 22 + 12345 }));
    const release = lockDirectory(dir);
    expect(JSON.parse(fs.readFileSync(`${dir}.lock`, "utf8")).pid).toBe(process.pid);
    release();
    expect(fs.existsSync(`${dir}.lock`)).toBe(false);
  });
});
