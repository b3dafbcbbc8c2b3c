import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapView, type TensorInfo } from "./kernel-utils";

// Batch norm reduces activations over batch, height and width for every channel, in the forward pass (moments) and
// twice more in its gradient. wasm's Sum/Mean first transpose the reduced axes innermost (a slow generic Transpose);
// summing rows into a channel accumulator in place reads memory once. Other reductions go to the stock kernels.

type ReduceKind = "Sum" | "Mean";

interface Attrs {
  axis: number | number[];
  keepDims: boolean;
}

/** The reduced row count when `axes` are exactly the leading axes of a rank ≥ 2 tensor; otherwise null. */
function leadingRows(shape: number[], axis: number | number[]): number | null {
  const axes = tf.util.parseAxisParam(axis, shape).sort((a, b) => a - b);
  if (axes.length === 0 || axes.length >= shape.length) return null;
  if (axes.some((a, i) => a !== i)) return null;
  return shape.slice(0, axes.length).reduce((a, b) => a * b, 1);
}

function makeReduceLeading(kind: ReduceKind, stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }): TensorInfo => {
    const backend = args.backend as BackendWasm;
    const { x } = args.inputs as { x: TensorInfo };
    const attrs = args.attrs as Attrs;
    const rows = x.dtype === "float32" ? leadingRows(x.shape, attrs.axis) : null;
    if (rows === null) return stock.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as TensorInfo;
    const reducedAxes = tf.util.parseAxisParam(attrs.axis, x.shape).length;
    const kept = x.shape.slice(reducedAxes);
    const outShape = attrs.keepDims ? [...new Array<number>(reducedAxes).fill(1), ...kept] : kept;
    const out = backend.makeOutput(outShape, "float32");
    const src = heapView(backend, x);
    const dst = heapView(backend, out);
    const width = kept.reduce((a, b) => a * b, 1);
    const acc = new Float64Array(width);
    for (let r = 0, i = 0; r < rows; r++) {
      for (let c = 0; c < width; c++, i++) acc[c] += src[i];
    }
    const scale = kind === "Mean" ? 1 / rows : 1;
    for (let c = 0; c < width; c++) dst[c] = acc[c] * scale;
    return out;
  };
  return {
    kernelName: kind,
    backendName: "wasm",
    setupFunc: stock.setupFunc,
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
  };
}

/** Sum and Mean with a fast path for reductions over leading axes, wrapping wasm's stock kernels. */
export function makeLeadingReductionConfigs(stockSum: tf.KernelConfig, stockMean: tf.KernelConfig): tf.KernelConfig[] {
  return [makeReduceLeading("Sum", stockSum), makeReduceLeading("Mean", stockMean)];
}
