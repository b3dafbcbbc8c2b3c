import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildBackbone } from "@/lib/ml/backbone";
import { initBackend } from "@/lib/ml/backend";
import { type Backend, liveCounts, randomValues, relativeError } from "./parity";

// Whole training steps on wasm against cpu: same loss, same gradients, same Adam update, no leaks.

const CLASSES = 4;
const BATCH = 4;
const SIZE = 16;

/** Every op the NASNet-style backbone uses: strided/1×1 convs, separable 3/5/7, avg/max pooling, BN, concat, GAP, dense. */
function buildCellNet(): tf.LayersModel {
  const input = tf.input({ shape: [SIZE, SIZE, 3] });
  const relu = (t: tf.SymbolicTensor) => tf.layers.reLU().apply(t) as tf.SymbolicTensor;
  const bn = (t: tf.SymbolicTensor) => tf.layers.batchNormalization().apply(t) as tf.SymbolicTensor;
  const sep = (t: tf.SymbolicTensor, k: number, s: number, padding: "same" | "valid" = "same", filters = 6) =>
    tf.layers.separableConv2d({ filters, kernelSize: k, strides: s, padding }).apply(relu(t)) as tf.SymbolicTensor;
  const pool = (kind: "avg" | "max", t: tf.SymbolicTensor, s: number, padding: "same" | "valid" = "same") =>
    (kind === "avg" ? tf.layers.averagePooling2d : tf.layers.maxPooling2d)({ poolSize: 3, strides: s, padding }).apply(
      t,
    ) as tf.SymbolicTensor;
  let x = relu(
    bn(tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: "same" }).apply(input) as tf.SymbolicTensor),
  );
  const a = bn(sep(x, 3, 1));
  const b = bn(sep(x, 5, 1));
  const c = pool("avg", x, 1);

  // Max pooling reads the BN output, not a ReLU: ties between zeros would let cpu and wasm route gradients differently.
  const d = pool("max", bn(tf.layers.conv2d({ filters: 6, kernelSize: 1 }).apply(input) as tf.SymbolicTensor), 2);
  x = tf.layers.concatenate().apply([a, b, c, d]) as tf.SymbolicTensor;
  x = tf.layers
    .conv2d({ filters: 8, kernelSize: 1, padding: "same", useBias: false })
    .apply(relu(x)) as tf.SymbolicTensor;
  const r1 = tf.layers.add().apply([sep(x, 7, 2, "same", 8), pool("max", x, 2)]) as tf.SymbolicTensor;
  const r2 = tf.layers.add().apply([sep(x, 3, 2, "same", 8), pool("avg", x, 2)]) as tf.SymbolicTensor;
  const r3 = tf.layers
    .conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: "valid" })
    .apply(x) as tf.SymbolicTensor;
  const r4 = sep(x, 3, 2, "valid");
  const gap = (t: tf.SymbolicTensor) => tf.layers.globalAveragePooling2d({}).apply(t) as tf.SymbolicTensor;
  const features = tf.layers.concatenate().apply([gap(r1), gap(r2), gap(r3), gap(r4)]) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: CLASSES, activation: "softmax" }).apply(features) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

function buildTinyBackbone(): tf.LayersModel {
  const backbone = buildBackbone({
    inputSize: SIZE,
    cells: 1,
    penultimateFilters: 48,
    stemFilters: 4,
    stemReductions: 1,
    seed: 3,
  });
  const head = tf.layers
    .dense({ units: CLASSES, activation: "softmax" })
    .apply(backbone.outputs[0]) as tf.SymbolicTensor;
  return tf.model({ inputs: backbone.inputs, outputs: head });
}

// Batch 2 as well: with two images per batch-norm layer the batch variance is small and its gradient amplifies any
// rounding difference between the backends.
const NETS: Record<string, { build: () => tf.LayersModel; batch: number }> = {
  "cell net": { build: buildCellNet, batch: BATCH },
  "NASNet backbone (1 @ 48)": { build: buildTinyBackbone, batch: BATCH },
  "NASNet backbone (1 @ 48), batch 2": { build: buildTinyBackbone, batch: 2 },
};

/** Identical starting weights on every backend, whatever the initializers do. */
function initialWeights(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w, i) => randomValues(w.size, 1000 + i).map((v) => v * 0.5));
}

function batch(size: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const x = tf.tensor4d(randomValues(size * SIZE * SIZE * 3, 7), [size, SIZE, SIZE, 3]);
  const labels = Array.from({ length: size }, (_, i) => i % CLASSES);
  const y = tf.oneHot(tf.tensor1d(labels, "int32"), CLASSES) as tf.Tensor2D;
  return { x, y };
}

const LEARNING_RATE = 0.01;

interface StepResult {
  loss: number;
  grads: Float32Array[];
  /** Trainable weights after one Adam step from the initial weights. */
  stepped: Float32Array[];
  fitLoss: number;
  /** Non-trainable weights (batch norm's moving statistics) after the two gradient computations. */
  moving: Float32Array[];
  /** Kernels that ran in one training-mode forward pass. */
  kernels: Set<string>;
  /** Growth in live tensors and wasm data ids across: a gradient computation, a repeated minimize(), a repeated fit(). */
  leaks: number[];
}

function growth(from: { tensors: number; dataIds: number }): number[] {
  const now = liveCounts();
  return [now.tensors - from.tensors, now.dataIds - from.dataIds];
}

async function trainStep(backend: Backend, build: () => tf.LayersModel, batchSize = BATCH): Promise<StepResult> {
  await initBackend({ backend, log: () => {} });
  const model = build();
  const weights = initialWeights(model);
  const resetWeights = () => model.setWeights(model.getWeights().map((w, i) => tf.tensor(weights[i], w.shape)));
  resetWeights();
  const { x, y } = batch(batchSize);
  const lossFn = () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar;

  const computeGrads = () => {
    const { value, grads } = tf.variableGrads(lossFn);
    const result = {
      loss: value.dataSync()[0],
      grads: model.trainableWeights.map((w) => grads[w.name].dataSync() as Float32Array),
    };
    tf.dispose([value, ...Object.values(grads)]);
    return result;
  };
  // The first training-mode call rewrites batch norm's moving statistics (new data ids, on cpu as well): measure the second.
  const { loss, grads } = computeGrads();
  const beforeGrads = liveCounts();
  computeGrads();
  const leaks = growth(beforeGrads);
  const moving = model.nonTrainableWeights.map((w) => w.read().dataSync() as Float32Array);
  const profile = await tf.profile(() => tf.tidy(lossFn));
  const kernels = new Set(profile.kernels.map((k) => k.name));

  // The first call of an optimizer creates its slots; a second call must not allocate anything that stays.
  const optimizer = tf.train.adam(LEARNING_RATE);
  optimizer.minimize(lossFn);
  const stepped = model.trainableWeights.map((w) => w.read().dataSync() as Float32Array);
  const afterFirstMinimize = liveCounts();
  optimizer.minimize(lossFn);
  leaks.push(...growth(afterFirstMinimize));

  resetWeights();
  model.compile({ optimizer: tf.train.adam(LEARNING_RATE), loss: "categoricalCrossentropy" });
  const history = await model.fit(x, y, { epochs: 1, batchSize, verbose: 0 });
  const afterFirstFit = liveCounts();
  await model.fit(x, y, { epochs: 1, batchSize, verbose: 0 });
  leaks.push(...growth(afterFirstFit));

  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
  return { loss, grads, stepped, fitLoss: history.history.loss[0] as number, moving, kernels, leaks };
}

/** Largest weight difference after the Adam step, over elements whose gradient is clearly non-zero. */
function steppedWeightError(wasm: StepResult, cpu: StepResult, threshold: number): number {
  let worst = 0;
  cpu.grads.forEach((g, i) => {
    for (let j = 0; j < g.length; j++) {
      // Adam moves every weight by ≈ lr·sign(g): where g is rounding noise the sign is arbitrary on any backend.
      if (Math.abs(g[j]) > threshold) worst = Math.max(worst, Math.abs(wasm.stepped[i][j] - cpu.stepped[i][j]));
    }
  });
  return worst;
}

describe("training step on wasm", () => {
  beforeAll(async () => {
    await initBackend({ backend: "wasm", log: () => {} });
  });

  for (const [name, { build, batch: batchSize }] of Object.entries(NETS)) {
    it(`${name}: same loss, gradients and Adam update as cpu, no leaks`, async () => {
      const cpu = await trainStep("cpu", build, batchSize);
      const wasm = await trainStep("wasm", build, batchSize);
      expect(Math.abs(wasm.loss - cpu.loss) / Math.abs(cpu.loss)).toBeLessThan(1e-5);
      expect(Math.abs(wasm.fitLoss - cpu.fitLoss) / Math.abs(cpu.fitLoss)).toBeLessThan(1e-5);
      // A bias followed by batch norm has a zero gradient up to rounding: judge each tensor against at least 1% of the
      // largest gradient in the model, not against its own noise.
      const largest = Math.max(...cpu.grads.map((g) => Math.max(...g.map(Math.abs))));
      const gradErrors = wasm.grads.map((g, i) => relativeError(g, cpu.grads[i], 0.01 * largest));
      expect(Math.max(...gradErrors)).toBeLessThan(1e-3);
      expect(steppedWeightError(wasm, cpu, 0.01 * largest)).toBeLessThan(1e-3 * LEARNING_RATE);
      expect(wasm.moving.length).toBeGreaterThan(0);
      expect(Math.max(...wasm.moving.map((m, i) => relativeError(m, cpu.moving[i])))).toBeLessThan(1e-4);
      // Batch norm in training mode must take the fused wasm kernel, or this test would only cover tfjs's own ops.
      expect(wasm.kernels.has("WasmBatchNormTraining")).toBe(true);
      expect(wasm.kernels.has("FusedBatchNorm")).toBe(false);
      expect(wasm.leaks).toEqual([0, 0, 0, 0, 0, 0]);
    });
  }
});
