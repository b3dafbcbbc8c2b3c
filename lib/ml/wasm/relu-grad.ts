import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapView, type TensorInfo } from "./kernel-utils";
import { pointer, simdKernels } from "./simd";

// tfjs differentiates Relu as dy · step(cast(x)): three kernel calls and two full-size passes per ReLU, and a NASNet
// step has ~85 ReLUs. On wasm one SIMD pass selects dy where x > 0. Other backends keep tfjs's gradient.

export const RELU_GRAD = "WasmReluGrad";

function reluGrad(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { dy, x } = args.inputs as { dy: TensorInfo; x: TensorInfo };
  const out = backend.makeOutput(x.shape, "float32");
  const size = tf.util.sizeFromShape(x.shape);
  const vectorized = size - (size % 4);
  simdKernels(backend).reluGrad(pointer(backend, dy), pointer(backend, x), pointer(backend, out), vectorized);
  if (vectorized < size) {
    const g = heapView(backend, dy);
    const xs = heapView(backend, x);
    const o = heapView(backend, out);
    for (let i = vectorized; i < size; i++) o[i] = xs[i] > 0 ? g[i] : 0;
  }
  return out;
}

export const reluGradKernelConfig: tf.KernelConfig = {
  kernelName: RELU_GRAD,
  backendName: "wasm",
  kernelFunc: reluGrad as unknown as tf.KernelFunc,
};

/** Relu's gradient: one SIMD kernel on wasm for float32, tfjs's own otherwise. */
export function makeReluGradConfig(original: tf.GradConfig): tf.GradConfig {
  return {
    kernelName: "Relu",
    inputsToSave: ["x"],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      if (tf.getBackend() !== "wasm" || Array.isArray(dy) || dy.dtype !== "float32" || x.dtype !== "float32") {
        return original.gradFunc(dy, saved, attrs);
      }
      return { x: () => tf.engine().runKernel(RELU_GRAD, { dy, x }) as tf.Tensor };
    },
  };
}
