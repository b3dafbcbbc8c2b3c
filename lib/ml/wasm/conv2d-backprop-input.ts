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
import { interiorColumns, multiplyRows, pointer, simdKernels } from "./simd";

// dx = col2im(dy · Wᵀ): one matmul [M,Co]×[Co,K] then a scatter-add of each row's receptive field. wasm's own
// Conv2DBackpropInput is a naive loop (~2 GFLOP/s); this keeps the FLOPs in a matmul: our SIMD row loop when K is a
// multiple of 4 (mostly 1×1 convolutions of 4–32 channels, where creating and packing an XNNPACK operator on every
// call costs more than the arithmetic), XNNPACK's BatchMatMul otherwise (measured faster for K = 2 and the stem's 27).

const NAME = "Conv2DBackpropInput";

interface Attrs {
  strides: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat?: string;
  dimRoundingMode?: "floor" | "round" | "ceil";
  inputShape: Shape4;
}

function conv2DBackpropInput(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const attrs = args.attrs as Attrs;
  assertSupported(NAME, attrs);
  assertFloat32(NAME, dy, filter);
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as Shape4,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { batchSize: N, inChannels: Ci, outHeight: Ho, outWidth: Wo, outChannels: Co } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW } = info;
  const M = N * Ho * Wo;
  const K = KH * KW * Ci;

  const wT = transpose2d(backend, filter, K, Co);
  let cols: TensorInfo;
  if (K % 4 === 0) {
    cols = backend.makeOutput([1, M, K], "float32");
    multiplyRows(simdKernels(backend), pointer(backend, dy), pointer(backend, wT), pointer(backend, cols), M, Co, K);
  } else {
    cols = callWasmKernel(
      backend,
      "BatchMatMul",
      { a: viewAs(dy, [1, M, Co]), b: viewAs(wT, [1, Co, K]) },
      { transposeA: false, transposeB: false },
    );
  }
  release(backend, wT);
  const pointwise = KH === 1 && KW === 1 && SH === 1 && SW === 1 && info.padInfo.top === 0 && info.padInfo.left === 0;
  if (pointwise) return viewAs(cols, info.inShape);
  const dx = backend.makeOutput(info.inShape, "float32");
  scatterCols(backend, cols, dx, info);
  release(backend, cols);
  return dx;
}

/**
 * col2im: adds each row's KH×KW×Ci values back onto the input pixels they were read from. Columns whose window is
 * inside the image go through one strided SIMD add per (image, output row, kh); the few edge columns through JS.
 */
function scatterCols(backend: BackendWasm, cols: TensorInfo, dx: TensorInfo, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: Ci, outHeight: Ho, outWidth: Wo } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const K = KH * KW * Ci;
  const simd = simdKernels(backend);
  const pCols = pointer(backend, cols);
  const pDx = pointer(backend, dx);
  const src = heapView(backend, cols);
  const out = heapView(backend, dx);
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
          const from = pCols + ((rowBase + inStart) * K + kh * KW * Ci) * 4;
          const to = pDx + (xBatch + (ih * W + inStart * SW - left) * Ci) * 4;
          simd.addRows(from, K, to, SW * Ci, inEnd - inStart, KW * Ci);
        }
        for (let ow = 0; ow < Wo; ow++) {
          if (ow === inStart) ow = Math.max(ow, inEnd);
          if (ow >= Wo) break;
          const iw0 = ow * SW - left;
          const kwStart = Math.max(0, -iw0);
          const kwEnd = Math.min(KW, W - iw0);
          if (kwEnd <= kwStart) continue;
          const dst = xBatch + (ih * W + iw0 + kwStart) * Ci;
          const at = (rowBase + ow) * K + (kh * KW + kwStart) * Ci;
          for (let j = 0; j < (kwEnd - kwStart) * Ci; j++) out[dst + j] += src[at + j];
        }
      }
    }
  }
}

export const conv2DBackpropInputConfig: tf.KernelConfig = {
  kernelName: NAME,
  backendName: "wasm",
  kernelFunc: conv2DBackpropInput as unknown as tf.KernelFunc,
};
