import { createHash } from "node:crypto";
import type { AppError } from "../errors";
import { isAppError } from "../errors";
import { withDecodeSlot } from "./decode-slots";
import { createDerivatives, DERIVATIVE_SIZES } from "./derivatives";
import { type PhotoContext, photoError } from "./describe";
import { limitsFromEnv, type PhotoLimits } from "./limits";
import { flagPhotoQuality, type QualityFlag } from "./quality";
import { type PhotoFormat, sniffPhoto } from "./sniff";

/** One uploaded photo after ingestion: what gets stored and what the model and the reviewer see. */
export interface ProcessedPhoto {
  slot: number;
  /** Format of the upload, decided from its bytes. */
  format: PhotoFormat;
  /** Size of the upload in bytes. */
  byteSize: number;
  /** Upload's size in pixels, upright (after EXIF orientation). */
  width: number;
  height: number;
  /** sha256 (hex) of the uploaded bytes. */
  originalSha256: string;
  /** sha256 (hex) of the normalized pixels (upright, 8-bit sRGB, long side ≤ DERIVATIVE_SIZES.display) and their size. */
  pixelSha256: string;
  /** 64-bit perceptual hash, 16 hex digits. */
  phash: string;
  /** size×size RGB uint8 HWC, exactly what training fed the model (toModelInput). */
  modelInput: { data: Uint8Array; size: number };
  /**
   * WebP, long side ≤ 800 px (DERIVATIVE_SIZES), no metadata: the largest copy kept, stored instead
   * of the raw upload; the quote page, the reviewer's zoom and the training-data export use it.
   */
  display: Buffer;
  /** WebP, long side ≤ 320 px. */
  thumb: Buffer;
  quality: QualityFlag[];
}

export interface ProcessPhotoOptions {
  modelInputSize: number;
  /** Defaults to the configured limits (lib/env.ts). */
  limits?: PhotoLimits;
}

/** Validates, decodes and normalizes one uploaded photo; throws an AppError naming slot and file when it is refused. */
export async function processPhoto(
  bytes: Buffer,
  ctx: PhotoContext,
  opts: ProcessPhotoOptions,
): Promise<ProcessedPhoto> {
  const limits = opts.limits ?? (await limitsFromEnv());
  const header = await sniffPhoto(bytes, ctx, limits);
  const decoding = createDerivatives(bytes, limits.maxPixels, opts.modelInputSize, DERIVATIVE_SIZES, withDecodeSlot);
  // Hashed on the main thread while a libuv thread decodes.
  const originalSha256 = createHash("sha256").update(bytes).digest("hex");
  let derived: Awaited<ReturnType<typeof createDerivatives>>;
  try {
    derived = await decoding;
  } catch (err) {
    if (isAppError(err)) throw err as AppError;
    // The header was fine but the pixel data is not (truncated, corrupt entropy data, …).
    throw photoError("invalid", ctx, "the file is damaged or incomplete — take or export the photo again.", err);
  }
  const upright = { width: header.uprightWidth, height: header.uprightHeight };
  return {
    slot: ctx.slot,
    format: header.format,
    byteSize: header.byteSize,
    ...upright,
    originalSha256,
    pixelSha256: derived.pixelSha256,
    phash: derived.phash,
    modelInput: derived.modelInput,
    display: derived.display,
    thumb: derived.thumb,
    quality: flagPhotoQuality(derived.luma, upright),
  };
}
