import * as tf from "@tensorflow/tfjs";
import { createRng, shuffleInPlace } from "./data";

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
  logPrice: Float32Array;
}

export const DAMAGE_LEVELS = 4;
export const BRAND_LEVELS = 3;

export interface PretrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  viewWeight: number;
  /** Weight of the damage, brand and price targets. */
  auxWeight: number;
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
  ];
  return tf.model({ inputs: backbone.inputs, outputs, name: "pretrain" });
}

/** The backbone part (image → features) of a pretraining model, sharing its weights. */
export function backboneOf(pretrain: tf.LayersModel): tf.LayersModel {
  return tf.model({ inputs: pretrain.inputs, outputs: pretrain.getLayer("features").output as tf.SymbolicTensor });
}

/** Trains the pretraining model with Adam (cosine decay); returns the mean loss per epoch. */
export async function pretrainBackbone(
  model: tf.LayersModel,
  data: PhotoSet,
  inputSize: number,
  norm: Normalization,
  options: PretrainOptions,
): Promise<number[]> {
  const rng = createRng(options.seed);
  const optimizer = tf.train.adam(options.learningRate);
  const n = data.pixels.length;
  const steps = Math.ceil(n / options.batchSize);
  const categories = (model.outputs[0].shape[1] ?? 0) as number;
  const views = (model.outputs[1].shape[1] ?? 0) as number;
  const losses: number[] = [];
  const order = Array.from({ length: n }, (_, i) => i);
  for (let skip = 0; skip < (options.startEpoch ?? 0); skip++) shuffleInPlace(order, rng);
  for (let epoch = options.startEpoch ?? 0; epoch < options.epochs; epoch++) {
    shuffleInPlace(order, rng);
    let sum = 0;
    for (let s = 0; s < steps; s++) {
      const progress = (epoch * steps + s) / (options.epochs * steps);
      setLearningRate(optimizer, options.learningRate * 0.5 * (1 + Math.cos(Math.PI * progress)));
      const idx = order.slice(s * options.batchSize, (s + 1) * options.batchSize);
      const x = toBatchTensor(
        idx.map((i) => data.pixels[i]),
        inputSize,
        norm,
      );
      const loss = optimizer.minimize(
        () =>
          tf.tidy(() => {
            const [catLogits, viewLogits, damageLogits, brandLogits, price] = model.apply(x, {
              training: true,
            }) as tf.Tensor[];
            const pick = (xs: Int32Array | Float32Array) => idx.map((i) => xs[i]);
            const masked = (labels: number[], classes: number, logits: tf.Tensor) =>
              maskedCrossEntropy(tf.tensor1d(labels, "int32"), logits, classes);
            const priceLoss = tf.losses.huberLoss(tf.tensor2d(pick(data.logPrice), [idx.length, 1]), price);
            return tf.addN([
              masked(pick(data.category), categories, catLogits),
              tf.mul(masked(pick(data.view), views, viewLogits), options.viewWeight),
              tf.mul(masked(pick(data.damage), DAMAGE_LEVELS, damageLogits), options.auxWeight),
              tf.mul(masked(pick(data.brand), BRAND_LEVELS, brandLogits), options.auxWeight),
              tf.mul(priceLoss, options.auxWeight),
            ]) as tf.Scalar;
          }),
        true,
      );
      x.dispose();
      const value = (await loss?.data())?.[0] ?? Number.NaN;
      loss?.dispose();
      sum += value;
      options.onStep?.(epoch, s + 1, steps, value);
    }
    losses.push(sum / steps);
    await options.onEpoch?.(epoch, sum / steps);
  }
  optimizer.dispose();
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
