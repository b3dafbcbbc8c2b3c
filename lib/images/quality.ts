/**
 * Quality signals. They become warnings for seller and reviewer, never rejections: a dark or soft
 * photo still tells the model and the reviewer something. Thresholds are documented in
 * README.md, "Photo ingestion" with the reasons; change them there and here together.
 */

export type QualityCode =
  | "blurry"
  | "too_dark"
  | "too_bright"
  | "clipped"
  | "too_small"
  | "duplicate"
  | "near_duplicate";

export interface QualityFlag {
  code: QualityCode;
  severity: "warning" | "serious";
  /** For the seller, ready to show. */
  message: string;
  /** The measured value the threshold was applied to. */
  value?: number;
  /** For duplicate/near_duplicate: the slot of the other photo. */
  otherSlot?: number;
}

/** Long side of the grey copy the signals are measured on: blur and exposure then mean the same at any upload size. */
export const ANALYSIS_SIDE = 512;

export const QUALITY_THRESHOLDS = {
  /** Variance of the 4-neighbour Laplacian on the 512-px grey copy. */
  blurWarning: 12,
  blurSerious: 4,
  /** Mean luma 0–255. */
  darkWarning: 50,
  darkSerious: 25,
  brightWarning: 225,
  brightSerious: 245,
  /** Share of pixels at ≤ 3 or ≥ 252 luma. High because studio shots on white clip their background legitimately. */
  clippedWarning: 0.5,
  clippedSerious: 0.8,
  /** Shortest upright side in pixels (below MIN_PHOTO_SIDE the photo is refused instead). */
  smallWarning: 600,
  smallSerious: 300,
  /** Perceptual-hash Hamming distance (of 64 bits) at or below which two photos look the same. */
  nearDuplicateBits: 10,
} as const;

export interface LumaStats {
  mean: number;
  clippedShare: number;
  laplacianVariance: number;
}

/** Mean, clipped share and Laplacian variance of a grey image (one byte per pixel). */
export function measureLuma(grey: Uint8Array, width: number, height: number): LumaStats {
  let sum = 0;
  let clipped = 0;
  for (let i = 0; i < grey.length; i++) {
    const v = grey[i];
    sum += v;
    if (v <= 3 || v >= 252) clipped++;
  }
  let lapSum = 0;
  let lapSq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    const row = y * width;
    for (let x = 1; x < width - 1; x++) {
      const i = row + x;
      const lap = 4 * grey[i] - grey[i - 1] - grey[i + 1] - grey[i - width] - grey[i + width];
      lapSum += lap;
      lapSq += lap * lap;
      n++;
    }
  }
  const lapMean = n > 0 ? lapSum / n : 0;
  return {
    mean: grey.length > 0 ? sum / grey.length : 0,
    clippedShare: grey.length > 0 ? clipped / grey.length : 0,
    laplacianVariance: n > 0 ? lapSq / n - lapMean * lapMean : 0,
  };
}

/** Rec. 601 luma of packed 8-bit RGB, one byte per pixel. */
export function toLuma(rgb: Uint8Array): Uint8Array {
  const grey = new Uint8Array(rgb.length / 3);
  for (let i = 0, j = 0; i < grey.length; i++, j += 3) {
    grey[i] = (77 * rgb[j] + 150 * rgb[j + 1] + 29 * rgb[j + 2] + 128) >> 8;
  }
  return grey;
}

/** Area-averages a grey image into a side×side square (aspect ratio ignored, as pHash expects). */
export function shrinkToSquare(grey: Uint8Array, width: number, height: number, side: number): Uint8Array {
  const sums = new Float64Array(side * side);
  const counts = new Uint32Array(side * side);
  for (let y = 0; y < height; y++) {
    const cy = Math.floor((y * side) / height) * side;
    for (let x = 0; x < width; x++) {
      const cell = cy + Math.floor((x * side) / width);
      sums[cell] += grey[y * width + x];
      counts[cell]++;
    }
  }
  const out = new Uint8Array(side * side);
  for (let i = 0; i < out.length; i++) out[i] = counts[i] ? Math.round(sums[i] / counts[i]) : 0;
  return out;
}

const round = (v: number, digits = 1) => Number(v.toFixed(digits));

/** The flags a single photo earns on its own (duplicates are decided across the set). */
export function flagPhotoQuality(stats: LumaStats, upright: { width: number; height: number }): QualityFlag[] {
  const t = QUALITY_THRESHOLDS;
  const flags: QualityFlag[] = [];
  if (stats.laplacianVariance < t.blurWarning) {
    flags.push({
      code: "blurry",
      severity: stats.laplacianVariance < t.blurSerious ? "serious" : "warning",
      message: "This photo looks blurry — hold the camera steady, tap to focus on the item and take it again.",
      value: round(stats.laplacianVariance),
    });
  }
  if (stats.mean < t.darkWarning) {
    flags.push({
      code: "too_dark",
      severity: stats.mean < t.darkSerious ? "serious" : "warning",
      message: "This photo is very dark — take it again in more light.",
      value: round(stats.mean),
    });
  } else if (stats.mean > t.brightWarning) {
    flags.push({
      code: "too_bright",
      severity: stats.mean > t.brightSerious ? "serious" : "warning",
      message: "This photo is very bright — avoid direct sunlight or flash on the item.",
      value: round(stats.mean),
    });
  }
  if (stats.clippedShare > t.clippedWarning) {
    flags.push({
      code: "clipped",
      severity: stats.clippedShare > t.clippedSerious ? "serious" : "warning",
      message: "Much of this photo is pure black or pure white, so detail is lost — adjust the lighting.",
      value: round(stats.clippedShare, 3),
    });
  }
  const side = Math.min(upright.width, upright.height);
  if (side < t.smallWarning) {
    flags.push({
      code: "too_small",
      severity: side < t.smallSerious ? "serious" : "warning",
      message: `This photo is small (${upright.width} × ${upright.height} pixels) — details may not show; upload the full-size photo if you have it.`,
      value: side,
    });
  }
  return flags;
}

const HASH_SIZE = 32;
const HASH_KEEP = 8;

// DCT-II basis for 32 samples, computed once.
const COS = (() => {
  const table = new Float64Array(HASH_KEEP * HASH_SIZE);
  for (let u = 0; u < HASH_KEEP; u++) {
    for (let x = 0; x < HASH_SIZE; x++)
      table[u * HASH_SIZE + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * HASH_SIZE));
  }
  return table;
})();

/** Side of the grey square the perceptual hash is computed from. */
export const PHASH_INPUT_SIDE = HASH_SIZE;

/**
 * 64-bit perceptual hash (pHash: the sign of the low-frequency DCT coefficients against their
 * median) of a 32×32 grey image, as 16 hex digits. Survives re-encoding, resizing and small
 * exposure changes; differs for different views.
 */
export function computePhash(grey32: Uint8Array): string {
  if (grey32.length !== HASH_SIZE * HASH_SIZE) throw new Error(`phash needs ${HASH_SIZE}×${HASH_SIZE} grey input`);
  // Rows first (only the 8 lowest frequencies are ever needed), then columns.
  const rows = new Float64Array(HASH_SIZE * HASH_KEEP);
  for (let y = 0; y < HASH_SIZE; y++) {
    for (let u = 0; u < HASH_KEEP; u++) {
      let s = 0;
      for (let x = 0; x < HASH_SIZE; x++) s += grey32[y * HASH_SIZE + x] * COS[u * HASH_SIZE + x];
      rows[y * HASH_KEEP + u] = s;
    }
  }
  const coeffs = new Float64Array(HASH_KEEP * HASH_KEEP);
  for (let v = 0; v < HASH_KEEP; v++) {
    for (let u = 0; u < HASH_KEEP; u++) {
      let s = 0;
      for (let y = 0; y < HASH_SIZE; y++) s += rows[y * HASH_KEEP + u] * COS[v * HASH_SIZE + y];
      coeffs[v * HASH_KEEP + u] = s;
    }
  }
  // The DC term is overall brightness, not structure: leave it out of the median.
  const sorted = Array.from(coeffs.subarray(1)).sort((a, b) => a - b);
  const median = sorted[31];
  let hex = "";
  for (let nibble = 0; nibble < 16; nibble++) {
    let bits = 0;
    for (let b = 0; b < 4; b++) bits = (bits << 1) | (coeffs[nibble * 4 + b] > median ? 1 : 0);
    hex += bits.toString(16);
  }
  return hex;
}

/** Number of differing bits between two 16-hex-digit hashes. */
export function hammingDistance(a: string, b: string): number {
  if (a.length !== b.length) throw new Error("hashes differ in length");
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    let x = Number.parseInt(a[i], 16) ^ Number.parseInt(b[i], 16);
    while (x) {
      d += x & 1;
      x >>= 1;
    }
  }
  return d;
}
