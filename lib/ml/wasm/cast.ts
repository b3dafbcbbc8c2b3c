import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { TensorInfo } from "./kernel-utils";

// ReLU's gradient (and layers' bookkeeping) casts float32 tensors to float32; wasm's Cast copies them anyway.
// A same-dtype cast shares the data under a reference count, like Reshape; real conversions keep the stock kernel.

/** Cast for wasm that skips the copy when the dtype does not change. */
export function makeCastConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }) => {
    const backend = args.backend as BackendWasm;
    const { x } = args.inputs as { x: TensorInfo };
    const { dtype } = args.attrs as { dtype: tf.DataType };
    if (dtype !== x.dtype || dtype === "string") {
      return stock.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]);
    }
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return {
    kernelName: "Cast",
    backendName: "wasm",
    setupFunc: stock.setupFunc,
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
  };
}
