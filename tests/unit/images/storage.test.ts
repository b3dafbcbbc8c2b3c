import { promises as fs } from "node:fs";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import {
  isPhotoKey,
  LocalPhotoStorage,
  type PhotoExt,
  type PhotoStorage,
  photoKeyFor,
  S3PhotoStorage,
} from "@/lib/images/storage";

// s3rver ships no types; this is the slice of its API the tests use.
interface S3rverServer {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverOptions = {
  port: number;
  address: string;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string; configs: string[] }[];
};
const S3rver = createRequire(import.meta.url)("s3rver") as new (options: S3rverOptions) => S3rverServer;

/** Every file under a directory, relative paths, sorted. */
async function listFiles(root: string): Promise<string[]> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

async function collect(storage: PhotoStorage): Promise<string[]> {
  const keys: string[] = [];
  for await (const item of storage.list()) {
    expect(item.modifiedAt).toBeInstanceOf(Date);
    keys.push(item.key);
  }
  return keys.sort();
}

const HOSTILE_KEYS = [
  "../../etc/passwd",
  "..%2f..%2fetc%2fpasswd",
  `${"a".repeat(64)}.jpg/../../x`,
  `${"A".repeat(64)}.jpg`,
  `${"a".repeat(63)}.jpg`,
  `${"a".repeat(64)}.exe`,
  `${"a".repeat(64)}.jpg\0`,
  `/${"a".repeat(64)}.jpg`,
  `ab/cd/${"a".repeat(64)}.jpg`,
  "",
];

/** The contract both implementations must keep, run against each. */
function describeStorageContract(name: string, make: () => Promise<PhotoStorage>) {
  describe(`${name}: PhotoStorage contract`, () => {
    let storage: PhotoStorage;
    beforeEach(async () => {
      storage = await make();
    });

    it("stores under the content address and reads back the same bytes", async () => {
      const bytes = Buffer.from(`photo bytes ${name}`);
      const key = await storage.put(bytes, "webp");
      expect(key).toBe(photoKeyFor(bytes, "webp"));
      expect(isPhotoKey(key)).toBe(true);
      expect(await storage.exists(key)).toBe(true);
      expect(Buffer.compare(await storage.get(key), bytes)).toBe(0);
    });

    it("is idempotent for the same bytes and distinguishes extensions", async () => {
      const bytes = Buffer.from("same bytes");
      const a = await storage.put(bytes, "jpg");
      const b = await storage.put(bytes, "jpg");
      const c = await storage.put(bytes, "png");
      expect(a).toBe(b);
      expect(c).not.toBe(a);
      expect(await collect(storage)).toEqual([a, c].sort());
    });

    it("deletes, and treats absent keys as absent", async () => {
      const key = await storage.put(Buffer.from("to delete"), "jpg");
      await storage.delete(key);
      expect(await storage.exists(key)).toBe(false);
      await storage.delete(key);
      const err = await storage.get(key).catch((e: unknown) => e);
      expect(isAppError(err) && err.code).toBe("not_found");
    });

    it.each(HOSTILE_KEYS)("refuses the key %j before touching storage", async (key) => {
      await expect(storage.get(key)).rejects.toThrow(/invalid photo key/);
      await expect(storage.exists(key)).rejects.toThrow(/invalid photo key/);
      await expect(storage.delete(key)).rejects.toThrow(/invalid photo key/);
    });

    it("refuses an extension outside the allow-list", async () => {
      await expect(storage.put(Buffer.from("x"), "html" as PhotoExt)).rejects.toThrow(/invalid photo extension/);
      expect(await collect(storage)).toEqual([]);
    });
  });
}

describe("LocalPhotoStorage", () => {
  const roots: string[] = [];
  const makeRoot = async () => {
    const root = await fs.mkdtemp(path.join(tmpdir(), "photos-test-"));
    roots.push(root);
    return root;
  };
  afterAll(async () => {
    await Promise.all(roots.map((r) => fs.rm(r, { recursive: true, force: true })));
  });

  describeStorageContract("local", async () => new LocalPhotoStorage(await makeRoot()));

  it("shards files as ab/cd/<key> and leaves no temp file behind", async () => {
    const root = await makeRoot();
    const storage = new LocalPhotoStorage(root);
    const key = await storage.put(Buffer.from("sharded"), "jpg");
    expect(await listFiles(root)).toEqual([path.join(key.slice(0, 2), key.slice(2, 4), key)]);
  });

  it("removes its temp file when the write fails, and leaves no partial file", async () => {
    const root = await makeRoot();
    const storage = new LocalPhotoStorage(root);
    const bytes = Buffer.from("will not land");
    const key = photoKeyFor(bytes, "jpg");
    // A directory where the file should go makes the rename fail after the temp file is written.
    await fs.mkdir(path.join(root, key.slice(0, 2), key.slice(2, 4), key), { recursive: true });
    await expect(storage.put(bytes, "jpg")).rejects.toThrow();
    expect(await listFiles(root)).toEqual([]);
  });

  it("never exposes a half-written file to readers (rename is the only way in)", async () => {
    const root = await makeRoot();
    const storage = new LocalPhotoStorage(root);
    const big = Buffer.alloc(8 * 1024 * 1024, 7);
    const key = photoKeyFor(big, "png");
    const writing = storage.put(big, "png");
    // Poll while the write is in flight: the key is either absent or complete.
    const seen: number[] = [];
    for (let i = 0; i < 50; i++) {
      if (await storage.exists(key)) seen.push((await storage.get(key)).length);
      await new Promise((r) => setImmediate(r));
    }
    await writing;
    expect(seen.every((n) => n === big.length)).toBe(true);
    expect((await storage.get(key)).length).toBe(big.length);
  });

  it("lists only well-formed keys and sweeps stale temp files", async () => {
    const root = await makeRoot();
    const storage = new LocalPhotoStorage(root);
    const key = await storage.put(Buffer.from("listed"), "webp");
    const dir = path.join(root, key.slice(0, 2), key.slice(2, 4));
    await fs.writeFile(path.join(dir, ".tmp-deadbeef"), "crashed write");
    await fs.writeFile(path.join(dir, "notes.txt"), "stray");
    await fs.writeFile(path.join(root, "README"), "stray");
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await fs.utimes(path.join(dir, ".tmp-deadbeef"), old, old);
    expect(await collect(storage)).toEqual([key]);
    expect(await storage.removeStaleTempFiles()).toBe(1);
    expect(await listFiles(root)).not.toContain(path.join(key.slice(0, 2), key.slice(2, 4), ".tmp-deadbeef"));
  });
});

describe("S3PhotoStorage against a local S3-compatible server (s3rver)", () => {
  const bucket = "appraise-photos";
  let server: S3rverServer;
  let endpoint = "";
  let directory = "";

  beforeAll(async () => {
    directory = await fs.mkdtemp(path.join(tmpdir(), "s3rver-"));
    server = new S3rver({
      port: 0,
      address: "127.0.0.1",
      silent: true,
      directory,
      configureBuckets: [{ name: bucket, configs: [] }],
    });
    const address = await server.run();
    endpoint = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await server?.close();
    await fs.rm(directory, { recursive: true, force: true });
  });

  // s3rver accepts the fixed development credentials S3RVER/S3RVER and checks signatures with them.
  let run = 0;
  describeStorageContract(
    "s3",
    async () =>
      new S3PhotoStorage({
        endpoint,
        bucket,
        region: "us-east-1",
        accessKeyId: "S3RVER",
        secretAccessKey: "S3RVER",
        prefix: `run-${++run}/`,
      }),
  );

  it("lists the objects it put, with their modification times", async () => {
    const storage = new S3PhotoStorage({
      endpoint,
      bucket,
      region: "us-east-1",
      accessKeyId: "S3RVER",
      secretAccessKey: "S3RVER",
      prefix: "listing/",
    });
    const keys: string[] = [];
    for (let i = 0; i < 5; i++) keys.push(await storage.put(Buffer.from(`p${i}`), "jpg"));
    expect(await collect(storage)).toEqual(keys.sort());
  });
});

// s3rver cannot issue continuation tokens on Node 20 (it encrypts them with DES, which OpenSSL 3
// no longer ships), so paging is checked against a scripted client instead of the server.
describe("S3PhotoStorage.list paging (scripted S3 client)", () => {
  it("follows continuation tokens and skips foreign objects", async () => {
    const a = `${"a".repeat(64)}.jpg`;
    const b = `${"b".repeat(64)}.webp`;
    const pages = [
      {
        Contents: [{ Key: `photos/${a}`, LastModified: new Date(1) }, { Key: "photos/notes.txt" }],
        IsTruncated: true,
        NextContinuationToken: "t1",
      },
      { Contents: [{ Key: `photos/${b}`, LastModified: new Date(2) }], IsTruncated: false },
    ];
    const tokens: (string | undefined)[] = [];
    const client = {
      send: async (command: ListObjectsV2Command) => {
        tokens.push(command.input.ContinuationToken);
        return pages[tokens.length - 1];
      },
    } as unknown as S3Client;
    const storage = new S3PhotoStorage({ bucket: "b", region: "us-east-1" }, client);
    expect(await collect(storage)).toEqual([a, b]);
    expect(tokens).toEqual([undefined, "t1"]);
  });
});
