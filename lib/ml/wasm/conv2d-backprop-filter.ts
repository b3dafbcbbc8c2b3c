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
import { interiorColumns, pointer, simdKernels } from "./simd";

// dW[kh,kw,ci,co] = Σ_m cols[m,(kh,kw,ci)] · dy[m,co], where m runs over (n, oh, ow), cols being im2col of x (x
// itself for 1×1 stride-1 convolutions). When either side has a multiple of 4 columns, a SIMD loop sums the rows'
// outer products directly: no transposes, and no XNNPACK packing of the whole of x as a "weight" matrix on every
// call, which made BatchMatMul run at ~0.5 GFLOP/s on these tall, thin operands. Otherwise dWᵀ = dyᵀ · cols in
// BatchMatMul, with every operand untransposed (wasm's transposeA path is ~6× slower).

const NAME = "Conv2DBackpropFilter";
// Rows per SIMD call: float32 partial sums over at most this many rows, folded into float64 in JS.
const ROW_CHUNK = 512;

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
  const pointwise = KH === 1 && KW === 1 && SH === 1 && SW === 1 && info.padInfo.top === 0 && info.padInfo.left === 0;
  if (Co % 4 === 0 || K % 4 === 0) return outerProductFilterGrad(backend, x, dy, info, pointwise);

  const dyT = transpose2d(backend, dy, M, Co);
  let cols: TensorInfo;
  if (pointwise) {
    cols = viewAs(x, [1, M, K]);
  } else {
    cols = backend.makeOutput([1, M, K], "float32");
    fillCols(backend, x, cols, info);
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

/** dW as Σ over rows of outer products, vectorized over whichever of Co and K is a multiple of 4. */
function outerProductFilterGrad(
  backend: BackendWasm,
  x: TensorInfo,
  dy: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  pointwise: boolean,
): TensorInfo {
  const { batchSize: N, inChannels: Ci, outHeight: Ho, outWidth: Wo, outChannels: Co } = info;
  const { filterHeight: KH, filterWidth: KW } = info;
  const M = N * Ho * Wo;
  const K = KH * KW * Ci;
  const overOut = Co % 4 === 0;
  const simd = simdKernels(backend);
  const dw = backend.makeOutput([KH, KW, Ci, Co], "float32");
  const acc = backend.makeOutput([K * Co], "float32");
  let cols = x;
  if (!pointwise) {
    cols = backend.makeOutput([M, K], "float32");
    fillCols(backend, x, cols, info);
  }
  const [a, b, aCols, bCols] = overOut ? [cols, dy, K, Co] : [dy, cols, Co, K];
  const pa = pointer(backend, a);
  const pb = pointer(backend, b);
  const pAcc = pointer(backend, acc);
  const partial = heapView(backend, acc);
  const sums = new Float64Array(K * Co);
  for (let first = 0; first < M; first += ROW_CHUNK) {
    const rows = Math.min(ROW_CHUNK, M - first);
    simd.outerProductSum(pa + first * aCols * 4, pb + first * bCols * 4, pAcc, rows, aCols, bCols);
    if (overOut) {
      for (let j = 0; j < K * Co; j++) sums[j] += partial[j];
    } else {
      // acc is [Co, K]: fold it transposed into dW's [K, Co].
      for (let o = 0; o < Co; o++) for (let k = 0; k < K; k++) sums[k * Co + o] += partial[o * K + k];
    }
  }
  heapView(backend, dw).set(sums);
  release(backend, acc);
  if (!pointwise) release(backend, cols);
  return dw;
}

/**
 * im2col: row m = (n,oh,ow) holds the KH×KW×Ci receptive field; out-of-image taps stay zero. Columns whose window is
 * inside the image are copied by one strided SIMD copy per (image, output row, kh); the few edge columns by JS.
 */
export function fillCols(
  backend: BackendWasm,
  x: TensorInfo,
  cols: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): void {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: Ci, outHeight: Ho, outWidth: Wo } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const K = KH * KW * Ci;
  const simd = simdKernels(backend);
  const px = pointer(backend, x);
  const pCols = pointer(backend, cols);
  const xs = heapView(backend, x);
  const out = heapView(backend, cols);
  out.fill(0);
  const [inStart, inEnd] = interiorColumns(Wo, W, KW, SW, left);
  for (let n = 0; n < N; n++) {
    const xBatch = n * H * W * Ci;
    for (let oh = 0; oh < Ho; oh++) {
      const ih0 = oh * SH - top;
      const rowBase = (n * Ho + oh) * Wo;
      for (let kh = 0; kh < KH; kh++) {
        const ih = ih0 + kh;
        if (ih < 0 || ih >= H) continue;
        if (inEnd > inStart) {
          const src = px + (xBatch + (ih * W + inStart * SW - left) * Ci) * 4;
          const dst = pCols + ((rowBase + inStart) * K + kh * KW * Ci) * 4;
          simd.copyRows(src, SW * Ci, dst, K, inEnd - inStart, KW * Ci);
        }
        for (let ow = 0; ow < Wo; ow++) {
          if (ow === inStart) ow = Math.max(ow, inEnd);
          if (ow >= Wo) break;
          const iw0 = ow * SW - left;
          const kwStart = Math.max(0, -iw0);
          const kwEnd = Math.min(KW, W - iw0);
          if (kwEnd <= kwStart) continue;
          const from = xBatch + (ih * W + iw0 + kwStart) * Ci;
          const to = (rowBase + ow) * K + (kh * KW + kwStart) * Ci;
          for (let j = 0; j < (kwEnd - kwStart) * Ci; j++) out[to + j] = xs[from + j];
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
