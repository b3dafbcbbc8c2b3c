import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { AppError } from "../../errors";
import { assertPhotoKey, isPhotoKey, photoKeyFor } from "./keys";
import type { PhotoExt, PhotoStorage, StoredPhoto } from "./types";

const TEMP_PREFIX = ".tmp-";

/**
 * Photos as files under `root`, sharded `ab/cd/<key>` so no directory grows past ~65k entries.
 * Writes go to a temp file in the destination directory and are renamed into place, so a reader
 * never sees a partial file and a crash leaves only a `.tmp-*` file (which list() skips and
 * removeStaleTempFiles() clears).
 */
export class LocalPhotoStorage implements PhotoStorage {
  constructor(private readonly root: string) {}

  // Only ever called with a validated key: the path is built from hex digits we computed.
  private pathFor(key: string): string {
    assertPhotoKey(key);
    return path.join(this.root, key.slice(0, 2), key.slice(2, 4), key);
  }

  async put(bytes: Buffer, ext: PhotoExt): Promise<string> {
    const key = photoKeyFor(bytes, ext);
    const file = this.pathFor(key);
    if (await this.exists(key)) return key;
    await fs.mkdir(path.dirname(file), { recursive: true });
    const temp = path.join(path.dirname(file), `${TEMP_PREFIX}${randomBytes(8).toString("hex")}`);
    try {
      const handle = await fs.open(temp, "wx", 0o640);
      try {
        await handle.writeFile(bytes);
        // Flush before rename: otherwise a power loss can leave a renamed but empty file.
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temp, file);
    } catch (err) {
      await fs.rm(temp, { force: true });
      throw err;
    }
    return key;
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await fs.readFile(this.pathFor(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new AppError("not_found", "Photo not found.");
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.pathFor(key), { force: true });
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await fs.stat(this.pathFor(key))).isFile();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw err;
    }
  }

  async *list(): AsyncIterable<StoredPhoto> {
    for (const shard of await readShardNames(this.root)) {
      for (const sub of await readShardNames(path.join(this.root, shard))) {
        const dir = path.join(this.root, shard, sub);
        for (const name of await readDirNames(dir)) {
          if (!isPhotoKey(name) || name.slice(0, 2) !== shard || name.slice(2, 4) !== sub) continue;
          const stat = await fs.stat(path.join(dir, name)).catch(() => undefined);
          if (stat?.isFile()) yield { key: name, modifiedAt: stat.mtime };
        }
      }
    }
  }

  /** Deletes temp files left by a crash mid-write that are older than `olderThanMs`; returns how many. */
  async removeStaleTempFiles(olderThanMs = 60 * 60 * 1000): Promise<number> {
    let removed = 0;
    const cutoff = Date.now() - olderThanMs;
    for (const shard of await readShardNames(this.root)) {
      for (const sub of await readShardNames(path.join(this.root, shard))) {
        const dir = path.join(this.root, shard, sub);
        for (const name of await readDirNames(dir)) {
          if (!name.startsWith(TEMP_PREFIX)) continue;
          const file = path.join(dir, name);
          const stat = await fs.stat(file).catch(() => undefined);
          if (stat && stat.mtimeMs < cutoff) {
            await fs.rm(file, { force: true });
            removed++;
          }
        }
      }
    }
    return removed;
  }
}

const SHARD = /^[0-9a-f]{2}$/;

// Shard levels hold only two-hex-digit directories; anything else there is not ours to walk.
async function readShardNames(dir: string): Promise<string[]> {
  return (await readDirNames(dir)).filter((name) => SHARD.test(name));
}

async function readDirNames(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).sort();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return [];
    throw err;
  }
}
