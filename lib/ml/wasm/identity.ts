import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { TensorInfo } from "./kernel-utils";

// While recording gradients the engine clones every tensor it saves for the backward pass through Identity, and
// wasm's Identity copies the bytes: thousands of memcpys per NASNet step. Tensors are immutable (variables swap
// their data id on assign), so sharing the data with a reference count is safe, as wasm's own Reshape does.

function identity(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x } = args.inputs as { x: TensorInfo };
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** Identity for wasm without the copy; strings (not on the wasm heap) keep the stock kernel. */
export function makeIdentityConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: { inputs: tf.NamedTensorInfoMap; backend: unknown }) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype === "string") return stock.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]);
    return identity(args);
  };
  return {
    kernelName: "Identity",
    backendName: "wasm",
    setupFunc: stock.setupFunc,
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
  };
}
