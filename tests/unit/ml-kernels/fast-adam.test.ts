import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { initBackend } from "@/lib/ml/backend";
import { fastAdam } from "@/lib/ml/wasm/fast-adam";
import { buildTaskModel, TASK_CLASSES, TASK_SIZE, taskLoss } from "./parallel-task";
import { liveCounts, randomValues, relativeError } from "./parity";

// FastAdam must follow tf.train.adam step for step, through minimize() and through model.fit().

function inputs(seed: number) {
  return {
    x: tf.tensor4d(randomValues(4 * TASK_SIZE * TASK_SIZE * 3, seed), [4, TASK_SIZE, TASK_SIZE, 3]),
    y: tf.tensor1d([0, 1, 2, seed % TASK_CLASSES], "int32"),
  };
}

async function trainWith(
  makeOptimizer: () => tf.Optimizer,
  steps: number,
): Promise<{ weights: Float32Array[]; leaked: number }> {
  await initBackend({ backend: "wasm", log: () => {} });
  const model = buildTaskModel();
  const optimizer = makeOptimizer();
  let before = liveCounts();
  for (let s = 0; s < steps; s++) {
    if (s === 1) before = liveCounts();
    const batch = inputs(s + 1);
    optimizer.minimize(() => taskLoss(model, batch));
    tf.dispose([batch.x, batch.y]);
  }
  const leaked = liveCounts().tensors - before.tensors;
  const weights = model.weights.map((w) => w.read().dataSync().slice() as Float32Array);
  model.dispose();
  optimizer.dispose();
  return { weights, leaked };
}

describe("FastAdam", () => {
  it("matches tf.train.adam over several minimize() steps without leaking", async () => {
    const reference = await trainWith(() => tf.train.adam(0.01), 4);
    const fast = await trainWith(() => fastAdam(0.01), 4);
    const errors = fast.weights.map((w, i) => relativeError(w, reference.weights[i]));
    expect(Math.max(...errors)).toBeLessThan(1e-4);
    expect(fast.leaked).toBe(0);
  });

  it("trains through model.fit and follows learning-rate changes", async () => {
    await initBackend({ backend: "wasm", log: () => {} });
    const run = async (optimizer: tf.Optimizer) => {
      const model = buildTaskModel();
      model.compile({ optimizer, loss: "sparseCategoricalCrossentropy" });
      const { x, y } = inputs(3);
      await model.fit(x, y.cast("float32"), { epochs: 2, batchSize: 4, verbose: 0 });
      (optimizer as unknown as { learningRate: number }).learningRate = 0.001;
      const history = await model.fit(x, y.cast("float32"), { epochs: 1, batchSize: 4, verbose: 0 });
      const weights = model.weights.map((w) => w.read().dataSync().slice() as Float32Array);
      tf.dispose([x, y]);
      model.dispose();
      return { loss: history.history.loss[0] as number, weights };
    };
    const reference = await run(tf.train.adam(0.01));
    const fast = await run(fastAdam(0.01));
    expect(Math.abs(fast.loss - reference.loss) / reference.loss).toBeLessThan(1e-4);
    const errors = fast.weights.map((w, i) => relativeError(w, reference.weights[i]));
    expect(Math.max(...errors)).toBeLessThan(1e-4);
  });
});
