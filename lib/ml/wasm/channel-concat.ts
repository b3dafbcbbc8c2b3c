import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { TensorInfo } from "./kernel-utils";
import { pointer, simdKernels } from "./simd";

// NASNet cells concatenate 4–6 branches of 4–32 channels along the last axis, and Concat's gradient splits them
// again (SplitV). wasm's versions issue one TypedArray.set (or slice) per pixel and branch: ~50 ns of call overhead
// to move 8 floats. One strided SIMD copy per branch (kernels.wat) moves them instead. Other axes and dtypes keep the
// stock kernels.

function isLastAxis(axis: number | number[], shape: number[]): boolean {
  return shape.length >= 2 && tf.util.parseAxisParam(axis, shape)[0] === shape.length - 1;
}

/** Concat along the last axis for float32 inputs; anything else goes to `stock`. */
export function makeConcatConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }) => {
    const backend = args.backend as BackendWasm;
    const inputs = Object.values(args.inputs) as TensorInfo[];
    const { axis } = args.attrs as { axis: number | number[] };
    const first = inputs[0];
    const fits =
      inputs.length > 1 &&
      inputs.every((t) => t.dtype === "float32" && t.shape.length === first.shape.length) &&
      isLastAxis(axis, first.shape) &&
      inputs.every((t) => t.shape.slice(0, -1).every((d, i) => d === first.shape[i]));
    if (!fits) return stock.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]);
    const widths = inputs.map((t) => t.shape[t.shape.length - 1]);
    const total = widths.reduce((a, b) => a + b, 0);
    const outShape = [...first.shape.slice(0, -1), total];
    const out = backend.makeOutput(outShape, "float32");
    const rows = first.shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const simd = simdKernels(backend);
    const pOut = pointer(backend, out);
    let offset = 0;
    inputs.forEach((input, k) => {
      simd.copyRows(pointer(backend, input), widths[k], pOut + offset * 4, total, rows, widths[k]);
      offset += widths[k];
    });
    return out;
  };
  return {
    kernelName: "Concat",
    backendName: "wasm",
    setupFunc: stock.setupFunc,
    kernelFunc: kernelFunc as tf.KernelFunc,
  };
}

/** SplitV along the last axis for float32 input; anything else goes to `stock`. */
export function makeSplitConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }) => {
    const backend = args.backend as BackendWasm;
    const { x } = args.inputs as { x: TensorInfo };
    const { numOrSizeSplits, axis } = args.attrs as { numOrSizeSplits: number | number[]; axis: number };
    if (x.dtype !== "float32" || !isLastAxis(axis, x.shape)) {
      return stock.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]);
    }
    const last = x.shape.length - 1;
    const sizes = tf.backend_util.prepareSplitSize(x as unknown as tf.Tensor, numOrSizeSplits, last) as number[];
    const total = x.shape[last];
    const rows = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const outs = sizes.map((width) => backend.makeOutput([...x.shape.slice(0, -1), width], "float32"));
    const simd = simdKernels(backend);
    const pX = pointer(backend, x);
    let offset = 0;
    outs.forEach((out, k) => {
      simd.copyRows(pX + offset * 4, total, pointer(backend, out), sizes[k], rows, sizes[k]);
      offset += sizes[k];
    });
    return outs;
  };
  return {
    kernelName: "SplitV",
    backendName: "wasm",
    setupFunc: stock.setupFunc,
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
  };
}
