import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp, { type Metadata } from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import {
  DEFAULT_PHOTO_LIMITS,
  isPhotoKey,
  LocalPhotoStorage,
  type ProcessedPhoto,
  processPhoto,
  slotName,
  storeProcessedPhoto,
  toModelInput,
} from "@/lib/images";
import { DERIVATIVE_SIZES } from "@/lib/images/derivatives";
import { alphaPng, type CorpusCase, corpus, exifRotatedJpeg, METADATA_MARKER } from "@/tests/fixtures/images/corpus";
import { scene } from "@/tests/fixtures/images/scene";

const MODEL_INPUT_SIZE = 64;

const vipsTempFiles = () => readdirSync(tmpdir()).filter((name) => name.startsWith("vips-"));

/** Every file under a directory, as paths relative to it. */
const filesUnder = (root: string) =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();

function pixel(photo: ProcessedPhoto, x: number, y: number): number[] {
  const { data, size } = photo.modelInput;
  const i = (y * size + x) * 3;
  return [data[i], data[i + 1], data[i + 2]];
}

async function expectNoMetadata(file: Buffer, format: "jpeg" | "webp") {
  const meta = await sharp(file).metadata();
  expect(meta.format).toBe(format);
  expect(meta.exif).toBeUndefined();
  expect(meta.icc).toBeUndefined();
  expect(meta.xmp).toBeUndefined();
  expect(meta.iptc).toBeUndefined();
  expect(meta.orientation).toBeUndefined();
  expect(file.includes(METADATA_MARKER)).toBe(false);
  expect(file.includes("MarkerPhone")).toBe(false);
  return meta;
}

describe("processPhoto over the generated corpus", () => {
  const tempBefore = vipsTempFiles();
  const results = new Map<string, ProcessedPhoto>();
  // The whole ingestion path as the upload handler runs it: process, then store the copies.
  const storageRoot = mkdtempSync(path.join(tmpdir(), "ingest-test-"));
  const storage = new LocalPhotoStorage(storageRoot);
  const storedKeys = new Set<string>();

  beforeAll(() => {
    expect(corpus.length).toBeGreaterThanOrEqual(20);
  });

  it.each(corpus.map((c, i) => [c.name, c, i % 8] as [string, CorpusCase, number]))("%s", async (_, testCase, slot) => {
    const bytes = await testCase.build();
    const ctx = { slot, fileName: testCase.fileName };
    const attempt = processPhoto(bytes, ctx, { modelInputSize: MODEL_INPUT_SIZE, limits: DEFAULT_PHOTO_LIMITS });
    if (!testCase.expected.ok) {
      const filesBefore = filesUnder(storageRoot);
      const err = await attempt.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isAppError(err), `expected an AppError, got ${String(err)}`).toBe(true);
      if (!isAppError(err)) return;
      expect(err.code).toBe(testCase.expected.code);
      expect(err.status).toBe(testCase.expected.status);
      expect(err.field).toBe(`photos[${slot}]`);
      expect(err.message.startsWith(`${slotName(slot)} photo "${testCase.fileName}": `)).toBe(true);
      expect(err.message).toMatch(testCase.expected.says);
      expect(filesUnder(storageRoot)).toEqual(filesBefore);
      return;
    }

    const photo = await attempt;
    results.set(testCase.name, photo);
    const keys = await storeProcessedPhoto(storage, photo);
    for (const key of Object.values(keys)) storedKeys.add(key);
    expect(Object.keys(keys).sort()).toEqual(["displayKey", "thumbKey"]);
    expect(Buffer.compare(await storage.get(keys.displayKey), photo.display)).toBe(0);
    expect(Buffer.compare(await storage.get(keys.thumbKey), photo.thumb)).toBe(0);
    expect(photo.slot).toBe(slot);
    expect(photo.originalSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(photo.pixelSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(photo.phash).toMatch(/^[0-9a-f]{16}$/);
    expect(photo.modelInput.size).toBe(MODEL_INPUT_SIZE);
    expect(photo.modelInput.data).toHaveLength(MODEL_INPUT_SIZE * MODEL_INPUT_SIZE * 3);

    const display = await expectNoMetadata(photo.display, "webp");
    const thumb = await expectNoMetadata(photo.thumb, "webp");
    const longSide = Math.max(photo.width, photo.height);
    const sideOf = (m: Metadata) => Math.max(m.width ?? 0, m.height ?? 0);
    expect(sideOf(display)).toBe(Math.min(DERIVATIVE_SIZES.display, longSide));
    expect(sideOf(display)).toBeLessThanOrEqual(1600);
    expect(sideOf(thumb)).toBe(Math.min(DERIVATIVE_SIZES.thumb, longSide));
    for (const meta of [display, thumb]) {
      expect(meta.channels).toBe(3);
      expect(meta.depth).toBe("uchar");
      // Same shape as the upload, upright.
      expect(Math.abs((meta.width ?? 0) / (meta.height ?? 1) - photo.width / photo.height)).toBeLessThan(0.05);
    }
  });

  it("turns an EXIF-rotated JPEG upright", () => {
    const photo = results.get("EXIF-rotated JPEG");
    expect(photo).toBeDefined();
    if (!photo) return;
    expect([photo.width, photo.height]).toEqual([160, 320]);
    // Orientation 6 turns the stored left (red) half to the top.
    const top = pixel(photo, 32, 4);
    const bottom = pixel(photo, 32, 59);
    expect(top[0]).toBeGreaterThan(180);
    expect(top[2]).toBeLessThan(60);
    expect(bottom[2]).toBeGreaterThan(180);
    expect(bottom[0]).toBeLessThan(60);
  });

  it("composites transparency on white", () => {
    const photo = results.get("PNG with alpha");
    if (!photo) throw new Error("PNG with alpha was not processed");
    expect(pixel(photo, 4, 32)).toEqual([255, 255, 255]);
    expect(Math.max(...pixel(photo, 60, 32))).toBeLessThan(5);
  });

  it("gives grey photos three equal channels", () => {
    const photo = results.get("grey PNG");
    if (!photo) throw new Error("grey PNG was not processed");
    for (const [x, y] of [
      [5, 5],
      [40, 20],
      [60, 60],
    ]) {
      const [r, g, b] = pixel(photo, x, y);
      expect(Math.abs(r - g)).toBeLessThanOrEqual(1);
      expect(Math.abs(g - b)).toBeLessThanOrEqual(1);
    }
  });

  it("keeps the 12 MP photo's size and derives capped copies", async () => {
    const photo = results.get("12 MP JPEG");
    if (!photo) throw new Error("12 MP JPEG was not processed");
    expect([photo.width, photo.height]).toEqual([4000, 3000]);
    const sizes = await Promise.all(
      [photo.display, photo.thumb].map(async (b) => {
        const m = await sharp(b).metadata();
        return [m.width, m.height];
      }),
    );
    expect(sizes).toEqual([
      [800, 600],
      [320, 240],
    ]);
    expect(photo.quality.map((f) => f.code)).toEqual([]);
  });

  it("re-encodes a JPEG with HTML appended so nothing of the tail survives", () => {
    const photo = results.get("JPEG with HTML appended");
    if (!photo) throw new Error("polyglot was not processed");
    for (const file of [photo.display, photo.thumb]) {
      expect(file.includes("<script")).toBe(false);
      expect(file.includes("alert(")).toBe(false);
      expect(file.includes("<html")).toBe(false);
    }
  });

  it("stored exactly the accepted photos' copies, with no temp or partial file", () => {
    const files = filesUnder(storageRoot);
    expect(files.map((f) => path.basename(f)).sort()).toEqual([...storedKeys].sort());
    expect(files.every((f) => isPhotoKey(path.basename(f)))).toBe(true);
    expect(storedKeys.size).toBe(2 * corpus.filter((c) => c.expected.ok).length);
  });

  afterAll(() => {
    rmSync(storageRoot, { recursive: true, force: true });
    // libvips spills huge images to temp files; a refused photo must never leave one behind.
    expect(vipsTempFiles()).toEqual(tempBefore);
  });
});

describe("colour normalization", () => {
  const meanAbsDiff = (a: Uint8Array, b: Uint8Array) => {
    let sum = 0;
    for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
    return sum / a.length;
  };
  const modelInputOf = async (bytes: Buffer) =>
    (await processPhoto(bytes, { slot: 0, fileName: "x.png" }, { modelInputSize: 64, limits: DEFAULT_PHOTO_LIMITS }))
      .modelInput.data;

  it("turns CMYK and 16-bit photos into the same 8-bit sRGB pixels as their 8-bit RGB source", async () => {
    const reference = await modelInputOf(await scene(320, 240).png().toBuffer());
    const deep = await modelInputOf(await scene(320, 240).toColourspace("rgb16").png().toBuffer());
    const cmyk = await modelInputOf(await scene(320, 240).toColourspace("cmyk").jpeg({ quality: 95 }).toBuffer());
    expect(meanAbsDiff(deep, reference)).toBeLessThan(1);
    // CMYK round trips through a print profile, so colours shift a little, never wholesale.
    expect(meanAbsDiff(cmyk, reference)).toBeLessThan(12);
  });
});

describe("model input matches training", () => {
  it.each([
    ["a 12-MP-like landscape", () => scene(2400, 1800, { seed: 5 }).jpeg({ quality: 90 }).toBuffer()],
    ["an EXIF-rotated photo", exifRotatedJpeg],
    ["a PNG with transparency", alphaPng],
  ])("feeds the model what toModelInput gives training for %s", async (_, build) => {
    const bytes = await build();
    const trained = await toModelInput(bytes, 96);
    const ingested = await processPhoto(
      bytes,
      { slot: 0, fileName: "x" },
      { modelInputSize: 96, limits: DEFAULT_PHOTO_LIMITS },
    );
    let diff = 0;
    for (let i = 0; i < trained.data.length; i++) diff += Math.abs(trained.data[i] - ingested.modelInput.data[i]);
    // Ingestion resamples through its 512-px copy instead of straight from the upload: the
    // difference is resampling rounding, not a different image.
    expect(diff / trained.data.length).toBeLessThan(2);
  });
});
