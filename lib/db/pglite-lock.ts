import fs from "node:fs";
import os from "node:os";

/**
 * PGlite is a single-process database: two processes opening one directory corrupt it.
 * A lock file holding the owner's pid guards the directory; a lock whose process is gone is stale
 * and taken over, so a crash never leaves the database unusable.
 */
export class DatabaseLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `The embedded database in ${dir} is already in use by process ${pid} (another "npm start" or "npm run dev"?). ` +
        "Stop that process first, use another DATA_DIR, or set DATABASE_URL to a PostgreSQL server to run several processes.",
    );
    this.name = "DatabaseLockedError";
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the lock for `dir` or throws DatabaseLockedError; returns a release function. */
export function lockDirectory(dir: string): () => void {
  const lockFile = `${dir}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockFile, JSON.stringify({ pid: process.pid, host: os.hostname(), at: new Date() }), {
        flag: "wx",
      });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off("exit", release);
        try {
          const owner = JSON.parse(fs.readFileSync(lockFile, "utf8")) as { pid: number };
          if (owner.pid === process.pid) fs.unlinkSync(lockFile);
        } catch {
          // Already gone: nothing to release.
        }
      };
      process.on("exit", release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    let owner: { pid?: number } = {};
    try {
      owner = JSON.parse(fs.readFileSync(lockFile, "utf8"));
    } catch {
      // Unreadable or half-written lock: treat as stale.
    }
    if (owner.pid && owner.pid !== process.pid && isAlive(owner.pid)) throw new DatabaseLockedError(dir, owner.pid);
    fs.rmSync(lockFile, { force: true });
  }
  throw new Error(`Could not take the database lock ${lockFile}`);
}
