import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapView, type TensorInfo } from "./kernel-utils";

// tfjs differentiates FusedBatchNorm with ~20 small ops per layer (sub, mul, rsqrt, tile, four channel sums, ...),
// most of them full-size passes over the activation; a NASNet step has >100 batch norms. On wasm one JS pass
// computes dx and the four per-channel sums together. Other backends and shapes keep tfjs's own gradient.

export const BATCH_NORM_GRAD = "WasmFusedBatchNormGrad";
const GROUP_SPAN = 256;

function batchNormGrad(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }): TensorInfo[] {
  const backend = args.backend as BackendWasm;
  const { x, dy, mean, variance, scale } = args.inputs as Record<string, TensorInfo | undefined> as {
    x: TensorInfo;
    dy: TensorInfo;
    mean: TensorInfo;
    variance: TensorInfo;
    scale?: TensorInfo;
  };
  const { varianceEpsilon } = args.attrs as { varianceEpsilon: number };
  const C = mean.shape[0];
  const size = x.shape.reduce((a, b) => a * b, 1);
  const rows = size / C;
  const dx = backend.makeOutput(x.shape, "float32");
  const [dMean, dVariance, dScale, dOffset] = [0, 1, 2, 3].map(() => backend.makeOutput([C], "float32"));
  const xs = heapView(backend, x);
  const g = heapView(backend, dy);
  const m = heapView(backend, mean);
  const v = heapView(backend, variance);
  const s = scale ? heapView(backend, scale) : null;
  const out = heapView(backend, dx);

  // Per-channel factors repeated over a span of whole rows, so the hot loop runs long and contiguous even for 4 channels.
  const group = Math.max(1, Math.floor(GROUP_SPAN / C));
  const span = group * C;
  const inv = new Float64Array(C);
  const gain = new Float32Array(span);
  const centre = new Float32Array(span);
  for (let c = 0; c < C; c++) inv[c] = 1 / Math.sqrt(v[c] + varianceEpsilon);
  for (let j = 0; j < span; j++) {
    const c = j % C;
    gain[j] = (s ? s[c] : 1) * inv[c];
    centre[j] = m[c];
  }
  const sumDy = new Float64Array(span);
  const sumDyCentred = new Float64Array(span);
  const fullGroups = Math.floor(rows / group);
  let base = 0;
  for (let k = 0; k < fullGroups; k++, base += span) {
    for (let j = 0; j < span; j++) {
      const grad = g[base + j];
      out[base + j] = grad * gain[j];
      sumDy[j] += grad;
      sumDyCentred[j] += grad * (xs[base + j] - centre[j]);
    }
  }
  for (let j = 0; base + j < size; j++) {
    const grad = g[base + j];
    out[base + j] = grad * gain[j];
    sumDy[j] += grad;
    sumDyCentred[j] += grad * (xs[base + j] - centre[j]);
  }
  const meanOut = heapView(backend, dMean);
  const varianceOut = heapView(backend, dVariance);
  const scaleOut = heapView(backend, dScale);
  const offsetOut = heapView(backend, dOffset);
  for (let c = 0; c < C; c++) {
    let dySum = 0;
    let centredSum = 0;
    for (let j = c; j < span; j += C) {
      dySum += sumDy[j];
      centredSum += sumDyCentred[j];
    }
    const sc = s ? s[c] : 1;
    meanOut[c] = -inv[c] * sc * dySum;
    varianceOut[c] = -0.5 * inv[c] * inv[c] * inv[c] * sc * centredSum;
    scaleOut[c] = inv[c] * centredSum;
    offsetOut[c] = dySum;
  }
  return [dx, dMean, dVariance, dScale, dOffset];
}

export const batchNormGradKernelConfig: tf.KernelConfig = {
  kernelName: BATCH_NORM_GRAD,
  backendName: "wasm",
  kernelFunc: batchNormGrad as unknown as tf.KernelFunc,
};

/** FusedBatchNorm's gradient: the one-pass kernel on wasm for per-channel statistics, tfjs's own otherwise. */
export function makeBatchNormGradConfig(original: tf.GradConfig): tf.GradConfig {
  return {
    kernelName: "FusedBatchNorm",
    inputsToSave: ["x", "mean", "variance", "scale"],
    gradFunc: (dy, saved, attrs) => {
      const [x, mean, variance, scale] = saved;
      const C = mean.shape[0];
      const fits =
        tf.getBackend() === "wasm" &&
        !Array.isArray(dy) &&
        dy.dtype === "float32" &&
        x.dtype === "float32" &&
        mean.rank === 1 &&
        variance.rank === 1 &&
        variance.shape[0] === C &&
        x.rank >= 2 &&
        x.shape[x.rank - 1] === C &&
        (scale == null || (scale.rank === 1 && scale.shape[0] === C));
      if (!fits) return original.gradFunc(dy, saved, attrs);
      const inputs: tf.NamedTensorMap = { x, dy: dy as tf.Tensor, mean, variance };
      if (scale != null) inputs.scale = scale;
      const [dx, dMean, dVariance, dScale, dOffset] = tf
        .engine()
        .runKernel(BATCH_NORM_GRAD, inputs, attrs as tf.NamedAttrMap) as tf.Tensor[];
      return { x: () => dx, mean: () => dMean, variance: () => dVariance, scale: () => dScale, offset: () => dOffset };
    },
  };
}
