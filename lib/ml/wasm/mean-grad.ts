import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapView, type TensorInfo } from "./kernel-utils";

// tfjs differentiates Mean as dy · ones(x.shape) / n, building the ones in a JS array and uploading it: per batch-norm
// moment a full-size allocation, a copy and a multiply. For means over leading axes (the batch-norm case) dx is
// just dy / n repeated row after row, which copyWithin writes at memcpy speed. Other cases keep tfjs's gradient.

export const REPEAT_ROWS = "WasmRepeatRows";

function repeatRows(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x } = args.inputs as { x: TensorInfo };
  const { shape, scale } = args.attrs as { shape: number[]; scale: number };
  const out = backend.makeOutput(shape, "float32");
  const row = heapView(backend, x);
  const dst = heapView(backend, out);
  const width = row.length;
  if (dst.length === 0) return out;
  for (let c = 0; c < width; c++) dst[c] = row[c] * scale;
  for (let done = width; done < dst.length; done *= 2) dst.copyWithin(done, 0, Math.min(done, dst.length - done));
  return out;
}

export const repeatRowsKernelConfig: tf.KernelConfig = {
  kernelName: REPEAT_ROWS,
  backendName: "wasm",
  kernelFunc: repeatRows as unknown as tf.KernelFunc,
};

/** Mean's gradient: a repeat of dy / n on wasm for leading-axis means, tfjs's own otherwise. */
export function makeMeanGradConfig(original: tf.GradConfig): tf.GradConfig {
  return {
    kernelName: "Mean",
    inputsToSave: ["x"],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const axes = tf.util.parseAxisParam((attrs as { axis: number | number[] }).axis, x.shape).sort((a, b) => a - b);
      const leading = axes.length > 0 && axes.length < x.rank && axes.every((a, i) => a === i);
      if (tf.getBackend() !== "wasm" || Array.isArray(dy) || dy.dtype !== "float32" || !leading) {
        return original.gradFunc(dy, saved, attrs);
      }
      const rows = x.shape.slice(0, axes.length).reduce((a, b) => a * b, 1);
      return {
        x: () =>
          tf.engine().runKernel(REPEAT_ROWS, { x: dy as tf.Tensor }, { shape: x.shape, scale: 1 / rows }) as tf.Tensor,
      };
    },
  };
}
