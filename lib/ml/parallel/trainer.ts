/**
 * Data-parallel training on several cores: one worker thread per core, each with its own tfjs + wasm instance
 * (wasm runs one thread in Node) and its own copy of the model.
 *
 *   const trainer = await createParallelTrainer({
 *     workers: 2,
 *     task: { module: "/abs/path/my-task.ts", exportName: "createTask", options: { seed: 1 } },
 *     optimizer: { kind: "adam", learningRate: 1e-3 },
 *   });
 *   const loss = await trainer.step({ x: { data, shape: [16, 96, 96, 3], dtype: "float32" },
 *                                     y: { data: labels, shape: [16], dtype: "int32" } });
 *   const weights = await trainer.getWeights();   // [{ name, shape, data }] in model.weights order
 *   await trainer.dispose();
 *
 * The task module exports a factory `(options) => TrainingTask` (see ./task.ts): it builds the model (same seed in
 * every worker, or call setWeights after start) and a loss that is a MEAN over the examples it is given.
 *
 * Each step splits the batch along its first axis into one shard per worker; workers compute loss and gradients on
 * their shard; the main thread averages them (weighted by shard size), applies the optimizer once (Adam exactly as
 * tf.train.adam computes it, one JS pass per variable) and sends the new weights to every worker, so weights are
 * identical across workers by construction. For a model without batch normalization this equals single-worker
 * training on the whole batch up to float rounding. Batch normalization uses per-worker batch statistics (as PyTorch
 * DDP without SyncBatchNorm); moving means and variances are averaged across workers when weights are read.
 *
 * Each worker pays the fixed cost of a whole step (~50 ms, about 8 images' worth), so use batches of 32 or more: the
 * bound on two free cores is ~1.5× at batch 16 and ~1.65× at batch 32 (README.md, "Training without native
 * TensorFlow"). The batch's typed arrays are copied into shards, never detached.
 */
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { AdamMath } from "../wasm/fast-adam";
import type { ArrayInput, Batch, OptimizerConfig, Reply, Request, TaskSpec, WeightValue } from "./protocol";

export type { ArrayInput, Batch, OptimizerConfig, TaskSpec, WeightValue } from "./protocol";

export interface ParallelTrainerOptions {
  /** Worker threads (cores) to use; 1 gives the single-worker reference. */
  workers: number;
  task: TaskSpec;
  optimizer: OptimizerConfig;
  /** Backend inside each worker; wasm by default (cpu for tests). */
  backend?: "wasm" | "cpu";
}

export interface ParallelTrainer {
  readonly workers: number;
  /** Wall time each worker spent computing its shard's gradients in the last step (for diagnosing imbalance). */
  readonly lastComputeMs: readonly number[];
  /** Trainable weight names and shapes, in the order of gradients. */
  readonly trainable: { name: string; shape: number[] }[];
  /** One optimizer step on the batch; returns the mean loss. `learningRate` overrides the rate from now on. */
  step(batch: Batch, options?: { learningRate?: number }): Promise<number>;
  /** All model weights (model.weights order): trainable ones as updated, non-trainable ones averaged over workers. */
  getWeights(): Promise<WeightValue[]>;
  /** Loads weights (model.weights order) into every worker. */
  setWeights(weights: Float32Array[]): Promise<void>;
  dispose(): Promise<void>;
}

const WORKER_ENTRY = fileURLToPath(new URL("./worker.mjs", import.meta.url));

class WorkerClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  readonly worker: Worker;

  constructor() {
    this.worker = new Worker(WORKER_ENTRY);
    this.worker.on("message", (reply: Reply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.type === "error") {
        const error = new Error(`parallel trainer worker: ${reply.message}`);
        if (reply.stack) error.stack = reply.stack;
        waiter.reject(error);
      } else {
        waiter.resolve(reply);
      }
    });
    this.worker.on("error", (error) => this.failAll(error));
    this.worker.on("exit", (code) => this.failAll(new Error(`parallel trainer worker exited with code ${code}`)));
  }

  request<T extends Reply["type"]>(
    message: DistributiveOmit<Request, "id">,
    expect: T,
    transfer: ArrayBuffer[] = [],
  ): Promise<Extract<Reply, { type: T }>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        resolve: (reply) => {
          if (reply.type !== expect) reject(new Error(`worker replied ${reply.type}, expected ${expect}`));
          else resolve(reply as Extract<Reply, { type: T }>);
        },
        reject,
      });
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface ArrayOptimizer {
  learningRate: number;
  update(name: string, weights: Float32Array, grad: Float32Array): void;
  endStep(): void;
}

function makeOptimizer(config: OptimizerConfig): ArrayOptimizer {
  if (config.kind === "adam") return new AdamMath(config);
  return {
    learningRate: config.learningRate,
    update(_name, weights, grad) {
      for (let i = 0; i < weights.length; i++) weights[i] -= this.learningRate * grad[i];
    },
    endStep() {},
  };
}

/** Splits every input of a batch into `parts` consecutive shards along the first axis (empty shards dropped). */
export function splitBatch(batch: Batch, parts: number): { shard: Batch; size: number }[] {
  const inputs = Object.entries(batch);
  if (inputs.length === 0) throw new Error("empty batch");
  const rows = inputs[0][1].shape[0];
  for (const [name, input] of inputs) {
    if (input.shape[0] !== rows) throw new Error(`batch input ${name} has ${input.shape[0]} rows, expected ${rows}`);
  }
  const shards: { shard: Batch; size: number }[] = [];
  for (let p = 0; p < parts; p++) {
    const start = Math.floor((p * rows) / parts);
    const end = Math.floor(((p + 1) * rows) / parts);
    if (end <= start) continue;
    const shard: Batch = {};
    for (const [name, input] of inputs) {
      const per = input.shape.slice(1).reduce((a, b) => a * b, 1);
      shard[name] = {
        data: input.data.slice(start * per, end * per) as ArrayInput["data"],
        shape: [end - start, ...input.shape.slice(1)],
        dtype: input.dtype,
      };
    }
    shards.push({ shard, size: end - start });
  }
  return shards;
}

/** Starts the workers, builds the task's model in each, and aligns their weights with worker 0. */
export async function createParallelTrainer(options: ParallelTrainerOptions): Promise<ParallelTrainer> {
  if (!Number.isInteger(options.workers) || options.workers < 1) throw new Error("workers must be a positive integer");
  const clients = Array.from({ length: options.workers }, () => new WorkerClient());
  const terminate = () => Promise.all(clients.map((c) => c.worker.terminate()));
  let trainable: WeightValue[];
  try {
    const ready = await Promise.all(
      clients.map((c) => c.request({ type: "init", task: options.task, backend: options.backend ?? "wasm" }, "ready")),
    );
    trainable = ready[0].trainable;
    // Initializers may differ between workers (unseeded layers): start everyone from worker 0's weights.
    const start = ready[0].all.map((w) => w.data);
    await Promise.all(clients.slice(1).map((c) => c.request({ type: "setWeights", weights: start }, "ok")));
  } catch (error) {
    await terminate();
    throw error;
  }

  const master = trainable.map((w) => w.data.slice());
  const offsets: number[] = [];
  let flatLength = 0;
  for (const w of master) {
    offsets.push(flatLength);
    flatLength += w.length;
  }
  const flatMaster = new Float32Array(flatLength);
  const optimizer = makeOptimizer(options.optimizer);
  let lastComputeMs: number[] = [];
  return {
    workers: options.workers,
    get lastComputeMs() {
      return lastComputeMs;
    },
    trainable: trainable.map(({ name, shape }) => ({ name, shape })),

    async step(batch, stepOptions = {}) {
      const shards = splitBatch(batch, clients.length);
      const results = await Promise.all(
        shards.map(({ shard }, i) =>
          clients[i].request(
            { type: "grads", batch: shard },
            "grads",
            Object.values(shard).map((input) => input.data.buffer as ArrayBuffer),
          ),
        ),
      );
      lastComputeMs = results.map((r) => r.computeMs);
      const total = shards.reduce((sum, s) => sum + s.size, 0);
      // Gradients arrive flat (trainable-weight order); average in float64, then update each variable's slice.
      const averaged = new Float64Array(results[0].grads.length);
      results.forEach((r, i) => {
        const weight = shards[i].size / total;
        const g = r.grads;
        for (let j = 0; j < averaged.length; j++) averaged[j] += g[j] * weight;
      });
      const gradient = Float32Array.from(averaged);
      if (stepOptions.learningRate !== undefined) optimizer.learningRate = stepOptions.learningRate;
      for (const [k, w] of trainable.entries()) {
        optimizer.update(w.name, master[k], gradient.subarray(offsets[k], offsets[k] + master[k].length));
        flatMaster.set(master[k], offsets[k]);
      }
      optimizer.endStep();
      await Promise.all(clients.map((c) => c.request({ type: "setTrainable", weights: flatMaster }, "ok")));
      return results.reduce((sum, r, i) => sum + (r.loss * shards[i].size) / total, 0);
    },

    async getWeights() {
      const all = await Promise.all(clients.map((c) => c.request({ type: "getWeights" }, "weights")));
      return all[0].weights.map((w, k) => {
        const t = trainable.findIndex((v) => v.name === w.name);
        if (t >= 0) return { ...w, data: master[t].slice() };
        if (all.length === 1) return w;
        const data = new Float32Array(w.data.length);
        for (const worker of all)
          for (let j = 0; j < data.length; j++) data[j] += worker.weights[k].data[j] / all.length;
        return { ...w, data };
      });
    },

    async setWeights(weights) {
      await Promise.all(clients.map((c) => c.request({ type: "setWeights", weights }, "ok")));
      const loaded = await clients[0].request({ type: "getWeights" }, "weights");
      trainable.forEach((w, k) => {
        const found = loaded.weights.find((v) => v.name === w.name);
        if (found) master[k] = Float32Array.from(found.data);
      });
    },

    async dispose() {
      await terminate();
    },
  };
}
