import { createHash } from "node:crypto";
import { toModelInput } from "./model-input";
import {
  ANALYSIS_SIDE,
  computePhash,
  type LumaStats,
  measureLuma,
  PHASH_INPUT_SIDE,
  shrinkToSquare,
  toLuma,
} from "./quality";
import { ingestSharp, untrustedInputOptions } from "./sharp";

/** Long sides of the stored copies. */
export interface DerivativeSizes {
  display: number;
  thumb: number;
}

/**
 * 800 px because of how JPEG shrink-on-load works in sharp: it decodes a 12-MP (4000 px) photo at
 * quarter resolution only when the target is at most a fifth of its side (≤ 800 px), at half
 * resolution up to a third (≤ 1333 px), and in full beyond. Only the quarter-resolution decode
 * meets the 60 ms ingestion target: at 1280 px the half-resolution decode plus the larger WebP
 * encode take ~1.4× as long (scripts/bench-ingest.ts prints both side by side). An embedded ICC profile's
 * colour transform also gets cheaper, since sharp applies it at the decoded size. 800 px shows the
 * whole item on the quote page and the review screen; scratches and labels are what the close-ups
 * in the Other slots are for, and the upload page asks for them. The upload page shrinks to the
 * same size, so nothing it sends is thrown away.
 */
export const DERIVATIVE_SIZES: DerivativeSizes = { display: 800, thumb: 320 };

/** The 1280-px copy kept until the fifth session: half-resolution decode, the benchmark's first comparison. */
export const HALF_DECODE_SIZES: DerivativeSizes = { display: 1280, thumb: 320 };

/** The larger copy a slower pipeline would keep: the benchmark's point of comparison. */
export const FULL_DECODE_SIZES: DerivativeSizes = { display: 1600, thumb: 320 };

// Quality/effort chosen in scripts/bench-ingest.ts: WebP effort dominates ingestion time
// (effort 4, libwebp's default, costs ~3× effort 0 for a ~10% smaller file).
export const DISPLAY_WEBP = { quality: 80, effort: 0 } as const;
const THUMB_WEBP = { quality: 72, effort: 0 } as const;

export interface Derivatives {
  /** Upright 8-bit sRGB pixels, long side ≤ sizes.display, alpha composited on white. */
  width: number;
  height: number;
  pixelSha256: string;
  /** The largest stored copy: what the quote page, the reviewer's zoom and the training export use. */
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
  sizes: DerivativeSizes = DERIVATIVE_SIZES,
  decodeSlot: <T>(decode: () => Promise<T>) => Promise<T> = (decode) => decode(),
): Promise<Derivatives> {
  const sharp = ingestSharp();
  // Only the decode holds a slot: it is what may need a whole image in memory. The encodes below
  // work on a display-sized copy, and running them outside the slot lets the next photo's decode
  // start on the other core meanwhile.
  const { data, info } = await decodeSlot(() =>
    sharp(bytes, untrustedInputOptions(maxPixels))
      .autoOrient()
      .resize(sizes.display, sizes.display, { fit: "inside", withoutEnlargement: true })
      .flatten({ background: "#ffffff" })
      .toColourspace("srgb")
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true }),
  );
  if (info.channels !== 3) throw new Error(`normalized photo has ${info.channels} channels, expected 3`);
  const { width, height } = info;
  const fromPixels = () => sharp(data, { raw: { width, height, channels: 3 } });

  // The decoded pixels are already display-sized, so the display copy is a plain encode. It is the
  // longest step after the decode, so it starts first and everything else overlaps it.
  const displayPromise = fromPixels().webp(DISPLAY_WEBP).toBuffer();
  // Awaited below; this only keeps a failure from surfacing as an unhandled rejection when a step
  // in between throws first.
  displayPromise.catch(() => undefined);
  // The 512-px analysis copy also feeds the thumbnail and the model input: resampling from it
  // instead of the full copy costs less CPU and, for sizes below it, looks the same.
  const analysisPromise = fromPixels()
    .resize(ANALYSIS_SIDE, ANALYSIS_SIDE, { fit: "inside", withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  // Hashed on the main thread while libuv threads encode and resize.
  const pixelSha256 = createHash("sha256").update(`${width}x${height}:`).update(data).digest("hex");
  const analysis = await analysisPromise;
  const fromAnalysis = (side: number) =>
    side > ANALYSIS_SIDE
      ? fromPixels()
      : sharp(analysis.data, { raw: { width: analysis.info.width, height: analysis.info.height, channels: 3 } });
  const smallCopies = Promise.all([
    fromAnalysis(sizes.thumb)
      .resize(sizes.thumb, sizes.thumb, { fit: "inside", withoutEnlargement: true })
      .webp(THUMB_WEBP)
      .toBuffer(),
    toModelInput(fromAnalysis(modelInputSize), modelInputSize),
  ]);
  // Measured on the main thread while the display copy is still encoding, so it adds no wall time.
  // Rec. 601 luma in JS rather than sharp's .greyscale(): libvips' colour-managed grey conversion
  // costs more than the resize, and this precision is plenty for blur, exposure and hashing.
  const grey = toLuma(analysis.data);
  const { width: aw, height: ah } = analysis.info;
  const phash = computePhash(shrinkToSquare(grey, aw, ah, PHASH_INPUT_SIDE));
  const luma = measureLuma(grey, aw, ah);
  const [display, [thumb, modelInput]] = await Promise.all([displayPromise, smallCopies]);

  return {
    width,
    height,
    pixelSha256,
    display,
    thumb,
    modelInput,
    phash,
    luma,
  };
}
