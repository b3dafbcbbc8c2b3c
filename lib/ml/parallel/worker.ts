import { pathToFileURL } from "node:url";
import { parentPort } from "node:worker_threads";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend";
import type { Batch, Reply, Request, TaskSpec, WeightValue } from "./protocol";
import type { TaskFactory, TrainingTask } from "./task";

// One data-parallel worker: its own tfjs + wasm instance (one core) and the task's model. It computes gradients on
// its shard; the main thread averages them, runs the optimizer once and sends every worker the same new weights.

let task: TrainingTask | null = null;
let variables: tf.Variable[] = [];

function requireTask(): TrainingTask {
  if (!task) throw new Error("worker used before init");
  return task;
}

async function loadTask(spec: TaskSpec): Promise<TrainingTask> {
  const url = spec.module.startsWith("file:") ? spec.module : pathToFileURL(spec.module).href;
  const mod = (await import(url)) as Record<string, unknown>;
  const factory = mod[spec.exportName];
  if (typeof factory !== "function") throw new Error(`${spec.module} does not export a function ${spec.exportName}`);
  return (factory as TaskFactory)(spec.options);
}

function describeWeights(weights: tf.LayerVariable[]): WeightValue[] {
  // slice(): some backends hand out their own storage, which must not be transferred away.
  return weights.map((w) => ({
    name: w.name,
    shape: w.shape as number[],
    data: (w.read().dataSync() as Float32Array).slice(),
  }));
}

function toTensors(batch: Batch): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [name, input] of Object.entries(batch)) out[name] = tf.tensor(input.data, input.shape, input.dtype);
  return out;
}

async function handle(msg: Request): Promise<{ reply: Reply; transfer: ArrayBuffer[] }> {
  switch (msg.type) {
    case "init": {
      await initBackend({ backend: msg.backend, log: () => {} });
      task = await loadTask(msg.task);
      variables = task.model.trainableWeights.map((w) => w.read() as tf.Variable);
      const reply: Reply = {
        id: msg.id,
        type: "ready",
        trainable: describeWeights(task.model.trainableWeights),
        all: describeWeights(task.model.weights),
      };
      return { reply, transfer: [] };
    }
    case "grads": {
      const current = requireTask();
      const started = performance.now();
      const inputs = toTensors(msg.batch);
      const { value, grads } = tf.variableGrads(() => current.loss(inputs), variables);
      const loss = value.dataSync()[0];
      // One flat array (one transfer) instead of ~300 small ones; wasm and cpu read synchronously anyway.
      const flat = new Float32Array(variables.reduce((sum, v) => sum + v.size, 0));
      let offset = 0;
      for (const v of variables) {
        flat.set(grads[v.name].dataSync() as Float32Array, offset);
        offset += v.size;
      }
      tf.dispose([value, ...Object.values(grads), ...Object.values(inputs)]);
      return {
        reply: { id: msg.id, type: "grads", loss, grads: flat, computeMs: performance.now() - started },
        transfer: [flat.buffer as ArrayBuffer],
      };
    }
    case "setTrainable": {
      requireTask();
      let offset = 0;
      for (const v of variables) {
        const next = tf.tensor(msg.weights.subarray(offset, offset + v.size), v.shape, "float32");
        offset += v.size;
        v.assign(next);
        next.dispose();
      }
      return { reply: { id: msg.id, type: "ok" }, transfer: [] };
    }
    case "getWeights": {
      const weights = describeWeights(requireTask().model.weights);
      return {
        reply: { id: msg.id, type: "weights", weights },
        transfer: weights.map((w) => w.data.buffer as ArrayBuffer),
      };
    }
    case "setWeights": {
      const model = requireTask().model;
      const tensors = model.weights.map((w, i) => tf.tensor(msg.weights[i], w.shape as number[]));
      model.setWeights(tensors);
      tf.dispose(tensors);
      variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
      return { reply: { id: msg.id, type: "ok" }, transfer: [] };
    }
  }
}

const port = parentPort;
if (!port) throw new Error("lib/ml/parallel/worker.ts must run in a worker thread");
let queue = Promise.resolve();
port.on("message", (msg: Request) => {
  // Requests run strictly in order: a step's new weights must be in place before the next "grads" reads them.
  queue = queue.then(async () => {
    try {
      const { reply, transfer } = await handle(msg);
      port.postMessage(reply, transfer);
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      port.postMessage({ id: msg.id, type: "error", message: err.message, stack: err.stack } satisfies Reply);
    }
  });
});
