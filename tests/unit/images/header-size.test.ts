import fc from "fast-check";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { readHeaderSize } from "@/lib/images/header-size";
import type { PhotoFormat } from "@/lib/images/sniff";
import { scene } from "@/tests/fixtures/images/scene";

const W = 333;
const H = 211;

describe("readHeaderSize", () => {
  const cases: [string, PhotoFormat, () => Promise<Buffer>][] = [
    ["baseline JPEG", "jpeg", () => scene(W, H).jpeg().toBuffer()],
    ["progressive JPEG", "jpeg", () => scene(W, H).jpeg({ progressive: true }).toBuffer()],
    [
      "JPEG with a large EXIF block before the frame header",
      "jpeg",
      () =>
        scene(W, H)
          .jpeg()
          .withExif({ IFD0: { ImageDescription: "x".repeat(30_000) } })
          .toBuffer(),
    ],
    ["PNG", "png", () => scene(W, H).png().toBuffer()],
    ["interlaced 16-bit PNG", "png", () => scene(W, H).toColourspace("rgb16").png({ progressive: true }).toBuffer()],
    ["lossy WebP (VP8)", "webp", () => scene(W, H).webp().toBuffer()],
    ["lossless WebP (VP8L)", "webp", () => scene(W, H).webp({ lossless: true }).toBuffer()],
    ["extended WebP (VP8X, with alpha)", "webp", () => scene(W, H).ensureAlpha(0.5).webp().toBuffer()],
  ];

  it.each(cases)("reads the size of a %s", async (_, format, build) => {
    const bytes = await build();
    expect(readHeaderSize(bytes, format)).toEqual({ width: W, height: H });
    const meta = await sharp(bytes).metadata();
    expect([meta.width, meta.height]).toEqual([W, H]);
  });

  it.each([
    ["jpeg", Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x08])],
    ["jpeg", Buffer.from([0xff, 0xd8, 0x00, 0x00, 0x00, 0x00])],
    ["jpeg", Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x01, 0xff, 0xc0])],
    ["png", Buffer.concat([Buffer.from("\x89PNG\r\n\x1a\n", "latin1"), Buffer.alloc(16)])],
    ["webp", Buffer.concat([Buffer.from("RIFF\0\0\0\0WEBPVP8 ", "latin1"), Buffer.alloc(20)])],
  ] as [PhotoFormat, Buffer][])("returns undefined for a malformed %s header", (format, bytes) => {
    expect(readHeaderSize(bytes, format)).toBeUndefined();
  });

  it("never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.constantFrom<PhotoFormat>("jpeg", "png", "webp"),
        (raw, format) => {
          const bytes = Buffer.from(raw);
          // Give each parser its signature so it gets past the first check.
          const prefix =
            format === "jpeg"
              ? Buffer.from([0xff, 0xd8])
              : format === "png"
                ? Buffer.from("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", "latin1")
                : Buffer.from("RIFF\0\0\0\0WEBP", "latin1");
          const size = readHeaderSize(Buffer.concat([prefix, bytes]), format);
          if (size) expect(Number.isInteger(size.width) && Number.isInteger(size.height)).toBe(true);
        },
      ),
      { numRuns: 500, seed: 6 },
    );
  });
});
