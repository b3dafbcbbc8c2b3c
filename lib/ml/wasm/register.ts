import * as tf from "@tensorflow/tfjs";
// Imported for its side effect before anything reads the registry: it registers the stock wasm kernels we replace.
import "@tensorflow/tfjs-backend-wasm";
import { BATCH_NORM_GRAD, batchNormGradKernelConfig, makeBatchNormGradConfig } from "./batch-norm-grad";
import { makeCastConfig } from "./cast";
import { conv2DBackpropFilterConfig } from "./conv2d-backprop-filter";
import { conv2DBackpropInputConfig } from "./conv2d-backprop-input";
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from "./depthwise-backprop";
import { makeIdentityConfig } from "./identity";
import { maxPoolGradConfig } from "./max-pool-grad";
import { makeLeadingReductionConfigs } from "./reduce-leading";
import { tileConfig } from "./tile";

// The kernels a training step needs that tfjs-backend-wasm lacks (conv/depthwise gradients), runs slowly
// (Conv2DBackpropInput, Tile, Sum/Mean over batch axes, copying Identity and
// same-dtype Cast) or gets wrong (MaxPoolGrad with more than one channel).

let installed: readonly tf.KernelConfig[] | null = null;

/** The replacement kernel configs; wrappers keep a handle on the stock kernels they fall back to. */
export function wasmTrainingKernels(): readonly tf.KernelConfig[] {
  if (installed) return installed;
  const stock = (name: string) => {
    const config = tf.getKernel(name, "wasm");
    if (!config) throw new Error(`tfjs-backend-wasm has no ${name} kernel to wrap`);
    return config;
  };
  installed = [
    conv2DBackpropFilterConfig,
    conv2DBackpropInputConfig,
    depthwiseBackpropFilterConfig,
    depthwiseBackpropInputConfig,
    maxPoolGradConfig,
    tileConfig,
    ...makeLeadingReductionConfigs(stock("Sum"), stock("Mean")),
    makeIdentityConfig(stock("Identity")),
    makeCastConfig(stock("Cast")),
    batchNormGradKernelConfig,
  ];
  return installed;
}

let batchNormGradient: tf.GradConfig | null = null;

/** Registers the wasm training kernels over the stock ones (and batch norm's wasm-aware gradient); idempotent. */
export function registerWasmTrainingKernels(): void {
  for (const config of wasmTrainingKernels()) {
    const current = tf.getKernel(config.kernelName, "wasm");
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current) tf.unregisterKernel(config.kernelName, "wasm");
    tf.registerKernel(config);
  }
  const gradient = tf.getGradient("FusedBatchNorm");
  if (gradient && gradient !== batchNormGradient && tf.getKernel(BATCH_NORM_GRAD, "wasm")) {
    // Gradients are registered per kernel name, not per backend: the replacement defers to `gradient` off wasm.
    batchNormGradient = makeBatchNormGradConfig(gradient);
    tf.registerGradient(batchNormGradient);
  }
}
