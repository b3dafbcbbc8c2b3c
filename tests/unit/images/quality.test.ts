import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import {
  assessPhotoSet,
  DEFAULT_PHOTO_LIMITS,
  type ProcessedPhoto,
  processPhoto,
  QUALITY_THRESHOLDS,
} from "@/lib/images";
import { computePhash, hammingDistance, measureLuma } from "@/lib/images/quality";
import { scene, sceneJpeg, scenePixels } from "@/tests/fixtures/images/scene";

const process = (bytes: Buffer, slot = 0, fileName = `photo-${slot}.jpg`) =>
  processPhoto(bytes, { slot, fileName }, { modelInputSize: 32, limits: DEFAULT_PHOTO_LIMITS });

const codes = (photo: ProcessedPhoto) => photo.quality.map((f) => `${f.code}:${f.severity}`).sort();

/** A studio shot: an item filling `share` of the frame on a pure white backdrop. */
function studioShot(share: number): Promise<Buffer> {
  const width = 1200;
  const height = 900;
  const px = Buffer.alloc(width * height * 3, 255);
  const item = scenePixels(width, height, { seed: 9 });
  const side = Math.sqrt(share);
  const x0 = Math.round((width * (1 - side)) / 2);
  const y0 = Math.round((height * (1 - side)) / 2);
  for (let y = y0; y < y0 + height * side; y++) {
    for (let x = x0; x < x0 + width * side; x++) {
      const i = (y * width + x) * 3;
      item.copy(px, i, i, i + 3);
    }
  }
  return sharp(px, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

describe("per-photo quality flags", () => {
  const table: [string, () => Promise<Buffer>, string[]][] = [
    ["a well-exposed sharp photo", () => sceneJpeg(1200, 900), []],
    ["a soft photo (blur σ 4 px)", () => scene(1200, 900).blur(4).jpeg().toBuffer(), ["blurry:serious"]],
    ["a slightly soft photo (blur σ 2 px)", () => scene(1200, 900).blur(2).jpeg().toBuffer(), ["blurry:warning"]],
    ["an underexposed photo", () => sceneJpeg(1200, 900, { exposure: 0.3 }), ["too_dark:warning"]],
    ["a nearly black photo", () => sceneJpeg(1200, 900, { exposure: 0.1 }), ["too_dark:serious"]],
    ["an overexposed photo", () => sceneJpeg(1200, 900, { exposure: 2.5 }), ["clipped:warning", "too_bright:warning"]],
    ["a studio shot on white (item fills 60%)", () => studioShot(0.6), []],
    ["a studio shot on white (item fills 30%)", () => studioShot(0.3), ["clipped:warning"]],
    ["a small photo (480×360)", () => sceneJpeg(480, 360), ["too_small:warning"]],
    ["a tiny photo (160×120)", () => sceneJpeg(160, 120), ["too_small:serious"]],
  ];

  it.each(table)("%s", async (_, build, expected) => {
    const photo = await process(await build());
    expect(codes(photo)).toEqual(expected);
    for (const flag of photo.quality) {
      expect(flag.message.length).toBeGreaterThan(20);
      expect(typeof flag.value).toBe("number");
    }
  });
});

describe("measureLuma", () => {
  it("measures mean, clipping and edge energy of known images", () => {
    const flat = new Uint8Array(100 * 100).fill(128);
    expect(measureLuma(flat, 100, 100)).toEqual({ mean: 128, clippedShare: 0, laplacianVariance: 0 });
    const checker = new Uint8Array(10 * 10).map((_, i) => (((i % 10) + Math.floor(i / 10)) % 2 === 0 ? 0 : 255));
    const stats = measureLuma(checker, 10, 10);
    expect(stats.clippedShare).toBe(1);
    expect(stats.laplacianVariance).toBeGreaterThan(100_000);
  });
});

describe("perceptual hash", () => {
  const grey32 = async (bytes: Buffer) =>
    new Uint8Array(await sharp(bytes).resize(32, 32, { fit: "fill" }).greyscale().raw().toBuffer());

  it("barely moves when a photo is re-encoded and resized, and differs for other views", async () => {
    const a = await sceneJpeg(800, 600, { seed: 21 });
    const reencoded = await sharp(a).resize(560).jpeg({ quality: 55 }).toBuffer();
    const other = await sceneJpeg(800, 600, { seed: 22 });
    const ha = computePhash(await grey32(a));
    expect(hammingDistance(ha, computePhash(await grey32(reencoded)))).toBeLessThanOrEqual(4);
    expect(hammingDistance(ha, computePhash(await grey32(other)))).toBeGreaterThan(
      QUALITY_THRESHOLDS.nearDuplicateBits,
    );
  });

  it("counts differing bits", () => {
    expect(hammingDistance("0000000000000000", "000000000000000f")).toBe(4);
    expect(hammingDistance("ffffffffffffffff", "0000000000000000")).toBe(64);
  });
});

describe("assessPhotoSet", () => {
  let front: Buffer;
  let back: Buffer;
  let frontAgainReencoded: Buffer;
  beforeAll(async () => {
    front = await sceneJpeg(800, 600, { seed: 31 });
    back = await sceneJpeg(800, 600, { seed: 32 });
    frontAgainReencoded = await sharp(front).jpeg({ quality: 60 }).toBuffer();
  });

  it("flags the same file uploaded twice as a duplicate of the earlier slot", async () => {
    const photos = assessPhotoSet(await Promise.all([process(front, 0), process(back, 1), process(front, 2)]));
    expect(photos.map(codes)).toEqual([[], [], ["duplicate:serious"]]);
    const flag = photos[2].quality[0];
    expect(flag.otherSlot).toBe(0);
    expect(flag.message).toMatch(/same photo as the Front photo/);
  });

  it("flags identical pixels in different bytes (same photo with a different tail) as a duplicate", async () => {
    const tailed = Buffer.concat([front, Buffer.from("trailing bytes")]);
    const photos = assessPhotoSet(await Promise.all([process(back, 0), process(front, 1), process(tailed, 3)]));
    expect(photos[1].originalSha256).not.toBe(photos[2].originalSha256);
    expect(photos[2].quality.map((f) => [f.code, f.otherSlot])).toEqual([["duplicate", 1]]);
    expect(photos[2].quality[0].message).toMatch(/Back photo/);
  });

  it("flags a re-encoded copy as a near duplicate and leaves different views alone", async () => {
    const photos = assessPhotoSet(
      await Promise.all([process(front, 0), process(back, 1), process(frontAgainReencoded, 2)]),
    );
    expect(photos.map(codes)).toEqual([[], [], ["near_duplicate:warning"]]);
    expect(photos[2].quality[0]).toMatchObject({ otherSlot: 0, code: "near_duplicate" });
    expect(photos[2].quality[0].value).toBeLessThanOrEqual(QUALITY_THRESHOLDS.nearDuplicateBits);
  });

  it("is idempotent and order-independent in its input array", async () => {
    const processed = await Promise.all([process(frontAgainReencoded, 2), process(front, 0)]);
    const once = assessPhotoSet(processed);
    const twice = assessPhotoSet(once);
    expect(twice.map(codes)).toEqual(once.map(codes));
    expect(once.map((p) => p.slot)).toEqual([2, 0]);
    expect(once[0].quality.map((f) => f.otherSlot)).toEqual([0]);
  });
});
