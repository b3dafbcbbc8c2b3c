import { createHash } from "node:crypto";
import { toModelInput } from "./model-input";
import { ANALYSIS_SIDE, computePhash, type LumaStats, measureLuma, PHASH_INPUT_SIDE } from "./quality";
import { ingestSharp, untrustedInputOptions } from "./sharp";

/** Long side of the stored "original": enough for a reviewer to zoom, far smaller than a raw 48-MP upload. */
export const ORIGINAL_MAX_SIDE = 2048;
export const DISPLAY_MAX_SIDE = 1600;
export const THUMB_MAX_SIDE = 320;

// Quality/effort chosen in scripts/bench-ingest.ts: WebP effort dominates ingestion time
// (effort 4, libwebp's default, costs ~3× effort 0 for a ~10% smaller file).
const ORIGINAL_JPEG = { quality: 90, mozjpeg: false } as const;
const DISPLAY_WEBP = { quality: 80, effort: 0 } as const;
const THUMB_WEBP = { quality: 72, effort: 0 } as const;

export interface Derivatives {
  /** Upright 8-bit sRGB pixels, long side ≤ ORIGINAL_MAX_SIDE, alpha composited on white. */
  width: number;
  height: number;
  pixelSha256: string;
  original: Buffer;
  display: Buffer;
  thumb: Buffer;
  modelInput: { data: Uint8Array; size: number };
  phash: string;
  luma: LumaStats;
}

/**
 * Decodes once (shrink-on-load, EXIF orientation applied, alpha on white, 8-bit sRGB) and derives
 * every stored copy, the model input and the measurements from those pixels. Nothing of the
 * upload's metadata or trailing bytes survives: every output is encoded from raw pixels.
 */
export async function createDerivatives(
  bytes: Buffer,
  maxPixels: number,
  modelInputSize: number,
): Promise<Derivatives> {
  const sharp = ingestSharp();
  const { data, info } = await sharp(bytes, untrustedInputOptions(maxPixels))
    .rotate()
    .resize(ORIGINAL_MAX_SIDE, ORIGINAL_MAX_SIDE, { fit: "inside", withoutEnlargement: true })
    .flatten({ background: "#ffffff" })
    .toColourspace("srgb")
    .raw({ depth: "uchar" })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`normalized photo has ${info.channels} channels, expected 3`);
  const { width, height } = info;
  const fromPixels = () => sharp(data, { raw: { width, height, channels: 3 } });

  const pixelSha256 = createHash("sha256").update(`${width}x${height}:`).update(data).digest("hex");

  const [original, display, thumb, modelInput, analysis, hashInput] = await Promise.all([
    fromPixels().jpeg(ORIGINAL_JPEG).toBuffer(),
    fromPixels()
      .resize(DISPLAY_MAX_SIDE, DISPLAY_MAX_SIDE, { fit: "inside", withoutEnlargement: true })
      .webp(DISPLAY_WEBP)
      .toBuffer(),
    fromPixels()
      .resize(THUMB_MAX_SIDE, THUMB_MAX_SIDE, { fit: "inside", withoutEnlargement: true })
      .webp(THUMB_WEBP)
      .toBuffer(),
    toModelInput(fromPixels(), modelInputSize),
    fromPixels()
      .resize(ANALYSIS_SIDE, ANALYSIS_SIDE, { fit: "inside", withoutEnlargement: true })
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true }),
    fromPixels().resize(PHASH_INPUT_SIDE, PHASH_INPUT_SIDE, { fit: "fill" }).greyscale().raw().toBuffer(),
  ]);

  return {
    width,
    height,
    pixelSha256,
    original,
    display,
    thumb,
    modelInput,
    phash: computePhash(new Uint8Array(hashInput.buffer, hashInput.byteOffset, hashInput.byteLength)),
    luma: measureLuma(analysis.data, analysis.info.width, analysis.info.height),
  };
}
