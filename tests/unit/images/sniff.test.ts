import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { type AppError, isAppError } from "@/lib/errors";
import { checkPhotoCount, DEFAULT_PHOTO_LIMITS, describePhoto, type PhotoLimits, sniffPhoto } from "@/lib/images";
import { ingestSharp } from "@/lib/images/sharp";
import { exifRotatedJpeg } from "@/tests/fixtures/images/corpus";
import { animatedGif } from "@/tests/fixtures/images/gif";
import { pngBomb } from "@/tests/fixtures/images/png";
import { sceneJpeg } from "@/tests/fixtures/images/scene";

const ctx = { slot: 1, fileName: "IMG_9.jpg" };

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAppError(err)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}

describe("sniffPhoto with limits passed in", () => {
  const small: PhotoLimits = { maxBytes: 50_000, maxPixels: 100_000, minSide: 100, maxAspectRatio: 3 };

  it.each([
    ["over the byte cap", () => sceneJpeg(640, 480, { grain: 30 }), "too_large", /each photo can be at most 49 KB/],
    [
      "over the pixel cap",
      () => sceneJpeg(400, 300, { grain: 0 }),
      "too_large",
      /400 × 300 pixels.*at most 0\.1 megapixels/,
    ],
    ["under the minimum side", () => sceneJpeg(300, 90, { grain: 0 }), "invalid", /at least 100 pixels on each side/],
    ["beyond the aspect ratio", () => sceneJpeg(310, 100, { grain: 0 }), "invalid", /too long and narrow/],
  ] as const)("refuses a photo %s", async (_, build, code, says) => {
    const err = await refusal(sniffPhoto(await build(), ctx, small));
    expect(err.code).toBe(code);
    expect(err.field).toBe("photos[1]");
    expect(err.message).toMatch(/^Back photo "IMG_9\.jpg": /);
    expect(err.message).toMatch(says);
  });

  it("decides the format from the bytes, not the name", async () => {
    const png = await sharp({ create: { width: 80, height: 80, channels: 3, background: "#123456" } })
      .png()
      .toBuffer();
    expect(await sniffPhoto(png, { slot: 0, fileName: "looks-like.jpg" }, DEFAULT_PHOTO_LIMITS)).toMatchObject({
      format: "png",
    });
  });

  it("reports upright dimensions for an EXIF-rotated photo", async () => {
    expect(await sniffPhoto(await exifRotatedJpeg(), ctx, DEFAULT_PHOTO_LIMITS)).toMatchObject({
      width: 320,
      height: 160,
      uprightWidth: 160,
      uprightHeight: 320,
    });
  });

  it("refuses a 256-MP bomb from its header, without decoding it", async () => {
    const bomb = await pngBomb(16384);
    expect(bomb.length).toBeLessThan(100_000);
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const err = await refusal(sniffPhoto(bomb, ctx, DEFAULT_PHOTO_LIMITS));
    expect(err.code).toBe("too_large");
    // Decoding would need ≥ 268 MB and seconds; the header read needs neither.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
  });
});

describe("sharp configured for untrusted input", () => {
  it("refuses to run loaders other than JPEG, PNG and WebP once ingestion has configured it", async () => {
    const s = ingestSharp();
    await expect(s(animatedGif()).metadata()).rejects.toThrow(/unsupported image format/);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>');
    await expect(s(svg).metadata()).rejects.toThrow(/unsupported image format/);
    const jpeg = await sceneJpeg(80, 80);
    expect((await s(jpeg).metadata()).format).toBe("jpeg");
  });
});

describe("describePhoto", () => {
  it.each([
    [{ slot: 0, fileName: "IMG_1234.HEIC" }, 'Front photo "IMG_1234.HEIC"'],
    [{ slot: 1, fileName: "back.jpg" }, 'Back photo "back.jpg"'],
    [{ slot: 2, fileName: "side.jpg" }, 'Other 1 photo "side.jpg"'],
    [{ slot: 7, fileName: "x.png" }, 'Other 6 photo "x.png"'],
    [{ slot: 0, fileName: 'a"\u202eb\u0000c\n.jpg' }, 'Front photo "abc.jpg"'],
    [{ slot: 0, fileName: "   " }, 'Front photo "unnamed file"'],
    [{ slot: 0, fileName: `${"x".repeat(200)}.jpg` }, `Front photo "${"x".repeat(77)}…"`],
  ])("names %j as %s", (c, expected) => {
    expect(describePhoto(c)).toBe(expected);
  });
});

describe("checkPhotoCount", () => {
  it("accepts 1 to max photos and refuses none or too many", () => {
    expect(() => checkPhotoCount(1, 8)).not.toThrow();
    expect(() => checkPhotoCount(8, 8)).not.toThrow();
    const tooMany = (() => {
      try {
        checkPhotoCount(9, 8);
      } catch (e) {
        return e;
      }
    })();
    expect(isAppError(tooMany) && [tooMany.code, tooMany.status]).toEqual(["too_many", 400]);
    expect(() => checkPhotoCount(0, 8)).toThrow(/at least a Front photo/);
  });
});

describe("decoder pixel limit (defence in depth behind the header check)", () => {
  it("refuses to decode a bomb even when called without sniffing first", async () => {
    const { createDerivatives } = await import("@/lib/images/derivatives");
    const rssBefore = process.memoryUsage().rss;
    await expect(createDerivatives(await pngBomb(16384), 50_000_000, 32)).rejects.toThrow(/pixel limit/);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
  });
});
