import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapView, type TensorInfo } from "./kernel-utils";
import { pointer, type SimdKernels, type SpanLayout, simdKernels, spanLayout } from "./simd";

// In training, tfjs-layers' BatchNormalization computes moments (Mean, Cast, Reshape, Sub, Square, Mean), then
// FusedBatchNorm, then six small ops for the moving averages; every op is taped and its saved inputs cloned, and the
// backward pass walks all of them again (~45 kernel calls per layer, ~3 700 per NASNet step, most of them per-call
// overhead on these small activations). On wasm the layer's training call becomes one kernel that returns the output
// and the new moving statistics, and one gradient kernel; both run SIMD loops (./simd). Same formulas as tfjs (biased
// variance, moving = moving − (moving − batch)·(1 − momentum)); every other case keeps the layer's own call.

export const BATCH_NORM_TRAINING = "WasmBatchNormTraining";
export const BATCH_NORM_TRAINING_GRAD = "WasmBatchNormTrainingGrad";
// Groups per SIMD call: float32 partial sums over at most this many rows, folded into float64 per channel in JS.
const CHUNK_GROUPS = 64;

/** Adds a span's partial sums into per-channel totals (the span holds whole rows of `channels`). */
function foldSpan(out: Float64Array, acc: Float32Array, channels: number): void {
  for (let row = 0; row < acc.length; row += channels) {
    for (let c = 0; c < channels; c++) out[c] += acc[row + c];
  }
}

/** Per-channel Σ over the whole activation: SIMD over full spans in chunks (summed in float64), JS over the tail. */
function channelSums(
  l: SpanLayout,
  acc: Float32Array,
  runChunk: (firstGroup: number, groups: number) => void,
  tailTerm: (i: number, c: number) => number,
): Float64Array {
  const out = new Float64Array(l.channels);
  for (let g = 0; g < l.groups; g += CHUNK_GROUPS) {
    runChunk(g, Math.min(CHUNK_GROUPS, l.groups - g));
    foldSpan(out, acc, l.channels);
  }
  for (let i = l.groups * l.span, c = 0; i < l.size; i++, c = c + 1 === l.channels ? 0 : c + 1)
    out[c] += tailTerm(i, c);
  return out;
}

/** Writes per-channel values repeated over one span. */
function fillSpan(dst: Float32Array, values: ArrayLike<number>, channels: number): void {
  for (let row = 0; row < dst.length; row += channels) {
    for (let c = 0; c < channels; c++) dst[row + c] = values[c];
  }
}

/**
 * Batch mean and (biased) variance per channel, rounded to float32 as tfjs's moments are. Two passes, mean then
 * squared deviations, as tfjs does: no cancellation when the mean dwarfs the spread. `centre` is left holding the
 * mean repeated over a span.
 */
function moments(
  simd: SimdKernels,
  l: SpanLayout,
  xs: Float32Array,
  px: number,
  pAcc: number,
  acc: Float32Array,
  pCentre: number,
  centre: Float32Array,
): { mean: Float32Array; variance: Float32Array } {
  const C = l.channels;
  const rows = l.size / C;
  const bytes = l.span * 4;
  const sums = channelSums(
    l,
    acc,
    (g, n) => simd.spanSum(px + g * bytes, n, l.span, pAcc),
    (i) => xs[i],
  );
  const mean = new Float32Array(C);
  for (let c = 0; c < C; c++) mean[c] = sums[c] / rows;
  fillSpan(centre, mean, C);
  const squares = channelSums(
    l,
    acc,
    (g, n) => simd.spanSquaredDeviation(px + g * bytes, n, l.span, pCentre, pAcc),
    (i, c) => (xs[i] - mean[c]) ** 2,
  );
  const variance = new Float32Array(C);
  for (let c = 0; c < C; c++) variance[c] = squares[c] / rows;
  return { mean, variance };
}

interface ForwardAttrs {
  varianceEpsilon: number;
  momentum: number;
}

/** Outputs [y, next moving mean, next moving variance]; the gradient recomputes the moments instead of saving them. */
function batchNormTraining(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }): TensorInfo[] {
  const backend = args.backend as BackendWasm;
  const { x, scale, offset, movingMean, movingVariance } = args.inputs as Record<string, TensorInfo>;
  const { varianceEpsilon, momentum } = args.attrs as ForwardAttrs;
  const C = x.shape[x.shape.length - 1];
  const l = spanLayout(tf.util.sizeFromShape(x.shape), C);
  const simd = simdKernels(backend);
  const y = backend.makeOutput(x.shape, "float32");
  const nextMean = backend.makeOutput([C], "float32");
  const nextVariance = backend.makeOutput([C], "float32");
  // Scratch: accumulator | centre (then gain) | shift, one span each.
  const scratch = backend.makeOutput([3 * l.span], "float32");
  const bytes = l.span * 4;
  const px = pointer(backend, x);
  const pAcc = pointer(backend, scratch);
  const pCentre = pAcc + bytes;
  const pShift = pAcc + 2 * bytes;
  // Views last: allocating can grow the heap, which detaches earlier views.
  const work = heapView(backend, scratch);
  const centre = work.subarray(l.span, 2 * l.span);
  const xs = heapView(backend, x);
  const { mean, variance } = moments(simd, l, xs, px, pAcc, work.subarray(0, l.span), pCentre, centre);
  const g = heapView(backend, scale);
  const b = heapView(backend, offset);
  const mm = heapView(backend, movingMean);
  const mv = heapView(backend, movingVariance);
  const nm = heapView(backend, nextMean);
  const nv = heapView(backend, nextVariance);
  const decay = 1 - momentum;
  const gain = new Float64Array(C);
  const shift = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    // As tfjs-layers: the update is computed from the float32 moments.
    nm[c] = mm[c] - (mm[c] - mean[c]) * decay;
    nv[c] = mv[c] - (mv[c] - variance[c]) * decay;
    gain[c] = g[c] / Math.sqrt(variance[c] + varianceEpsilon);
    shift[c] = b[c] - mean[c] * gain[c];
  }
  fillSpan(centre, gain, C);
  fillSpan(work.subarray(2 * l.span), shift, C);
  simd.spanAffine(px, pointer(backend, y), l.groups, l.span, pCentre, pShift);
  const out = heapView(backend, y);
  for (let i = l.groups * l.span, c = 0; i < l.size; i++, c = c + 1 === C ? 0 : c + 1) {
    out[i] = xs[i] * gain[c] + shift[c];
  }
  backend.disposeData(scratch.dataId);
  return [y, nextMean, nextVariance];
}

/**
 * dx = γ·inv·(dy − Σdy/N − x̂·Σ(dy·x̂)/N), written as dx = a·dy + k·x + d per channel; dγ = Σ dy·x̂, dβ = Σ dy.
 * Four SIMD passes over the activation (the two moments again, the sums, dx).
 */
function batchNormTrainingGrad(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs: unknown;
}): TensorInfo[] {
  const backend = args.backend as BackendWasm;
  const { dy, x, scale } = args.inputs as Record<string, TensorInfo>;
  const { varianceEpsilon } = args.attrs as { varianceEpsilon: number };
  const C = x.shape[x.shape.length - 1];
  const l = spanLayout(tf.util.sizeFromShape(x.shape), C);
  const N = l.size / C;
  const simd = simdKernels(backend);
  const dx = backend.makeOutput(x.shape, "float32");
  const dScale = backend.makeOutput([C], "float32");
  const dOffset = backend.makeOutput([C], "float32");
  // Scratch: centre | Σdy | Σdy·(x − μ) | a | k | d, one span each.
  const scratch = backend.makeOutput([6 * l.span], "float32");
  const bytes = l.span * 4;
  const pdy = pointer(backend, dy);
  const px = pointer(backend, x);
  const pCentre = pointer(backend, scratch);
  const [pSumDy, pSumDyDev, pA, pK, pD] = [1, 2, 3, 4, 5].map((k) => pCentre + k * bytes);
  const work = heapView(backend, scratch);
  const span = (k: number) => work.subarray(k * l.span, (k + 1) * l.span);
  const xs = heapView(backend, x);
  const grad = heapView(backend, dy);
  const g = heapView(backend, scale);
  const sumDy = span(1);
  const sumDyDev = span(2);
  const { mean: m, variance: v } = moments(simd, l, xs, px, pSumDy, sumDy, pCentre, span(0));

  const dySum = new Float64Array(C);
  const centredSum = new Float64Array(C);
  for (let first = 0; first < l.groups; first += CHUNK_GROUPS) {
    const n = Math.min(CHUNK_GROUPS, l.groups - first);
    simd.spanGradientSums(pdy + first * bytes, px + first * bytes, n, l.span, pCentre, pSumDy, pSumDyDev);
    foldSpan(dySum, sumDy, C);
    foldSpan(centredSum, sumDyDev, C);
  }
  for (let i = l.groups * l.span, c = 0; i < l.size; i++, c = c + 1 === C ? 0 : c + 1) {
    dySum[c] += grad[i];
    centredSum[c] += grad[i] * (xs[i] - m[c]);
  }
  const a = new Float64Array(C);
  const k = new Float64Array(C);
  const d = new Float64Array(C);
  const ds = heapView(backend, dScale);
  const db = heapView(backend, dOffset);
  for (let c = 0; c < C; c++) {
    const inv = 1 / Math.sqrt(v[c] + varianceEpsilon);
    a[c] = g[c] * inv;
    // x̂·Σ(dy·x̂)/N = (x − μ)·inv²·Σ(dy·(x − μ))/N
    k[c] = -a[c] * inv * inv * (centredSum[c] / N);
    d[c] = -a[c] * (dySum[c] / N) - k[c] * m[c];
    ds[c] = inv * centredSum[c];
    db[c] = dySum[c];
  }
  fillSpan(span(3), a, C);
  fillSpan(span(4), k, C);
  fillSpan(span(5), d, C);
  simd.spanAffine2(pdy, px, pointer(backend, dx), l.groups, l.span, pA, pK, pD);
  const out = heapView(backend, dx);
  for (let i = l.groups * l.span, c = 0; i < l.size; i++, c = c + 1 === C ? 0 : c + 1) {
    out[i] = grad[i] * a[c] + xs[i] * k[c] + d[c];
  }
  backend.disposeData(scratch.dataId);
  return [dx, dScale, dOffset];
}

export const batchNormTrainingKernelConfigs: tf.KernelConfig[] = [
  { kernelName: BATCH_NORM_TRAINING, backendName: "wasm", kernelFunc: batchNormTraining as unknown as tf.KernelFunc },
  {
    kernelName: BATCH_NORM_TRAINING_GRAD,
    backendName: "wasm",
    kernelFunc: batchNormTrainingGrad as unknown as tf.KernelFunc,
  },
];

export const batchNormTrainingGradConfig: tf.GradConfig = {
  kernelName: BATCH_NORM_TRAINING,
  // Only two clones per layer: the moments are recomputed from x (two SIMD passes) rather than saved.
  inputsToSave: ["x", "scale"],
  gradFunc: (dys, saved, attrs) => {
    const [x, scale] = saved;
    // dys[1] and dys[2] belong to the next moving statistics, which never feed the output.
    const dy = (dys as tf.Tensor[])[0];
    const [dx, dScale, dOffset] = tf
      .engine()
      .runKernel(BATCH_NORM_TRAINING_GRAD, { dy, x, scale }, attrs as tf.NamedAttrMap) as tf.Tensor[];
    return {
      x: () => dx,
      scale: () => dScale,
      offset: () => dOffset,
      movingMean: () => tf.zerosLike(scale),
      movingVariance: () => tf.zerosLike(scale),
    };
  },
};

/** The fields of tfjs-layers' BatchNormalization that its training call reads. */
interface BatchNormLayer {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: tf.LayerVariable | null;
  beta: tf.LayerVariable | null;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

type LayerCall = (
  this: BatchNormLayer,
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: tf.serialization.ConfigDict,
) => tf.Tensor;

let patched: LayerCall | null = null;

/**
 * Routes BatchNormalization's training call through the fused kernel while the wasm backend is active; idempotent.
 * The layer class is not exported by tfjs, so its prototype is taken from an instance.
 */
export function routeBatchNormTrainingToWasm(): void {
  const prototype = Object.getPrototypeOf(tf.layers.batchNormalization({})) as { call: LayerCall };
  if (patched && prototype.call === patched) return;
  const original = prototype.call;
  patched = function call(this: BatchNormLayer, inputs, kwargs) {
    const input = Array.isArray(inputs) ? (inputs.length === 1 ? inputs[0] : null) : inputs;
    const fits =
      kwargs?.training === true &&
      tf.getBackend() === "wasm" &&
      input !== null &&
      input.dtype === "float32" &&
      input.rank >= 2 &&
      (this.axis === -1 || this.axis === input.rank - 1) &&
      this.center &&
      this.scale &&
      this.gamma !== null &&
      this.beta !== null;
    if (!fits || !input || !this.gamma || !this.beta) return original.call(this, inputs, kwargs);
    const gamma = this.gamma;
    const beta = this.beta;
    return tf.tidy(() => {
      const [y, nextMean, nextVariance] = tf.engine().runKernel(
        BATCH_NORM_TRAINING,
        {
          x: input,
          scale: gamma.read(),
          offset: beta.read(),
          movingMean: this.movingMean.read(),
          movingVariance: this.movingVariance.read(),
        },
        { varianceEpsilon: this.epsilon, momentum: this.momentum },
      ) as tf.Tensor[];
      this.movingMean.write(nextMean);
      this.movingVariance.write(nextVariance);
      return y;
    });
  };
  prototype.call = patched;
}
