import * as tf from "@tensorflow/tfjs";
import { createRng, shuffleInPlace } from "./data";
import type { Batch } from "./parallel/protocol";

/** Backbone pretraining on single photos (category + view) and batched feature extraction. */

export interface Normalization {
  scale: number;
  offset: number;
}

export const DEFAULT_NORMALIZATION: Normalization = { scale: 1 / 255, offset: 0 };

/**
 * Single photos with their labels; -1 marks an unknown label. Besides category and view, the
 * backbone learns what sets the price (the damage on the face it shows, the brand tier, the
 * standardized log price): without those targets nothing teaches it to see a scratch.
 */
export interface PhotoSet {
  pixels: Uint8Array[];
  category: Int32Array;
  view: Int32Array;
  damage: Int32Array;
  brand: Int32Array;
  /** Variant and storage ranks (PhotoExample); absent when the data has none. */
  variant?: Int32Array;
  storage?: Int32Array;
  logPrice: Float32Array;
}

export const DAMAGE_LEVELS = 4;
export const BRAND_LEVELS = 3;
/** Most variants (and storage sizes) any category has (lib/dataset/price.ts). */
export const OPTION_LEVELS = 3;

export interface PretrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  viewWeight: number;
  /** Weight of the price target, and of the brand target unless brandWeight is given. */
  auxWeight: number;
  /** Weight of the damage target. */
  damageWeight: number;
  /** Weight of the brand target (default auxWeight): brand tier is the largest price factor (×0.6 to ×1.75). */
  brandWeight?: number;
  /**
   * Weight of the variant and storage targets (0: off). Variant is up to ×1.6 of the price and storage ×0.85–×1.2,
   * and no other target asks the backbone to tell a dual camera from a triple or to read a label's capacity boxes.
   */
  variantWeight?: number;
  /** First epoch to run (for --resume). */
  startEpoch?: number;
  onStep?: (epoch: number, step: number, steps: number, loss: number) => void;
  onEpoch?: (epoch: number, loss: number) => Promise<void> | void;
}

/** Converts uint8 HWC pixels into a normalized [n, S, S, 3] batch. */
export function toBatchTensor(pixels: Uint8Array[], size: number, norm: Normalization): tf.Tensor4D {
  const per = size * size * 3;
  const data = new Float32Array(pixels.length * per);
  pixels.forEach((px, i) => {
    if (px.length !== per) throw new Error(`photo ${i} has ${px.length} values, expected ${per} (${size}×${size} RGB)`);
    const base = i * per;
    for (let k = 0; k < per; k++) data[base + k] = px[k] * norm.scale + norm.offset;
  });
  return tf.tensor4d(data, [pixels.length, size, size, 3]);
}

/** Mean cross-entropy over the rows whose label is known (≥ 0); 0 when none is, never NaN. */
export function maskedCrossEntropy(labels: tf.Tensor, logits: tf.Tensor, classes: number): tf.Scalar {
  return tf.tidy(() => {
    const flatLabels = labels.reshape([-1]);
    const flatLogits = logits.reshape([-1, classes]);
    const known = tf.cast(tf.greaterEqual(flatLabels, 0), "float32");
    const targets = tf.oneHot(tf.maximum(flatLabels, 0).toInt(), classes);
    const ce = tf.losses.softmaxCrossEntropy(targets, flatLogits, undefined, undefined, tf.Reduction.NONE);
    return tf.div(tf.sum(tf.mul(ce, known)), tf.maximum(tf.sum(known), 1)) as tf.Scalar;
  });
}

/** Wraps the backbone with category, view, damage, brand and price heads for single-photo pretraining. */
export function buildPretrainModel(backbone: tf.LayersModel, categories: number, views: number, seed: number) {
  // No dropout: unseeded randomness would make pretraining irreproducible, and five targets regularize enough.
  const dropped = backbone.outputs[0];
  const dense = (units: number, name: string, k: number) =>
    tf.layers
      .dense({ units, name: `pretrain_${name}`, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + k }) })
      .apply(dropped) as tf.SymbolicTensor;
  const outputs = [
    dense(categories, "category", 0),
    dense(views, "view", 1),
    dense(DAMAGE_LEVELS, "damage", 2),
    dense(BRAND_LEVELS, "brand", 3),
    dense(1, "price", 4),
    // After price, so backboneOf's prediction outputs (0..4) keep their places; models saved before have no such heads.
    dense(OPTION_LEVELS, "variant", 5),
    dense(OPTION_LEVELS, "storage", 6),
  ];
  return tf.model({ inputs: backbone.inputs, outputs, name: "pretrain" });
}

/**
 * The image → features part of a pretraining model, sharing its weights. With `withPredictions` the features are
 * followed by the pretraining heads' per-photo predictions (category, view, damage and brand probabilities, log
 * price): linear in the features, but fitted on every training photo with per-photo labels, which the set head
 * (trained on far fewer items) cannot recover as well on its own.
 */
export function backboneOf(pretrain: tf.LayersModel, withPredictions = false): tf.LayersModel {
  const features = pretrain.getLayer("features").output as tf.SymbolicTensor;
  if (!withPredictions) return tf.model({ inputs: pretrain.inputs, outputs: features });
  const probs = pretrain.outputs
    .slice(0, 4)
    .map((logits, i) => tf.layers.softmax({ name: `pretrain_probs_${i}` }).apply(logits) as tf.SymbolicTensor);
  const out = tf.layers
    .concatenate({ name: "features_and_predictions" })
    .apply([features, ...probs, pretrain.outputs[4]]) as tf.SymbolicTensor;
  return tf.model({ inputs: pretrain.inputs, outputs: out });
}

/** Labels of one pretraining batch, as tensors; -1 marks unknown class labels. */
export interface PretrainLabels {
  category: tf.Tensor;
  view: tf.Tensor;
  damage: tf.Tensor;
  brand: tf.Tensor;
  variant?: tf.Tensor;
  storage?: tf.Tensor;
  logPrice: tf.Tensor;
}

/** The pretraining loss of one batch (mean over its photos); call inside a gradient tape. */
export function pretrainLoss(
  model: tf.LayersModel,
  x: tf.Tensor,
  labels: PretrainLabels,
  weights: {
    viewWeight: number;
    auxWeight: number;
    damageWeight: number;
    brandWeight?: number;
    variantWeight?: number;
  },
): tf.Scalar {
  const categories = model.outputs[0].shape[1] as number;
  const views = model.outputs[1].shape[1] as number;
  const [catLogits, viewLogits, damageLogits, brandLogits, price, variantLogits, storageLogits] = model.apply(x, {
    training: true,
  }) as tf.Tensor[];
  const priceLoss = tf.losses.huberLoss(labels.logPrice.reshape([-1, 1]), price);
  const variantWeight = weights.variantWeight ?? 0;
  const options =
    variantWeight > 0 && variantLogits && storageLogits && labels.variant && labels.storage
      ? [
          tf.mul(maskedCrossEntropy(labels.variant, variantLogits, OPTION_LEVELS), variantWeight),
          tf.mul(maskedCrossEntropy(labels.storage, storageLogits, OPTION_LEVELS), variantWeight),
        ]
      : [];
  return tf.addN([
    ...options,
    maskedCrossEntropy(labels.category, catLogits, categories),
    tf.mul(maskedCrossEntropy(labels.view, viewLogits, views), weights.viewWeight),
    tf.mul(maskedCrossEntropy(labels.damage, damageLogits, DAMAGE_LEVELS), weights.damageWeight),
    tf.mul(maskedCrossEntropy(labels.brand, brandLogits, BRAND_LEVELS), weights.brandWeight ?? weights.auxWeight),
    tf.mul(priceLoss, weights.auxWeight),
  ]) as tf.Scalar;
}

/** One optimizer step on a batch, in this thread or spread over worker threads. */
export interface StepRunner {
  step(batch: Batch, learningRate: number): Promise<number>;
  /** Copies the trained weights into the local model (before checkpoints and at the end). */
  sync(): Promise<void>;
  dispose(): Promise<void>;
}

/** Runs steps in this thread with tf.train.adam. */
export function createLocalRunner(model: tf.LayersModel, options: PretrainOptions): StepRunner {
  const optimizer = tf.train.adam(options.learningRate);
  return {
    async step(batch, learningRate) {
      setLearningRate(optimizer, learningRate);
      const loss = optimizer.minimize(
        () =>
          tf.tidy(() => {
            const t = Object.fromEntries(
              Object.entries(batch).map(([k, v]) => [k, tf.tensor(v.data, v.shape, v.dtype)]),
            ) as Record<string, tf.Tensor>;
            return pretrainLoss(model, t.x, t as unknown as PretrainLabels, options);
          }),
        true,
      );
      const value = (await loss?.data())?.[0] ?? Number.NaN;
      loss?.dispose();
      return value;
    },
    async sync() {},
    async dispose() {
      optimizer.dispose();
    },
  };
}

/** Builds the trainer's batch: normalized pixels plus every label array. */
export function toPretrainBatch(data: PhotoSet, idx: number[], size: number, norm: Normalization): Batch {
  const per = size * size * 3;
  const x = new Float32Array(idx.length * per);
  idx.forEach((i, k) => {
    const px = data.pixels[i];
    if (px.length !== per) throw new Error(`photo ${i} has ${px.length} values, expected ${per} (${size}×${size} RGB)`);
    for (let j = 0; j < per; j++) x[k * per + j] = px[j] * norm.scale + norm.offset;
  });
  const pick = <T extends Int32Array | Float32Array>(xs: T, make: (n: number) => T): T => {
    const out = make(idx.length);
    idx.forEach((i, k) => {
      out[k] = xs[i];
    });
    return out;
  };
  const ints = (xs: Int32Array) => ({
    data: pick(xs, (n) => new Int32Array(n)),
    shape: [idx.length],
    dtype: "int32" as const,
  });
  return {
    x: { data: x, shape: [idx.length, size, size, 3], dtype: "float32" },
    category: ints(data.category),
    view: ints(data.view),
    damage: ints(data.damage),
    brand: ints(data.brand),
    ...(data.variant ? { variant: ints(data.variant) } : {}),
    ...(data.storage ? { storage: ints(data.storage) } : {}),
    logPrice: { data: pick(data.logPrice, (n) => new Float32Array(n)), shape: [idx.length], dtype: "float32" },
  };
}

/** Trains the pretraining model with Adam (cosine decay); returns the mean loss per epoch. */
export async function pretrainBackbone(
  model: tf.LayersModel,
  data: PhotoSet,
  inputSize: number,
  norm: Normalization,
  options: PretrainOptions,
  runner: StepRunner = createLocalRunner(model, options),
): Promise<number[]> {
  const rng = createRng(options.seed);
  const n = data.pixels.length;
  const steps = Math.ceil(n / options.batchSize);
  const losses: number[] = [];
  const order = Array.from({ length: n }, (_, i) => i);
  for (let skip = 0; skip < (options.startEpoch ?? 0); skip++) shuffleInPlace(order, rng);
  try {
    for (let epoch = options.startEpoch ?? 0; epoch < options.epochs; epoch++) {
      shuffleInPlace(order, rng);
      let sum = 0;
      for (let s = 0; s < steps; s++) {
        const progress = (epoch * steps + s) / (options.epochs * steps);
        const lr = options.learningRate * 0.5 * (1 + Math.cos(Math.PI * progress));
        const idx = order.slice(s * options.batchSize, (s + 1) * options.batchSize);
        const value = await runner.step(toPretrainBatch(data, idx, inputSize, norm), lr);
        sum += value;
        options.onStep?.(epoch, s + 1, steps, value);
      }
      losses.push(sum / steps);
      await runner.sync();
      await options.onEpoch?.(epoch, sum / steps);
    }
  } finally {
    await runner.dispose();
  }
  return losses;
}

/** Runs the backbone over photos in batches; returns one feature vector per photo. */
export async function extractFeatures(
  backbone: tf.LayersModel,
  pixels: Uint8Array[],
  inputSize: number,
  norm: Normalization,
  batchSize = 32,
  onProgress?: (done: number) => void,
): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let start = 0; start < pixels.length; start += batchSize) {
    const chunk = pixels.slice(start, start + batchSize);
    const feats = tf.tidy(() => backbone.predict(toBatchTensor(chunk, inputSize, norm)) as tf.Tensor2D);
    const data = (await feats.data()) as Float32Array;
    feats.dispose();
    const dim = data.length / chunk.length;
    for (let i = 0; i < chunk.length; i++) out.push(data.slice(i * dim, (i + 1) * dim));
    onProgress?.(out.length);
  }
  return out;
}

/** Adam reads its learning rate on every step; tfjs only hides the field from the type. */
export function setLearningRate(optimizer: tf.Optimizer, value: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = value;
}
