import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "@/lib/ml/backend";
import { type Batch, createParallelTrainer, type ParallelTrainer, splitBatch } from "@/lib/ml/parallel/trainer";
import { buildTaskModel, TASK_CLASSES, TASK_SIZE, taskLoss } from "./parallel-task";
import { randomValues, relativeError } from "./parity";

// Two workers must train exactly like one process on the whole batch (the task has no batch norm).

const TASK = { module: path.resolve(import.meta.dirname, "parallel-task.ts"), exportName: "createTestTask" };
const LEARNING_RATE = 0.01;

function makeBatch(rows: number, seed: number): Batch {
  return {
    x: {
      data: randomValues(rows * TASK_SIZE * TASK_SIZE * 3, seed),
      shape: [rows, TASK_SIZE, TASK_SIZE, 3],
      dtype: "float32",
    },
    y: {
      data: Int32Array.from({ length: rows }, (_, i) => (i * 7 + seed) % TASK_CLASSES),
      shape: [rows],
      dtype: "int32",
    },
  };
}

/** The single-process reference: the same model and Adam, whole batches. */
async function trainInProcess(batches: Batch[]): Promise<{ losses: number[]; weights: Float32Array[] }> {
  await initBackend({ backend: "wasm", log: () => {} });
  const model = buildTaskModel();
  const optimizer = tf.train.adam(LEARNING_RATE);
  const losses: number[] = [];
  for (const batch of batches) {
    const inputs = {
      x: tf.tensor(batch.x.data, batch.x.shape, "float32"),
      y: tf.tensor(batch.y.data, batch.y.shape, "int32"),
    };
    const loss = optimizer.minimize(() => taskLoss(model, inputs), true) as tf.Scalar;
    losses.push(loss.dataSync()[0]);
    tf.dispose([loss, inputs.x, inputs.y]);
  }
  const weights = model.weights.map((w) => w.read().dataSync().slice() as Float32Array);
  optimizer.dispose();
  model.dispose();
  return { losses, weights };
}

describe("parallel trainer", () => {
  let trainer: ParallelTrainer;

  beforeAll(async () => {
    trainer = await createParallelTrainer({
      workers: 2,
      task: TASK,
      optimizer: { kind: "adam", learningRate: LEARNING_RATE },
    });
  }, 60_000);

  afterAll(async () => {
    await trainer?.dispose();
  });

  it("splits batches into consecutive shards", () => {
    const shards = splitBatch(makeBatch(5, 1), 2);
    expect(shards.map((s) => s.size)).toEqual([2, 3]);
    expect(shards[1].shard.y.shape).toEqual([3]);
    expect(Array.from(shards[1].shard.y.data)).toEqual(Array.from(makeBatch(5, 1).y.data.slice(2)));
  });

  it("matches single-process training on whole batches, with uneven shards", async () => {
    const batches = [makeBatch(6, 1), makeBatch(5, 2), makeBatch(6, 3)];
    const reference = await trainInProcess(batches);
    const losses: number[] = [];
    for (const batch of batches) losses.push(await trainer.step(structuredClone(batch)));
    const weights = await trainer.getWeights();
    losses.forEach((loss, i) => {
      expect(Math.abs(loss - reference.losses[i]) / reference.losses[i]).toBeLessThan(1e-5);
    });
    const errors = weights.map((w, i) => relativeError(w.data, reference.weights[i]));
    expect(Math.max(...errors)).toBeLessThan(1e-4);
  });

  it("reports a worker-side failure as an error", async () => {
    await expect(trainer.step({ x: makeBatch(2, 1).x, y: { ...makeBatch(2, 1).y, shape: [2, 1] } })).rejects.toThrow();
  });
});
