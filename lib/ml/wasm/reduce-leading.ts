import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { callWasmKernel, heapView, release, type TensorInfo, viewAs } from "./kernel-utils";

// Batch norm reduces activations over batch, height and width for every channel, in the forward pass (moments) and
// twice more in its gradient. wasm's Sum/Mean first transpose the reduced axes innermost (a slow generic Transpose).
// Column sums are a [1, rows] × [rows, channels] matmul: XNNPACK streams the data once with SIMD, ~5× faster than a
// JS loop over these mostly 4–32-channel activations. Other reductions go to the stock kernels.

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
    const width = kept.reduce((a, b) => a * b, 1);
    const ones = backend.makeOutput([1, 1, rows], "float32");
    heapView(backend, ones).fill(kind === "Mean" ? 1 / rows : 1);
    const sums = callWasmKernel(
      backend,
      "BatchMatMul",
      { a: ones, b: viewAs(x, [1, rows, width]) },
      { transposeA: false, transposeB: false },
    );
    release(backend, ones);
    return viewAs(sums, outShape);
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
