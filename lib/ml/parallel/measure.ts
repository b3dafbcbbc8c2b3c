import { fileURLToPath } from "node:url";
import type { BackboneConfig } from "../backbone";
import type { ClassifierTaskOptions } from "./classifier-task";
import { type Batch, createParallelTrainer, type ParallelTrainer, splitBatch } from "./trainer";

// Throughput of the data-parallel trainer on the backbone classifier task, for the benchmark.

const TASK_MODULE = fileURLToPath(new URL("./classifier-task.ts", import.meta.url));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function startTrainer(workers: number, backbone: BackboneConfig, classes: number): Promise<ParallelTrainer> {
  const options: ClassifierTaskOptions = { classes, backbone };
  return createParallelTrainer({
    workers,
    task: { module: TASK_MODULE, exportName: "createClassifierTask", options },
    optimizer: { kind: "adam", learningRate: 1e-3 },
  });
}

function syntheticBatch(batch: number, backbone: BackboneConfig, classes: number): Batch {
  const pixels = batch * backbone.inputSize * backbone.inputSize * 3;
  return {
    x: {
      data: Float32Array.from({ length: pixels }, (_, i) => ((i * 2654435761) % 1000) / 1000),
      shape: [batch, backbone.inputSize, backbone.inputSize, 3],
      dtype: "float32",
    },
    y: { data: Int32Array.from({ length: batch }, (_, i) => i % classes), shape: [batch], dtype: "int32" },
  };
}

/** Wall milliseconds of each of `steps` calls of `step`, after one warm-up call. */
async function timeSteps(steps: number, step: () => Promise<unknown>): Promise<number[]> {
  const wall: number[] = [];
  for (let i = 0; i <= steps; i++) {
    const start = performance.now();
    await step();
    if (i > 0) wall.push(performance.now() - start);
  }
  return wall;
}

export interface ScalingRound {
  /** Median wall ms per step of the whole batch: one worker, the two-worker trainer, two workers exchanging nothing. */
  oneMs: number;
  twoMs: number;
  independentMs: number;
}

export interface TwoWorkerScaling {
  batch: number;
  rounds: ScalingRound[];
  /** Median over rounds of one-worker time ÷ two-worker trainer time. */
  speedup: number;
  /**
   * Median over rounds of one-worker time ÷ the time two single-worker trainers take for half the batch each, side
   * by side with no gradient exchange: what the machine's second core gives this workload at that moment, whatever
   * the trainer does. speedup close to it means the trainer's own overhead is not what limits it.
   */
  ceiling: number;
}

/**
 * The two-worker speed-up, robust to a shared machine whose speed drifts by tens of percent within minutes: the
 * configurations alternate round by round, each round's ratio compares neighbours in time, and the median is
 * taken over rounds.
 */
export async function measureTwoWorkerScaling(
  batch: number,
  steps: number,
  rounds: number,
  backbone: BackboneConfig,
  classes = 8,
): Promise<TwoWorkerScaling> {
  const trainers = await Promise.all([1, 2, 1, 1].map((w) => startTrainer(w, backbone, classes)));
  const [one, two, left, right] = trainers;
  try {
    const data = syntheticBatch(batch, backbone, classes);
    const halves = splitBatch(data, 2).map((s) => s.shard);
    const results: ScalingRound[] = [];
    for (let r = 0; r < rounds; r++) {
      const oneMs = median(await timeSteps(steps, () => one.step(data)));
      const twoMs = median(await timeSteps(steps, () => two.step(data)));
      const independentMs = median(
        await timeSteps(steps, () => Promise.all([left.step(halves[0]), right.step(halves[1])])),
      );
      results.push({ oneMs, twoMs, independentMs });
    }
    return {
      batch,
      rounds: results,
      speedup: median(results.map((r) => r.oneMs / r.twoMs)),
      ceiling: median(results.map((r) => r.oneMs / r.independentMs)),
    };
  } finally {
    await Promise.all(trainers.map((t) => t.dispose()));
  }
}
