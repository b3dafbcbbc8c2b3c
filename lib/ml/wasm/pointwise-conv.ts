import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { fillCols } from "./conv2d-backprop-filter";
import { callWasmKernel, heapView, release, type Shape4, type TensorInfo, viewAs } from "./kernel-utils";
import { multiplyRows, pointer, simdKernels } from "./simd";

// Most of the backbone's convolutions are 1×1 (the pointwise half of every separable convolution, the cell inputs'
// squeezes): y = x·W on [pixels, Ci] × [Ci, Co]. wasm's stock Conv2D builds and packs an XNNPACK operator for every
// new filter tensor, and training assigns new weights every step, so each call pays that setup on a few thousand
// pixels. When Co is a multiple of 4 our SIMD row loop (kernels.wat) computes the product directly.
// The stock kernels also return wrong values when a stride exceeds the kernel (e.g. 2×2 stride 3 "same"): those run
// as im2col + BatchMatMul here (with the bias added; other activations stay stock). Everything else keeps the stock
// kernel.

interface Attrs {
  strides: number | [number, number];
  pad: unknown;
  dataFormat?: string;
  dilations?: number | [number, number];
  activation?: string;
}

const isOne = (v: number | [number, number] | undefined) =>
  v === undefined || (typeof v === "number" ? v === 1 : v[0] === 1 && v[1] === 1);

function pointwise(backend: BackendWasm, x: TensorInfo, filter: TensorInfo): TensorInfo {
  const [, , Ci, Co] = filter.shape;
  const rows = tf.util.sizeFromShape(x.shape) / Ci;
  const y = backend.makeOutput([...x.shape.slice(0, -1), Co], "float32");
  multiplyRows(simdKernels(backend), pointer(backend, x), pointer(backend, filter), pointer(backend, y), rows, Ci, Co);
  return y;
}

function fits(x: TensorInfo, filter: TensorInfo, attrs: Attrs): boolean {
  return (
    x.dtype === "float32" &&
    filter.dtype === "float32" &&
    x.shape.length === 4 &&
    filter.shape[0] === 1 &&
    filter.shape[1] === 1 &&
    filter.shape[3] % 4 === 0 &&
    filter.shape[2] === x.shape[3] &&
    isOne(attrs.strides) &&
    isOne(attrs.dilations) &&
    (attrs.dataFormat === undefined || attrs.dataFormat === "NHWC" || attrs.dataFormat === "channelsLast")
  );
}

/** im2col + BatchMatMul, plus an optional per-channel bias. */
function im2colConv(
  backend: BackendWasm,
  x: TensorInfo,
  filter: TensorInfo,
  bias: TensorInfo | undefined,
  attrs: Attrs,
) {
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as Shape4,
    filter.shape as Shape4,
    attrs.strides,
    1,
    attrs.pad as "valid" | "same",
  );
  const M = info.batchSize * info.outHeight * info.outWidth;
  const K = info.filterHeight * info.filterWidth * info.inChannels;
  const Co = info.outChannels;
  const cols = backend.makeOutput([1, M, K], "float32");
  fillCols(backend, x, cols, info);
  const y = callWasmKernel(
    backend,
    "BatchMatMul",
    { a: cols, b: viewAs(filter, [1, K, Co]) },
    { transposeA: false, transposeB: false },
  );
  release(backend, cols);
  if (bias) {
    const out = heapView(backend, y);
    const b = heapView(backend, bias);
    for (let i = 0; i < out.length; i++) out[i] += b[i % Co];
  }
  return viewAs(y, info.outShape);
}

const strideAboveKernel = (filter: TensorInfo, strides: number | [number, number]) => {
  const [sh, sw] = typeof strides === "number" ? [strides, strides] : strides;
  return sh > filter.shape[0] || sw > filter.shape[1];
};

/** Conv2D and FusedConv2D with the 1×1 SIMD path and the stride-above-kernel fix; anything else goes to `stock`. */
export function makePointwiseConvConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
    const attrs = args.attrs as Attrs;
    const linear = preluActivationWeights == null && (attrs.activation ?? "linear") === "linear";
    const backend = args.backend as BackendWasm;
    if (x && filter && linear && bias == null && fits(x, filter, attrs)) return pointwise(backend, x, filter);
    const nhwc = attrs.dataFormat === undefined || attrs.dataFormat === "NHWC" || attrs.dataFormat === "channelsLast";
    if (
      x &&
      filter &&
      linear &&
      nhwc &&
      isOne(attrs.dilations) &&
      x.dtype === "float32" &&
      filter.dtype === "float32"
    ) {
      if (strideAboveKernel(filter, attrs.strides) && (bias == null || bias.shape.length <= 1)) {
        return im2colConv(backend, x, filter, bias, attrs);
      }
    }
    return stock.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]);
  };
  return {
    kernelName: stock.kernelName,
    backendName: "wasm",
    setupFunc: stock.setupFunc,
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
  };
}
