/** Temperature scaling and calibration error, on plain arrays (logits row-major [n, classes]). */

/** Softmax of logits / temperature, row by row. */
export function softmaxRows(logits: Float32Array, classes: number, temperature = 1): Float32Array {
  const out = new Float32Array(logits.length);
  for (let i = 0; i < logits.length; i += classes) {
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[i + c] / temperature);
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      const e = Math.exp(logits[i + c] / temperature - max);
      out[i + c] = e;
      sum += e;
    }
    for (let c = 0; c < classes; c++) out[i + c] /= sum;
  }
  return out;
}

/** Mean negative log-likelihood of the labels at a temperature. */
export function negativeLogLikelihood(logits: Float32Array, labels: Int32Array, classes: number, t: number): number {
  const probs = softmaxRows(logits, classes, t);
  let nll = 0;
  for (let i = 0; i < labels.length; i++) nll -= Math.log(Math.max(probs[i * classes + labels[i]], 1e-12));
  return nll / labels.length;
}

/** Fits the temperature minimizing validation NLL (golden-section search over log T in [-3, 3]). */
export function fitTemperature(logits: Float32Array, labels: Int32Array, classes: number): number {
  const f = (logT: number) => negativeLogLikelihood(logits, labels, classes, Math.exp(logT));
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = -3;
  let b = 3;
  let c = b - phi * (b - a);
  let d = a + phi * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let i = 0; i < 60; i++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - phi * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + phi * (b - a);
      fd = f(d);
    }
  }
  return Math.exp((a + b) / 2);
}

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  confidence: number;
  accuracy: number;
}

/** Expected calibration error of the top-1 prediction over equal-width confidence bins. */
export function expectedCalibrationError(
  probs: Float32Array,
  labels: Int32Array,
  classes: number,
  binCount = 15,
): { ece: number; bins: ReliabilityBin[] } {
  const bins: ReliabilityBin[] = Array.from({ length: binCount }, (_, b) => ({
    lower: b / binCount,
    upper: (b + 1) / binCount,
    count: 0,
    confidence: 0,
    accuracy: 0,
  }));
  for (let i = 0; i < labels.length; i++) {
    const { index, value } = argmax(probs, i * classes, classes);
    const bin = bins[Math.min(binCount - 1, Math.floor(value * binCount))];
    bin.count += 1;
    bin.confidence += value;
    bin.accuracy += index === labels[i] ? 1 : 0;
  }
  let ece = 0;
  for (const bin of bins) {
    if (bin.count === 0) continue;
    ece += Math.abs(bin.accuracy - bin.confidence) / labels.length;
    bin.confidence /= bin.count;
    bin.accuracy /= bin.count;
  }
  return { ece, bins };
}

/** Index and value of the largest of `length` entries starting at `offset`. */
export function argmax(xs: ArrayLike<number>, offset = 0, length = xs.length): { index: number; value: number } {
  let index = 0;
  let value = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < length; c++) {
    if (xs[offset + c] > value) {
      value = xs[offset + c];
      index = c;
    }
  }
  return { index, value };
}
