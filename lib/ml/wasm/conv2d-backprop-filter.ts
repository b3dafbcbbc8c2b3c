import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import {
  assertFloat32,
  assertSupported,
  callWasmKernel,
  heapView,
  release,
  type Shape4,
  type TensorInfo,
  transpose2d,
  viewAs,
} from "./kernel-utils";

// dW[kh,kw,ci,co] = Σ_m cols[m,(kh,kw,ci)] · dy[m,co], where m runs over (n, oh, ow).
// Computed as dWᵀ = dyᵀ · cols so every operand of BatchMatMul is untransposed (wasm's transposeA path is ~6× slower),
// and cols is filled with contiguous row copies (TypedArray.set) instead of per-element loops.

const NAME = "Conv2DBackpropFilter";

interface Attrs {
  strides: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat?: string;
  dimRoundingMode?: "floor" | "round" | "ceil";
  filterShape: Shape4;
}

function conv2DBackpropFilter(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const attrs = args.attrs as Attrs;
  assertSupported(NAME, attrs);
  assertFloat32(NAME, x, dy);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as Shape4,
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { batchSize: N, inChannels: Ci, outHeight: Ho, outWidth: Wo, outChannels: Co } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW } = info;
  const M = N * Ho * Wo;
  const K = KH * KW * Ci;

  const dyT = transpose2d(backend, dy, M, Co);
  const pointwise = KH === 1 && KW === 1 && SH === 1 && SW === 1 && info.padInfo.top === 0 && info.padInfo.left === 0;
  let cols: TensorInfo;
  if (pointwise) {
    cols = viewAs(x, [1, M, K]);
  } else {
    cols = backend.makeOutput([1, M, K], "float32");
    fillCols(heapView(backend, x), heapView(backend, cols), info);
  }
  const dwT = callWasmKernel(
    backend,
    "BatchMatMul",
    { a: viewAs(dyT, [1, Co, M]), b: cols },
    {
      transposeA: false,
      transposeB: false,
    },
  );
  release(backend, dyT);
  if (!pointwise) release(backend, cols);
  const dw = transpose2d(backend, dwT, Co, K);
  release(backend, dwT);
  return viewAs(dw, [KH, KW, Ci, Co]);
}

/** im2col: row m = (n,oh,ow) holds the KH×KW×Ci receptive field; out-of-image taps stay zero. */
function fillCols(x: Float32Array, cols: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: Ci, outHeight: Ho, outWidth: Wo } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const K = KH * KW * Ci;
  cols.fill(0);
  let row = 0;
  for (let n = 0; n < N; n++) {
    const xBatch = n * H * W * Ci;
    for (let oh = 0; oh < Ho; oh++) {
      const ih0 = oh * SH - top;
      for (let ow = 0; ow < Wo; ow++, row += K) {
        const iw0 = ow * SW - left;
        const kwStart = Math.max(0, -iw0);
        const kwEnd = Math.min(KW, W - iw0);
        if (kwEnd <= kwStart) continue;
        for (let kh = 0; kh < KH; kh++) {
          const ih = ih0 + kh;
          if (ih < 0 || ih >= H) continue;
          const src = xBatch + (ih * W + iw0 + kwStart) * Ci;
          cols.set(x.subarray(src, src + (kwEnd - kwStart) * Ci), row + (kh * KW + kwStart) * Ci);
        }
      }
    }
  }
}

export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: NAME,
  backendName: "wasm",
  kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc,
};
