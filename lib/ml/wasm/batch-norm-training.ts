import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapView, type TensorInfo } from "./kernel-utils";
import { pointer, type SpanLayout, simdKernels, spanLayout } from "./simd";

// In training, tfjs-layers' BatchNormalization computes moments (Mean, Cast, Reshape, Sub, Square, Mean), then
// FusedBatchNorm, then six small ops for the moving averages; every op is taped and its saved inputs cloned, and the
// backward pass walks all of them again (~45 kernel calls per layer, ~3 700 per NASNet step, most of them per-call
// overhead on these small activations). On wasm the layer's training call becomes one kernel that returns the output,
// the batch moments and the new moving statistics, and one gradient kernel; both run SIMD loops (./simd). Same
// formulas as tfjs (biased variance, moving = moving − (moving − batch)·(1 − momentum)); every other case keeps the
// layer's own call.

export const BATCH_NORM_TRAINING = "WasmBatchNormTraining";
export const BATCH_NORM_TRAINING_GRAD = "WasmBatchNormTrainingGrad";
// Groups per SIMD call: float32 partial sums over at most this many rows, folded into float64 per channel in JS.
const CHUNK_GROUPS = 64;

/** Per-channel Σ over the whole activation: SIMD over full spans in chunks (summed in float64), JS over the tail. */
function channelSums(
  l: SpanLayout,
  acc: Float32Array,
  runChunk: (firstGroup: number, groups: number) => void,
  tailTerm: (i: number) => number,
): Float64Array {
  const out = new Float64Array(l.channels);
  for (let g = 0; g < l.groups; g += CHUNK_GROUPS) {
    runChunk(g, Math.min(CHUNK_GROUPS, l.groups - g));
    for (let j = 0; j < l.span; j++) out[j % l.channels] += acc[j];
  }
  for (let i = l.groups * l.span, c = 0; i < l.size; i++, c = (c + 1) % l.channels) out[c] += tailTerm(i);
  return out;
}

/** Writes per-channel values repeated over one span. */
function fillSpan(dst: Float32Array, values: ArrayLike<number>, channels: number): void {
  for (let j = 0; j < dst.length; j++) dst[j] = values[j % channels];
}

interface ForwardAttrs {
  varianceEpsilon: number;
  momentum: number;
}

function batchNormTraining(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }): TensorInfo[] {
  const backend = args.backend as BackendWasm;
  const { x, scale, offset, movingMean, movingVariance } = args.inputs as Record<string, TensorInfo>;
  const { varianceEpsilon, momentum } = args.attrs as ForwardAttrs;
  const C = x.shape[x.shape.length - 1];
  const l = spanLayout(tf.util.sizeFromShape(x.shape), C);
  const rows = l.size / C;
  const simd = simdKernels(backend);
  const y = backend.makeOutput(x.shape, "float32");
  const [mean, variance, nextMean, nextVariance] = [0, 1, 2, 3].map(() => backend.makeOutput([C], "float32"));
  // Scratch: accumulator | centre (then gain) | shift, one span each.
  const scratch = backend.makeOutput([3 * l.span], "float32");
  const bytes = l.span * 4;
  const px = pointer(backend, x);
  const py = pointer(backend, y);
  const pAcc = pointer(backend, scratch);
  const pCentre = pAcc + bytes;
  const pShift = pAcc + 2 * bytes;
  // Views last: allocating can grow the heap, which detaches earlier views.
  const work = heapView(backend, scratch);
  const acc = work.subarray(0, l.span);
  const centre = work.subarray(l.span, 2 * l.span);
  const shiftSpan = work.subarray(2 * l.span);
  const xs = heapView(backend, x);
  const out = heapView(backend, y);

  // Two passes (mean, then squared deviations) as tfjs's moments: no cancellation when the mean dwarfs the spread.
  const sums = channelSums(
    l,
    acc,
    (g, n) => simd.spanSum(px + g * bytes, n, l.span, pAcc),
    (i) => xs[i],
  );
  const m = heapView(backend, mean);
  for (let c = 0; c < C; c++) m[c] = sums[c] / rows;
  fillSpan(centre, m, C);
  const squares = channelSums(
    l,
    acc,
    (g, n) => simd.spanSquaredDeviation(px + g * bytes, n, l.span, pCentre, pAcc),
    (i) => (xs[i] - m[i % C]) ** 2,
  );
  const v = heapView(backend, variance);
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
    v[c] = squares[c] / rows;
    // As tfjs-layers: the update is computed from the float32 moments.
    nm[c] = mm[c] - (mm[c] - m[c]) * decay;
    nv[c] = mv[c] - (mv[c] - v[c]) * decay;
    gain[c] = g[c] / Math.sqrt(v[c] + varianceEpsilon);
    shift[c] = b[c] - m[c] * gain[c];
  }
  fillSpan(centre, gain, C);
  fillSpan(shiftSpan, shift, C);
  simd.spanAffine(px, py, l.groups, l.span, pCentre, pShift);
  for (let i = l.groups * l.span; i < l.size; i++) out[i] = xs[i] * gain[i % C] + shift[i % C];
  backend.disposeData(scratch.dataId);
  return [y, mean, variance, nextMean, nextVariance];
}

/**
 * dx = γ·inv·(dy − Σdy/N − x̂·Σ(dy·x̂)/N) + dMean/N + dVariance·2(x − μ)/N, written as dx = a·dy + k·x + d per
 * channel; dγ = Σ dy·x̂, dβ = Σ dy. Two passes over the activation.
 */
function batchNormTrainingGrad(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs: unknown;
}): TensorInfo[] {
  const backend = args.backend as BackendWasm;
  const { dy, x, scale, mean, variance, dMean, dVariance } = args.inputs as Record<string, TensorInfo>;
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
  const pdx = pointer(backend, dx);
  const pCentre = pointer(backend, scratch);
  const [pSumDy, pSumDyDev, pA, pK, pD] = [1, 2, 3, 4, 5].map((k) => pCentre + k * bytes);
  const work = heapView(backend, scratch);
  const span = (k: number) => work.subarray(k * l.span, (k + 1) * l.span);
  const xs = heapView(backend, x);
  const grad = heapView(backend, dy);
  const m = heapView(backend, mean);
  const v = heapView(backend, variance);
  const g = heapView(backend, scale);
  const dm = heapView(backend, dMean);
  const dv = heapView(backend, dVariance);
  const out = heapView(backend, dx);

  fillSpan(span(0), m, C);
  const dySum = new Float64Array(C);
  const centredSum = new Float64Array(C);
  const sumDy = span(1);
  const sumDyDev = span(2);
  for (let first = 0; first < l.groups; first += CHUNK_GROUPS) {
    const n = Math.min(CHUNK_GROUPS, l.groups - first);
    simd.spanGradientSums(pdy + first * bytes, px + first * bytes, n, l.span, pCentre, pSumDy, pSumDyDev);
    for (let j = 0; j < l.span; j++) {
      dySum[j % C] += sumDy[j];
      centredSum[j % C] += sumDyDev[j];
    }
  }
  for (let i = l.groups * l.span; i < l.size; i++) {
    dySum[i % C] += grad[i];
    centredSum[i % C] += grad[i] * (xs[i] - m[i % C]);
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
    k[c] = -a[c] * inv * inv * (centredSum[c] / N) + (2 * dv[c]) / N;
    d[c] = -a[c] * (dySum[c] / N) - k[c] * m[c] + dm[c] / N;
    ds[c] = inv * centredSum[c];
    db[c] = dySum[c];
  }
  fillSpan(span(3), a, C);
  fillSpan(span(4), k, C);
  fillSpan(span(5), d, C);
  simd.spanAffine2(pdy, px, pdx, l.groups, l.span, pA, pK, pD);
  for (let i = l.groups * l.span; i < l.size; i++) {
    const c = i % C;
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
  inputsToSave: ["x", "scale"],
  outputsToSave: [false, true, true, false, false],
  gradFunc: (dys, saved, attrs) => {
    const [x, scale, mean, variance] = saved;
    // The engine fills the gradients of unused outputs with zeros, so all five are tensors.
    const [dy, dMean, dVariance] = dys as tf.Tensor[];
    const [dx, dScale, dOffset] = tf
      .engine()
      .runKernel(
        BATCH_NORM_TRAINING_GRAD,
        { dy, x, scale, mean, variance, dMean, dVariance },
        attrs as tf.NamedAttrMap,
      ) as tf.Tensor[];
    return {
      x: () => dx,
      scale: () => dScale,
      offset: () => dOffset,
      // The moving statistics only feed the next moving statistics, never the output.
      movingMean: () => tf.zerosLike(mean),
      movingVariance: () => tf.zerosLike(variance),
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
      const [y, , , nextMean, nextVariance] = tf.engine().runKernel(
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
