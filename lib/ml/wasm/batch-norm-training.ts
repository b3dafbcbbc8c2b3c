import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapView, type TensorInfo } from "./kernel-utils";

// In training, tfjs-layers' BatchNormalization computes moments (Mean, Cast, Reshape, Sub, Square, Mean), then
// FusedBatchNorm, then six small ops for the moving averages; every op is taped and its saved inputs cloned, and the
// backward pass walks all of them again (~45 kernel calls per layer, ~3 700 per NASNet step, most of them per-call
// overhead on these small activations). On wasm the layer's training call becomes one kernel that returns the output,
// the batch moments and the new moving statistics, and one gradient kernel. Same formulas as tfjs (biased variance,
// moving = moving − (moving − batch)·(1 − momentum)); every other case keeps the layer's own call.

export const BATCH_NORM_TRAINING = "WasmBatchNormTraining";
export const BATCH_NORM_TRAINING_GRAD = "WasmBatchNormTrainingGrad";
// Per-channel factors are repeated over a span of whole rows, so hot loops run long and contiguous even for 4 channels.
const GROUP_SPAN = 256;

interface Layout {
  channels: number;
  rows: number;
  size: number;
  /** Rows per group and floats per group (group × channels). */
  group: number;
  span: number;
}

function layout(shape: number[]): Layout {
  const channels = shape[shape.length - 1];
  const size = shape.reduce((a, b) => a * b, 1);
  const group = Math.max(1, Math.floor(GROUP_SPAN / channels));
  return { channels, rows: size / channels, size, group, span: group * channels };
}

/** Per-channel Σ f over rows, with the span's partial sums folded at the end (float64). */
function foldChannels(partial: Float64Array, l: Layout, out: Float64Array): void {
  out.fill(0);
  for (let j = 0; j < l.span; j++) out[j % l.channels] += partial[j];
}

function repeatSpan(values: ArrayLike<number>, l: Layout): Float32Array {
  const out = new Float32Array(l.span);
  for (let j = 0; j < l.span; j++) out[j] = values[j % l.channels];
  return out;
}

interface ForwardAttrs {
  varianceEpsilon: number;
  momentum: number;
}

function batchNormTraining(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }): TensorInfo[] {
  const backend = args.backend as BackendWasm;
  const { x, scale, offset, movingMean, movingVariance } = args.inputs as Record<string, TensorInfo>;
  const { varianceEpsilon, momentum } = args.attrs as ForwardAttrs;
  const l = layout(x.shape);
  const C = l.channels;
  const y = backend.makeOutput(x.shape, "float32");
  const [mean, variance, nextMean, nextVariance] = [0, 1, 2, 3].map(() => backend.makeOutput([C], "float32"));
  const xs = heapView(backend, x);
  const out = heapView(backend, y);

  // One pass for Σx and Σx² (float64, so E[x²] − E[x]² keeps float32 precision at these scales), one for the output.
  const sum = new Float64Array(l.span);
  const sumSquares = new Float64Array(l.span);
  let base = 0;
  for (; base + l.span <= l.size; base += l.span) {
    for (let j = 0; j < l.span; j++) {
      const v = xs[base + j];
      sum[j] += v;
      sumSquares[j] += v * v;
    }
  }
  for (let j = 0; base + j < l.size; j++) {
    const v = xs[base + j];
    sum[j] += v;
    sumSquares[j] += v * v;
  }
  const mu = new Float64Array(C);
  const sq = new Float64Array(C);
  foldChannels(sum, l, mu);
  foldChannels(sumSquares, l, sq);
  const gain = new Float64Array(C);
  const shift = new Float64Array(C);
  const g = heapView(backend, scale);
  const b = heapView(backend, offset);
  const m = heapView(backend, mean);
  const v = heapView(backend, variance);
  const mm = heapView(backend, movingMean);
  const mv = heapView(backend, movingVariance);
  const nm = heapView(backend, nextMean);
  const nv = heapView(backend, nextVariance);
  const decay = 1 - momentum;
  for (let c = 0; c < C; c++) {
    const meanC = mu[c] / l.rows;
    const varianceC = Math.max(0, sq[c] / l.rows - meanC * meanC);
    m[c] = meanC;
    v[c] = varianceC;
    // As tfjs-layers: the update is computed from the float32 moments.
    nm[c] = mm[c] - (mm[c] - m[c]) * decay;
    nv[c] = mv[c] - (mv[c] - v[c]) * decay;
    gain[c] = g[c] / Math.sqrt(v[c] + varianceEpsilon);
    shift[c] = b[c] - m[c] * gain[c];
  }
  const gainSpan = repeatSpan(gain, l);
  const shiftSpan = repeatSpan(shift, l);
  for (base = 0; base + l.span <= l.size; base += l.span) {
    for (let j = 0; j < l.span; j++) out[base + j] = xs[base + j] * gainSpan[j] + shiftSpan[j];
  }
  for (let j = 0; base + j < l.size; j++) out[base + j] = xs[base + j] * gainSpan[j] + shiftSpan[j];
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
  const l = layout(x.shape);
  const C = l.channels;
  const N = l.rows;
  const dx = backend.makeOutput(x.shape, "float32");
  const dScale = backend.makeOutput([C], "float32");
  const dOffset = backend.makeOutput([C], "float32");
  const xs = heapView(backend, x);
  const grad = heapView(backend, dy);
  const m = heapView(backend, mean);
  const v = heapView(backend, variance);
  const g = heapView(backend, scale);
  const out = heapView(backend, dx);

  const centre = repeatSpan(m, l);
  const sumDy = new Float64Array(l.span);
  const sumDyCentred = new Float64Array(l.span);
  let base = 0;
  for (; base + l.span <= l.size; base += l.span) {
    for (let j = 0; j < l.span; j++) {
      const d = grad[base + j];
      sumDy[j] += d;
      sumDyCentred[j] += d * (xs[base + j] - centre[j]);
    }
  }
  for (let j = 0; base + j < l.size; j++) {
    const d = grad[base + j];
    sumDy[j] += d;
    sumDyCentred[j] += d * (xs[base + j] - centre[j]);
  }
  const dySum = new Float64Array(C);
  const centredSum = new Float64Array(C);
  foldChannels(sumDy, l, dySum);
  foldChannels(sumDyCentred, l, centredSum);
  const dm = heapView(backend, dMean);
  const dv = heapView(backend, dVariance);
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
  const aSpan = repeatSpan(a, l);
  const kSpan = repeatSpan(k, l);
  const dSpan = repeatSpan(d, l);
  for (base = 0; base + l.span <= l.size; base += l.span) {
    for (let j = 0; j < l.span; j++) out[base + j] = grad[base + j] * aSpan[j] + xs[base + j] * kSpan[j] + dSpan[j];
  }
  for (let j = 0; base + j < l.size; j++)
    out[base + j] = grad[base + j] * aSpan[j] + xs[base + j] * kSpan[j] + dSpan[j];
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
