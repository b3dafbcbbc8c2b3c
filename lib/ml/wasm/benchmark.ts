import os from "node:os";
import * as tf from "@tensorflow/tfjs";
import { type BackendName, initBackend } from "../backend";
import { fastAdam } from "./fast-adam";

// Measurements behind `npm run bench:train`: inference and training-step times per backend, per-kernel GFLOP/s
// inside a real training step, and a wasm matmul peak taken in the same process for scale.

export interface ModelSpec {
  name: string;
  inputSize: number;
  classes: number;
  /** Builds the model on the current backend; must end in a softmax. */
  build: () => tf.LayersModel;
}

export interface StepTiming {
  backend: BackendName;
  batch: number;
  params: number;
  /** Median milliseconds for one forward pass of the batch (NaN when not measured). */
  inferMs: number;
  /** Median milliseconds for one training step (forward, backward, Adam — FastAdam unless told) on the batch. */
  stepMs: number;
  /** Median process CPU milliseconds (user + system) for the same: robust to other load on a shared machine. */
  stepCpuMs: number;
  inferCpuMs: number;
  steps: number;
}

export interface KernelStat {
  kernel: string;
  calls: number;
  ms: number;
  gflop: number;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function syntheticBatch(spec: ModelSpec, batch: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  return tf.tidy(() => ({
    x: tf.randomUniform([batch, spec.inputSize, spec.inputSize, 3], 0, 1, "float32", 1) as tf.Tensor4D,
    y: tf.oneHot(
      tf.tensor1d(
        Array.from({ length: batch }, (_, i) => i % spec.classes),
        "int32",
      ),
      spec.classes,
    ) as tf.Tensor2D,
  }));
}

/** Times inference and training steps of a model on one backend (after untimed warm-ups of each). */
export async function timeModel(
  spec: ModelSpec,
  backend: BackendName,
  batch: number,
  options: { inferReps: number; trainSteps: number; warmup?: boolean; optimizer?: () => tf.Optimizer },
): Promise<StepTiming> {
  await initBackend({ backend, log: () => {} });
  const model = spec.build();
  const { x, y } = syntheticBatch(spec, batch);
  const infer: number[] = [];
  const inferCpu: number[] = [];
  // Three untimed passes: the first builds XNNPACK operators, the next ones let V8 optimize the kernels' JS, as it
  // has by the time the training steps (each far longer than a pass) are timed.
  const inferWarmup = 3;
  for (let i = 0; options.inferReps > 0 && i < inferWarmup + options.inferReps; i++) {
    const start = performance.now();
    const cpu = process.cpuUsage();
    const out = model.predict(x) as tf.Tensor;
    await out.data();
    out.dispose();
    if (i >= inferWarmup) {
      infer.push(performance.now() - start);
      inferCpu.push(cpuMs(cpu));
    }
  }
  model.compile({ optimizer: options.optimizer?.() ?? fastAdam(1e-3), loss: "categoricalCrossentropy" });
  const steps: number[] = [];
  const stepsCpu: number[] = [];
  const first = options.warmup === false ? 1 : 0;
  for (let i = first; i <= options.trainSteps; i++) {
    const start = performance.now();
    const cpu = process.cpuUsage();
    await model.trainOnBatch(x, y);
    if (i > 0) {
      steps.push(performance.now() - start);
      stepsCpu.push(cpuMs(cpu));
    }
  }
  const params = model.countParams();
  tf.dispose([x, y]);
  model.optimizer.dispose();
  model.dispose();
  return {
    backend,
    batch,
    params,
    inferMs: infer.length ? median(infer) : Number.NaN,
    stepMs: median(steps),
    stepCpuMs: median(stepsCpu),
    inferCpuMs: inferCpu.length ? median(inferCpu) : Number.NaN,
    steps: steps.length,
  };
}

/** Time and FLOPs per kernel over one profiled wasm training step (FLOPs only for conv and matmul kernels). */
export async function profileTrainingStep(spec: ModelSpec, batch: number): Promise<KernelStat[]> {
  await initBackend({ backend: "wasm", log: () => {} });
  const model = spec.build();
  const { x, y } = syntheticBatch(spec, batch);
  model.compile({ optimizer: fastAdam(1e-3), loss: "categoricalCrossentropy" });
  await model.trainOnBatch(x, y);
  const profile = await tf.profile(async () => {
    await model.trainOnBatch(x, y);
  });
  const stats = new Map<string, KernelStat>();
  for (const k of profile.kernels) {
    const stat = stats.get(k.name) ?? { kernel: k.name, calls: 0, ms: 0, gflop: 0 };
    stat.calls += 1;
    stat.ms += Number(k.kernelTimeMs);
    stat.gflop += kernelFlops(k.name, k.inputShapes as number[][], k.outputShapes as number[][]) / 1e9;
    stats.set(k.name, stat);
  }
  tf.dispose([x, y]);
  model.optimizer.dispose();
  model.dispose();
  return [...stats.values()].filter((s) => !s.kernel.endsWith("__op")).sort((a, b) => b.ms - a.ms);
}

const size = (shape: number[] | undefined) => (shape ?? []).reduce((a, b) => a * b, 1);

/** Multiply-adds × 2 of the convolution and matmul kernels, from their shapes; 0 for everything else. */
export function kernelFlops(name: string, inputs: number[][], outputs: number[][]): number {
  const [a, b] = inputs;
  const out = outputs[0];
  switch (name) {
    case "Conv2D":
    case "FusedConv2D":
      return 2 * size(out) * b[0] * b[1] * b[2];
    case "Conv2DBackpropInput":
      return 2 * size(a) * b[0] * b[1] * b[2];
    case "Conv2DBackpropFilter":
      return 2 * size(b) * out[0] * out[1] * out[2];
    case "DepthwiseConv2dNative":
    case "FusedDepthwiseConv2D":
      return 2 * size(out) * b[0] * b[1];
    case "DepthwiseConv2dNativeBackpropInput":
      return 2 * size(a) * b[0] * b[1];
    case "DepthwiseConv2dNativeBackpropFilter":
      return 2 * size(b) * out[0] * out[1];
    case "BatchMatMul":
    case "_FusedMatMul": {
      const n = out[out.length - 1];
      return 2 * size(a) * n;
    }
    default:
      return 0;
  }
}

/** Best GFLOP/s of wasm's BatchMatMul (XNNPACK) over a few square and tall shapes. */
export async function measureMatmulPeak(): Promise<{ gflops: number; shape: string }> {
  await initBackend({ backend: "wasm", log: () => {} });
  let best = { gflops: 0, shape: "" };
  for (const [m, k, n] of [
    [512, 512, 512],
    [1024, 256, 256],
    [4096, 64, 64],
  ]) {
    const a = tf.randomNormal([m, k]);
    const b = tf.randomNormal([k, n]);
    const times: number[] = [];
    for (let i = 0; i < 6; i++) {
      const start = performance.now();
      const c = tf.matMul(a, b);
      c.dataSync();
      c.dispose();
      if (i > 0) times.push(performance.now() - start);
    }
    tf.dispose([a, b]);
    const gflops = (2 * m * k * n) / (median(times) * 1e6);
    if (gflops > best.gflops) best = { gflops, shape: `${m}×${k}·${k}×${n}` };
  }
  return best;
}

export function machineLoad(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
}

export function machineSummary(): string {
  return `tfjs ${tf.version_core}, Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), load average ${machineLoad()}`;
}
