import { fileURLToPath } from "node:url";
import type { BackboneConfig } from "../backbone";
import type { ClassifierTaskOptions } from "./classifier-task";
import { createParallelTrainer } from "./trainer";

// Throughput of the data-parallel trainer on the backbone classifier task, for the benchmark.

export interface ParallelTiming {
  workers: number;
  batch: number;
  /** Median milliseconds per step, after one warm-up step. */
  stepMs: number;
  /** Median process CPU milliseconds per step (all threads): the work done, whatever else runs on the machine. */
  stepCpuMs: number;
  /** Each worker's gradient time in the last step. */
  computeMs: readonly number[];
}

const TASK_MODULE = fileURLToPath(new URL("./classifier-task.ts", import.meta.url));

/** Median step time of the parallel trainer with `workers` workers on synthetic images. */
export async function timeParallelSteps(
  workers: number,
  batch: number,
  steps: number,
  backbone: BackboneConfig,
  classes = 8,
): Promise<ParallelTiming> {
  const options: ClassifierTaskOptions = { classes, backbone };
  const trainer = await createParallelTrainer({
    workers,
    task: { module: TASK_MODULE, exportName: "createClassifierTask", options },
    optimizer: { kind: "adam", learningRate: 1e-3 },
  });
  try {
    const pixels = batch * backbone.inputSize * backbone.inputSize * 3;
    const x = Float32Array.from({ length: pixels }, (_, i) => ((i * 2654435761) % 1000) / 1000);
    const y = Int32Array.from({ length: batch }, (_, i) => i % classes);
    const times: number[] = [];
    const cpuTimes: number[] = [];
    for (let i = 0; i <= steps; i++) {
      const start = performance.now();
      const cpu = process.cpuUsage();
      await trainer.step({
        x: { data: x, shape: [batch, backbone.inputSize, backbone.inputSize, 3], dtype: "float32" },
        y: { data: y, shape: [batch], dtype: "int32" },
      });
      if (i > 0) {
        times.push(performance.now() - start);
        const used = process.cpuUsage(cpu);
        cpuTimes.push((used.user + used.system) / 1000);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return { workers, batch, stepMs: median(times), stepCpuMs: median(cpuTimes), computeMs: trainer.lastComputeMs };
  } finally {
    await trainer.dispose();
  }
}
