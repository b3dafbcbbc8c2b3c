import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createDerivatives, DERIVATIVE_SIZES, DISPLAY_WEBP, FULL_DECODE_SIZES, HALF_DECODE_SIZES } from "./derivatives";
import { DEFAULT_PHOTO_LIMITS } from "./limits";
import { processPhoto } from "./process-photo";
import { ingestSharp } from "./sharp";

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// Collect garbage between timed runs so one pipeline's 36-MB buffers are not swept on the next one's clock.
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

const cpuTimes = new WeakMap<number[], number[]>();

/** Wall time of one run; the CPU time the whole process spent on it goes to `cpuTimes` of the same sample list. */
async function time(fn: () => Promise<unknown>, samples?: number[]): Promise<number> {
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, 5));
  const cpu = process.cpuUsage();
  const start = performance.now();
  await fn();
  const wall = performance.now() - start;
  if (samples) {
    const used = process.cpuUsage(cpu);
    const list = cpuTimes.get(samples) ?? [];
    list.push((used.user + used.system) / 1000);
    cpuTimes.set(samples, list);
  }
  return wall;
}

/** What a straightforward implementation does: decode every pixel, then derive from full size, default encoder effort. */
async function naiveDerivatives(jpeg: Buffer, modelInputSize: number): Promise<void> {
  const sharp = ingestSharp();
  const { data, info } = await sharp(jpeg, { failOn: "error" })
    .rotate()
    .toColourspace("srgb")
    .raw()
    .toBuffer({ resolveWithObject: true });
  const full = () => sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } });
  const inside = { fit: "inside", withoutEnlargement: true } as const;
  await Promise.all([
    full().resize(DERIVATIVE_SIZES.display, DERIVATIVE_SIZES.display, inside).webp({ quality: 80 }).toBuffer(),
    full().resize(DERIVATIVE_SIZES.thumb, DERIVATIVE_SIZES.thumb, inside).webp({ quality: 72 }).toBuffer(),
    full().resize(modelInputSize, modelInputSize, { fit: "fill" }).raw().toBuffer(),
    full().resize(512, 512, inside).greyscale().raw().toBuffer(),
  ]);
}

export interface DerivativeTimings {
  /** Bytes of each stored copy of the benchmark photo. */
  bytes: { display: number; thumb: number };
  runs: number;
  /** processPhoto: sniff + one shrink-on-load decode + every derivative, hashes and quality. */
  ingestMs: number;
  /** CPU time (all threads) one processPhoto consumes: what it costs on an idle machine, whatever the load. */
  ingestCpuMs: number;
  fullDecodeCpuMs: number;
  /** createDerivatives alone (no sniffing, hashing of the upload or flagging). */
  derivativesMs: number;
  /** createDerivatives keeping a 1280-px display copy: sharp can only decode at half resolution. */
  halfDecodeMs: number;
  /** createDerivatives keeping a 1600-px display copy, which defeats shrink-on-load. */
  largerCopiesMs: number;
  /** processPhoto on the same photo tagged Display P3 (as iPhones save them): sharp adds a colour transform. */
  p3IngestMs: number;
  /** The 1280-px copies of the P3-tagged photo. */
  p3HalfDecodeMs: number;
  /** processPhoto on the photo as the upload page sends it: shrunk to the display size, JPEG q90. */
  uploadPageMs: number;
  uploadPageCpuMs: number;
  uploadPageBytes: number;
  /** sharp decoding every pixel of the JPEG to raw, nothing else. */
  fullDecodeMs: number;
  /**
   * The floor of any pipeline keeping this display copy: shrink-on-load decode, resize and the display WebP as one
   * sharp pipeline, no other copy, hash or measure (JPEG decoding and WebP encoding are single-threaded in libvips).
   */
  displayOnlyMs: number;
  /** The same derivatives from a full decode at libwebp's default effort. */
  naiveMs: number;
}

/**
 * Times ingestion of one JPEG against a full decode and a naive pipeline, interleaved run by run
 * so that load from other processes on a shared machine hits all of them alike.
 */
export async function benchmarkDerivatives(
  jpeg: Buffer,
  runs: number,
  modelInputSize = 224,
): Promise<DerivativeTimings> {
  const sharp = ingestSharp();
  // The same photo converted to Display P3 and tagged with that profile, as iPhones save photos.
  const p3Jpeg = await sharp(jpeg).withIccProfile("p3").jpeg({ quality: 88 }).toBuffer();
  const maxPixels = DEFAULT_PHOTO_LIMITS.maxPixels;
  // The browser's canvas encoder is not libjpeg, but the size and quality are the upload page's.
  const side = DERIVATIVE_SIZES.display;
  const shrunk = await sharp(jpeg).resize(side, side, { fit: "inside" }).jpeg({ quality: 90 }).toBuffer();
  const ctx = { slot: 0, fileName: "bench.jpg" };
  const opts = { modelInputSize, limits: DEFAULT_PHOTO_LIMITS };
  // Warm-up: first calls load codecs and fill the libuv pool.
  const sample = await processPhoto(jpeg, ctx, opts);
  await naiveDerivatives(jpeg, modelInputSize);
  const ingest: number[] = [];
  const derivatives: number[] = [];
  const halfDecode: number[] = [];
  const largerCopies: number[] = [];
  const p3Ingest: number[] = [];
  const p3HalfDecode: number[] = [];
  const uploadPage: number[] = [];
  const fullDecode: number[] = [];
  const displayOnly: number[] = [];
  const naive: number[] = [];
  const contenders: [number[], () => Promise<unknown>][] = [
    [ingest, () => processPhoto(jpeg, ctx, opts)],
    [derivatives, () => createDerivatives(jpeg, maxPixels, modelInputSize)],
    [halfDecode, () => createDerivatives(jpeg, maxPixels, modelInputSize, HALF_DECODE_SIZES)],
    [largerCopies, () => createDerivatives(jpeg, maxPixels, modelInputSize, FULL_DECODE_SIZES)],
    [p3Ingest, () => processPhoto(p3Jpeg, ctx, opts)],
    [p3HalfDecode, () => createDerivatives(p3Jpeg, maxPixels, modelInputSize, HALF_DECODE_SIZES)],
    [uploadPage, () => processPhoto(shrunk, ctx, opts)],
    [fullDecode, () => sharp(jpeg, { failOn: "error" }).raw().toBuffer()],
    [
      displayOnly,
      () =>
        sharp(jpeg, { failOn: "error" })
          .resize(DERIVATIVE_SIZES.display, DERIVATIVE_SIZES.display, { fit: "inside", withoutEnlargement: true })
          .webp(DISPLAY_WEBP)
          .toBuffer(),
    ],
    [naive, () => naiveDerivatives(jpeg, modelInputSize)],
  ];
  for (let i = 0; i < runs; i++) {
    // Rotate who goes first so no contender always runs right after the heaviest one.
    for (let j = 0; j < contenders.length; j++) {
      const [samples, run] = contenders[(i + j) % contenders.length];
      samples.push(await time(run, samples));
    }
  }
  return {
    bytes: { display: sample.display.length, thumb: sample.thumb.length },
    runs,
    ingestMs: median(ingest),
    ingestCpuMs: median(cpuTimes.get(ingest) ?? []),
    fullDecodeCpuMs: median(cpuTimes.get(fullDecode) ?? []),
    derivativesMs: median(derivatives),
    halfDecodeMs: median(halfDecode),
    largerCopiesMs: median(largerCopies),
    p3IngestMs: median(p3Ingest),
    p3HalfDecodeMs: median(p3HalfDecode),
    uploadPageMs: median(uploadPage),
    uploadPageCpuMs: median(cpuTimes.get(uploadPage) ?? []),
    uploadPageBytes: shrunk.length,
    fullDecodeMs: median(fullDecode),
    displayOnlyMs: median(displayOnly),
    naiveMs: median(naive),
  };
}

export interface BombResult {
  width: number;
  height: number;
  /** Bytes the decoded pixels would take. */
  decodedBytes: number;
  refusedMs: number;
  code: string;
  message: string;
}

/** Feeds a decompression bomb to processPhoto and reports how it was refused. */
export async function refuseBomb(bomb: Buffer, width: number, height: number, channels: number): Promise<BombResult> {
  const start = performance.now();
  const outcome = await processPhoto(
    bomb,
    { slot: 0, fileName: "bomb.png" },
    { modelInputSize: 224, limits: DEFAULT_PHOTO_LIMITS },
  ).then(
    () => undefined,
    (err: unknown) => err,
  );
  const refusedMs = performance.now() - start;
  if (!(outcome instanceof Error) || !("code" in outcome)) throw new Error("the bomb was not refused");
  return {
    width,
    height,
    decodedBytes: width * height * channels,
    refusedMs,
    code: String(outcome.code),
    message: outcome.message,
  };
}
