import { fileTypeFromBuffer } from "file-type";
import type { Metadata } from "sharp";
import { formatBytes, type PhotoContext, photoError } from "./describe";
import { type HeaderSize, readHeaderSize } from "./header-size";
import { limitsFromEnv, type PhotoLimits } from "./limits";
import { ingestSharp } from "./sharp";

export type PhotoFormat = "jpeg" | "png" | "webp";

/** What the header says, read before any pixel is decoded. */
export interface PhotoHeader {
  format: PhotoFormat;
  byteSize: number;
  /** As stored in the file, before EXIF orientation. */
  width: number;
  height: number;
  /** As the seller sees the photo, after EXIF orientation. */
  uprightWidth: number;
  uprightHeight: number;
}

const ACCEPTED: Record<string, PhotoFormat> = { jpg: "jpeg", png: "png", webp: "webp" };

const TRY_AGAIN = "upload a JPEG, PNG or WebP photo instead.";
const DAMAGED = "the file is damaged or incomplete — take or export the photo again.";

// What sellers actually send by mistake, in their words. Keyed by file-type's `ext`.
const REFUSED: Record<string, string> = {
  heic: "HEIC photos aren't supported yet — export as JPEG or PNG and try again.",
  heif: "HEIF photos aren't supported yet — export as JPEG or PNG and try again.",
  avif: "AVIF photos aren't supported yet — export as JPEG or PNG and try again.",
  gif: `GIF images aren't supported — ${TRY_AGAIN}`,
  apng: `animated images aren't supported — ${TRY_AGAIN}`,
  pdf: `this is a PDF document, not a photo — ${TRY_AGAIN}`,
  tif: "TIFF files aren't supported — export as JPEG or PNG and try again.",
  bmp: "BMP files aren't supported — export as JPEG or PNG and try again.",
  ico: `icons aren't supported — ${TRY_AGAIN}`,
  psd: "Photoshop files aren't supported — export as JPEG or PNG and try again.",
  jxl: "JPEG XL photos aren't supported yet — export as JPEG or PNG and try again.",
  mp4: `videos aren't supported — ${TRY_AGAIN}`,
  mov: `videos aren't supported — ${TRY_AGAIN}`,
  zip: `this is a ZIP archive, not a photo — ${TRY_AGAIN}`,
};

// Text formats have no magic number; look at the first bytes so the message says what it is.
function describeUnknown(bytes: Buffer): string {
  const head = bytes.subarray(0, 512).toString("latin1").trimStart().toLowerCase();
  if (head.includes("<svg")) return `SVG drawings aren't supported — ${TRY_AGAIN}`;
  if (head.startsWith("<!doctype html") || head.startsWith("<html") || head.includes("<body")) {
    return `this is a web page, not a photo — ${TRY_AGAIN}`;
  }
  return `this file isn't a photo we can read — ${TRY_AGAIN}`;
}

const megapixels = (pixels: number) => `${(pixels / 1_000_000).toFixed(pixels < 10_000_000 ? 1 : 0)} megapixels`;

/**
 * Checks size, format (by magic bytes, never name or Content-Type) and header dimensions; throws a
 * seller-readable AppError. `limits` defaults to the configured ones.
 */
export async function sniffPhoto(bytes: Buffer, ctx: PhotoContext, limits?: PhotoLimits): Promise<PhotoHeader> {
  limits ??= await limitsFromEnv();
  checkPhotoByteSize(bytes.length, ctx, limits);

  const type = await fileTypeFromBuffer(bytes);
  const format = type ? ACCEPTED[type.ext] : undefined;
  if (!format) {
    // file-type calls SVG "xml"; text formats get a closer look so the message names them.
    const problem =
      type && type.ext !== "xml"
        ? (REFUSED[type.ext] ?? `${type.ext.toUpperCase()} files aren't supported — ${TRY_AGAIN}`)
        : describeUnknown(bytes);
    throw photoError("unsupported_media", ctx, problem);
  }

  // Dimensions first, read in JS: a decompression bomb or a forged header is refused before any
  // native parser sees the file.
  const claimed = readHeaderSize(bytes, format);
  if (!claimed) throw photoError("invalid", ctx, DAMAGED);
  checkPhotoDimensions(claimed, ctx, limits);

  // Then libvips' own header read (still no pixels): it must agree on format and size, and it
  // knows the EXIF orientation and frame count. The decode re-checks the pixel cap on its own.
  let meta: Metadata;
  try {
    meta = await ingestSharp()(bytes, { failOn: "error", limitInputPixels: limits.maxPixels }).metadata();
  } catch (err) {
    throw photoError("invalid", ctx, DAMAGED, err);
  }
  if (meta.format !== format || meta.width !== claimed.width || meta.height !== claimed.height) {
    throw photoError("invalid", ctx, DAMAGED);
  }
  if ((meta.pages ?? 1) > 1) {
    throw photoError("unsupported_media", ctx, `animated images aren't supported — ${TRY_AGAIN}`);
  }
  const { width, height } = claimed;

  // libvips applies the EXIF orientation to report the upright size; orientations 5–8 are quarter turns.
  const turned = (meta.orientation ?? 1) >= 5;
  const upright = meta.autoOrient ?? { width: turned ? height : width, height: turned ? width : height };
  return {
    format,
    byteSize: bytes.length,
    width,
    height,
    uprightWidth: upright.width,
    uprightHeight: upright.height,
  };
}

/** Pixel cap, minimum side and aspect ratio; these hold whichever way up the photo is. */
function checkPhotoDimensions({ width, height }: HeaderSize, ctx: PhotoContext, limits: PhotoLimits): void {
  const size = `${width} × ${height} pixels`;
  if (width * height > limits.maxPixels) {
    throw photoError(
      "too_large",
      ctx,
      `the photo is ${size} (${megapixels(width * height)}); photos can be at most ${megapixels(limits.maxPixels)} — resize it and try again.`,
    );
  }
  if (Math.min(width, height) < limits.minSide) {
    throw photoError(
      "invalid",
      ctx,
      `the photo is ${size}; photos must be at least ${limits.minSide} pixels on each side.`,
    );
  }
  if (Math.max(width, height) / Math.min(width, height) > limits.maxAspectRatio) {
    throw photoError(
      "invalid",
      ctx,
      `the photo is ${size}, too long and narrow to show an item — crop it closer to the item.`,
    );
  }
}

/** The byte cap alone, for an upload handler that wants to refuse while still streaming. */
export function checkPhotoByteSize(byteSize: number, ctx: PhotoContext, limits: Pick<PhotoLimits, "maxBytes">): void {
  if (byteSize === 0) throw photoError("invalid", ctx, "the file is empty — choose the photo again.");
  if (byteSize > limits.maxBytes) {
    throw photoError(
      "too_large",
      ctx,
      `the file is ${formatBytes(byteSize)}; each photo can be at most ${formatBytes(limits.maxBytes)}.`,
    );
  }
}
