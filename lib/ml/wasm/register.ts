import * as tf from "@tensorflow/tfjs";
import { conv2DBackpropFilterConfig } from "./conv2d-backprop-filter";
import { conv2DBackpropInputConfig } from "./conv2d-backprop-input";
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from "./depthwise-backprop";
import { maxPoolGradConfig } from "./max-pool-grad";

// The kernels a training step needs that tfjs-backend-wasm lacks, implements as slow loops, or gets wrong (MaxPoolGrad).
// Importing @tensorflow/tfjs-backend-wasm first matters: its module body registers the stock kernels we replace.
import "@tensorflow/tfjs-backend-wasm";

export const WASM_TRAINING_KERNELS: readonly tf.KernelConfig[] = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  maxPoolGradConfig,
];

/** Registers (or re-registers over stock versions) the wasm training kernels; safe to call repeatedly. */
export function registerWasmTrainingKernels(): void {
  for (const config of WASM_TRAINING_KERNELS) {
    const current = tf.getKernel(config.kernelName, "wasm");
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current) tf.unregisterKernel(config.kernelName, "wasm");
    tf.registerKernel(config);
  }
}
