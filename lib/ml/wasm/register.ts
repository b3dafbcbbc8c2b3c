import * as tf from "@tensorflow/tfjs";
// Imported for its side effect before anything reads the registry: it registers the stock wasm kernels we replace.
import "@tensorflow/tfjs-backend-wasm";
import { makeAvgPoolGradConfig } from "./avg-pool-grad";
import { BATCH_NORM_GRAD, batchNormGradKernelConfig, makeBatchNormGradConfig } from "./batch-norm-grad";
import {
  BATCH_NORM_TRAINING,
  batchNormTrainingGradConfig,
  batchNormTrainingKernelConfigs,
  routeBatchNormTrainingToWasm,
} from "./batch-norm-training";
import { makeCastConfig } from "./cast";
import { makeConcatConfig, makeSplitConfig } from "./channel-concat";
import { conv2DBackpropFilterConfig } from "./conv2d-backprop-filter";
import { conv2DBackpropInputConfig } from "./conv2d-backprop-input";
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from "./depthwise-backprop";
import { makeDepthwiseForwardConfig } from "./depthwise-forward";
import { makeIdentityConfig } from "./identity";
import { maxPoolGradConfig } from "./max-pool-grad";
import { makeMeanGradConfig, REPEAT_ROWS, repeatRowsKernelConfig } from "./mean-grad";
import { makePointwiseConvConfig } from "./pointwise-conv";
import { makeLeadingReductionConfigs } from "./reduce-leading";
import { makeReluGradConfig, RELU_GRAD, reluGradKernelConfig } from "./relu-grad";
import { tileConfig } from "./tile";
import { unsortedSegmentSumConfig } from "./unsorted-segment-sum";

// What a training step needs that tfjs-backend-wasm lacks (conv and depthwise gradients, gather's
// UnsortedSegmentSum), gets wrong (MaxPoolGrad with more than one channel, depthwise strides above the kernel) or runs
// slowly (Conv2DBackpropInput, depthwise and 1×1 forward convolutions, 1×1 AvgPoolGrad, Tile, Sum/Mean over batch
// axes, copying Identity and same-dtype Cast, per-pixel Concat/SplitV, batch norm's training call and the many-op
// gradients of batch norm, mean and ReLU). Found by profiling real `fit` and `optimizer.minimize` steps of the NASNet
// backbone, not by guessing.

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
    makeConcatConfig(stock("Concat")),
    makeSplitConfig(stock("SplitV")),
    makeAvgPoolGradConfig(stock("AvgPoolGrad")),
    makeDepthwiseForwardConfig(stock("DepthwiseConv2dNative")),
    makePointwiseConvConfig(stock("Conv2D")),
    makePointwiseConvConfig(stock("FusedConv2D")),
    batchNormGradKernelConfig,
    repeatRowsKernelConfig,
    ...batchNormTrainingKernelConfigs,
    reluGradKernelConfig,
    unsortedSegmentSumConfig,
  ];
  return installed;
}

const installedGradients = new Map<string, tf.GradConfig>();

/** Replaces a kernel's gradient with a wasm-aware one that defers to the original elsewhere; once per process. */
function overrideGradient(kernelName: string, requires: string, make: (original: tf.GradConfig) => tf.GradConfig) {
  const current = tf.getGradient(kernelName);
  if (!current || current === installedGradients.get(kernelName) || !tf.getKernel(requires, "wasm")) return;
  const replacement = make(current);
  installedGradients.set(kernelName, replacement);
  tf.registerGradient(replacement);
}

/** Registers the wasm training kernels over the stock ones, and wasm-aware batch-norm and mean gradients; idempotent. */
export function registerWasmTrainingKernels(): void {
  for (const config of wasmTrainingKernels()) {
    const current = tf.getKernel(config.kernelName, "wasm");
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current) tf.unregisterKernel(config.kernelName, "wasm");
    tf.registerKernel(config);
  }
  // Gradients are registered per kernel name, not per backend: each replacement defers to the original off wasm.
  overrideGradient("FusedBatchNorm", BATCH_NORM_GRAD, makeBatchNormGradConfig);
  overrideGradient("Mean", REPEAT_ROWS, makeMeanGradConfig);
  overrideGradient("Relu", RELU_GRAD, makeReluGradConfig);
  if (!tf.getGradient(BATCH_NORM_TRAINING)) tf.registerGradient(batchNormTrainingGradConfig);
  routeBatchNormTrainingToWasm();
}
