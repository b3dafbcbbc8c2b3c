import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { TensorInfo } from "./kernel-utils";
import { pointer, simdKernels } from "./simd";

// Most of the backbone's convolutions are 1×1 (the pointwise half of every separable convolution, the cell inputs'
// squeezes): y = x·W on [pixels, Ci] × [Ci, Co]. wasm's stock Conv2D builds and packs an XNNPACK operator for every
// new filter tensor, and training assigns new weights every step, so each call pays that setup on a few thousand
// pixels. When Co is a multiple of 4 our SIMD row loop (kernels.wat) computes the product directly. Everything else
// (other kernel sizes, strides, bias or activation, Co = 1–3) keeps the stock kernel.

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
  simdKernels(backend).matrixRows(pointer(backend, x), pointer(backend, filter), pointer(backend, y), rows, Ci, Co);
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

/** Conv2D and FusedConv2D (without bias or activation) with the 1×1 SIMD path; anything else goes to `stock`. */
export function makePointwiseConvConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
    const attrs = args.attrs as Attrs;
    const plain = bias == null && preluActivationWeights == null && (attrs.activation ?? "linear") === "linear";
    if (!x || !filter || !plain || !fits(x, filter, attrs)) {
      return stock.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]);
    }
    return pointwise(args.backend as BackendWasm, x, filter);
  };
  return {
    kernelName: stock.kernelName,
    backendName: "wasm",
    setupFunc: stock.setupFunc,
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
  };
}
