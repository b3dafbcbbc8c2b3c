import * as tf from "@tensorflow/tfjs";
import { createRng, shuffleInPlace } from "./data";
import { QUANTILES, type SetHead } from "./set-head";
import { maskedCrossEntropy, setLearningRate } from "./train-backbone";

/** Items as dense arrays for the set head: features padded to `maxPhotos` with a mask. */
export interface PackedItems {
  count: number;
  maxPhotos: number;
  dim: number;
  /** [count, maxPhotos, dim] */
  features: Float32Array;
  /** [count, maxPhotos] */
  slots: Int32Array;
  mask: Float32Array;
  /** View class per photo, -1 for unknown or padding. */
  views: Int32Array;
  category: Int32Array;
  /** Standardized log price. */
  logPrice: Float32Array;
}

/** One item before packing: per-photo features in upload order. */
export interface SetExample {
  features: Float32Array[];
  slots: number[];
  views: number[];
  category: number;
  price: number;
}

export interface PriceStats {
  logMean: number;
  logStd: number;
}

/** Computes the log-price standardization from training items. */
export function computePriceStats(prices: number[]): PriceStats {
  const logs = prices.map(Math.log);
  const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
  const variance = logs.reduce((a, b) => a + (b - mean) ** 2, 0) / logs.length;
  return { logMean: mean, logStd: Math.sqrt(variance) || 1 };
}

/** Packs items into padded arrays; photos beyond maxPhotos are dropped. */
export function packItems(examples: SetExample[], maxPhotos: number, dim: number, price: PriceStats): PackedItems {
  const n = examples.length;
  const packed: PackedItems = {
    count: n,
    maxPhotos,
    dim,
    features: new Float32Array(n * maxPhotos * dim),
    slots: new Int32Array(n * maxPhotos),
    mask: new Float32Array(n * maxPhotos),
    views: new Int32Array(n * maxPhotos).fill(-1),
    category: new Int32Array(n),
    logPrice: new Float32Array(n),
  };
  examples.forEach((ex, i) => {
    const photos = Math.min(ex.features.length, maxPhotos);
    for (let j = 0; j < photos; j++) {
      const at = i * maxPhotos + j;
      if (ex.features[j].length !== dim)
        throw new Error(`photo features have ${ex.features[j].length} dims, expected ${dim}`);
      packed.features.set(ex.features[j], at * dim);
      packed.slots[at] = ex.slots[j];
      packed.mask[at] = 1;
      packed.views[at] = ex.views[j] ?? -1;
    }
    packed.category[i] = ex.category;
    packed.logPrice[i] = (Math.log(ex.price) - price.logMean) / price.logStd;
  });
  return packed;
}

/** Reassigns each item's photos to a random upload order (slot = new position), as a careless seller would. */
export function shuffleUploadOrder(examples: SetExample[], seed: number): SetExample[] {
  const rng = createRng(seed);
  return examples.map((ex) => {
    const order = shuffleInPlace(
      ex.features.map((_, i) => i),
      rng,
    );
    return {
      ...ex,
      features: order.map((i) => ex.features[i]),
      views: order.map((i) => ex.views[i]),
      slots: order.map((_, pos) => pos),
    };
  });
}

export interface HeadTrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Feature dropout rate. */
  dropout: number;
  /** Chance of hiding each non-first photo during training, so the head copes with fewer photos. */
  photoDropout: number;
  viewWeight: number;
  onEpoch?: (epoch: number, loss: number) => void;
}

export const DEFAULT_HEAD_TRAINING: HeadTrainOptions = {
  epochs: 40,
  batchSize: 128,
  learningRate: 3e-3,
  seed: 1,
  dropout: 0.1,
  photoDropout: 0.15,
  viewWeight: 0.3,
};

/** Loss of one batch: category cross-entropy + pinball loss on log-price quantiles + weighted view cross-entropy. */
export function headLoss(
  head: SetHead,
  batch: {
    features: tf.Tensor3D;
    slots: tf.Tensor2D;
    mask: tf.Tensor2D;
    views: tf.Tensor2D;
    category: tf.Tensor1D;
    logPrice: tf.Tensor1D;
  },
  options: Pick<HeadTrainOptions, "dropout" | "viewWeight">,
  dropoutSeed = 0,
): tf.Scalar {
  const out = head.apply(batch, options.dropout, dropoutSeed);
  const catLoss = tf.losses.softmaxCrossEntropy(tf.oneHot(batch.category, head.config.categories), out.categoryLogits);
  const err = tf.sub(batch.logPrice.expandDims(1), out.quantiles);
  const q = tf.tensor1d([...QUANTILES]);
  const pinball = tf.mean(tf.maximum(tf.mul(q, err), tf.mul(tf.sub(q, 1), err)));
  // Padding carries view -1, so the mask needs no separate treatment here.
  const viewLoss = maskedCrossEntropy(batch.views, out.viewLogits, head.config.views);
  return tf.addN([catLoss, tf.mul(pinball, 2), tf.mul(viewLoss, options.viewWeight)]) as tf.Scalar;
}

/** Trains the head with Adam on packed items; returns the mean loss per epoch. */
export function trainHead(head: SetHead, data: PackedItems, options: HeadTrainOptions): number[] {
  const rng = createRng(options.seed);
  const optimizer = tf.train.adam(options.learningRate);
  const P = data.maxPhotos;
  const all = tf.tidy(() => ({
    features: tf.tensor3d(data.features, [data.count, P, data.dim]),
    slots: tf.tensor2d(data.slots, [data.count, P], "int32"),
    mask: tf.tensor2d(data.mask, [data.count, P]),
    views: tf.tensor2d(data.views, [data.count, P], "int32"),
    category: tf.tensor1d(data.category, "int32"),
    logPrice: tf.tensor1d(data.logPrice),
  }));
  const realRows = tf.tidy(() => maskedRows(data));
  head.setFeatureStats(realRows);
  realRows.dispose();
  const losses: number[] = [];
  const order = Array.from({ length: data.count }, (_, i) => i);
  const vars = head.trainableVariables();
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    // Cosine decay keeps the last epochs from bouncing around the minimum.
    setLearningRate(optimizer, options.learningRate * 0.5 * (1 + Math.cos((Math.PI * epoch) / options.epochs)));
    shuffleInPlace(order, rng);
    let sum = 0;
    let batches = 0;
    for (let start = 0; start < data.count; start += options.batchSize) {
      const idx = order.slice(start, start + options.batchSize);
      const keep = photoKeepMask(idx.length, P, options.photoDropout, rng);
      const dropoutSeed = Math.floor(rng() * 2 ** 31);
      const loss = optimizer.minimize(
        () =>
          tf.tidy(() => {
            const ids = tf.tensor1d(idx, "int32");
            const mask = tf.mul(tf.gather(all.mask, ids), tf.tensor2d(keep, [idx.length, P])) as tf.Tensor2D;
            return headLoss(
              head,
              {
                features: tf.gather(all.features, ids) as tf.Tensor3D,
                slots: tf.gather(all.slots, ids) as tf.Tensor2D,
                mask,
                views: tf.gather(all.views, ids) as tf.Tensor2D,
                category: tf.gather(all.category, ids) as tf.Tensor1D,
                logPrice: tf.gather(all.logPrice, ids) as tf.Tensor1D,
              },
              options,
              dropoutSeed,
            );
          }),
        true,
        vars,
      );
      sum += loss?.dataSync()[0] ?? Number.NaN;
      loss?.dispose();
      batches += 1;
    }
    losses.push(sum / batches);
    options.onEpoch?.(epoch, sum / batches);
  }
  optimizer.dispose();
  for (const t of Object.values(all)) t.dispose();
  return losses;
}

function maskedRows(data: PackedItems): tf.Tensor2D {
  const rows: number[] = [];
  for (let i = 0; i < data.mask.length; i++) if (data.mask[i] > 0) rows.push(i);
  return tf.gather(tf.tensor2d(data.features, [data.mask.length, data.dim]), tf.tensor1d(rows, "int32")) as tf.Tensor2D;
}

function photoKeepMask(items: number, photos: number, rate: number, rng: () => number): Float32Array {
  const keep = new Float32Array(items * photos).fill(1);
  if (rate <= 0) return keep;
  for (let i = 0; i < items; i++) for (let j = 1; j < photos; j++) if (rng() < rate) keep[i * photos + j] = 0;
  return keep;
}

export interface HeadPredictions {
  count: number;
  categories: number;
  maxPhotos: number;
  /** Raw category logits [count, categories]. */
  logits: Float32Array;
  /** Log-price quantiles in natural log units [count, 3]. */
  logQuantiles: Float32Array;
  /** View probabilities [count, maxPhotos, views]. */
  viewProbs: Float32Array;
  attention: Float32Array;
}

/** Runs the head over packed items in batches (no dropout). */
export function predictHead(head: SetHead, data: PackedItems, price: PriceStats, batchSize = 256): HeadPredictions {
  const C = head.config.categories;
  const V = head.config.views;
  const P = data.maxPhotos;
  const out: HeadPredictions = {
    count: data.count,
    categories: C,
    maxPhotos: P,
    logits: new Float32Array(data.count * C),
    logQuantiles: new Float32Array(data.count * 3),
    viewProbs: new Float32Array(data.count * P * V),
    attention: new Float32Array(data.count * P),
  };
  for (let start = 0; start < data.count; start += batchSize) {
    const n = Math.min(batchSize, data.count - start);
    const [logits, quantiles, views, attention] = tf.tidy(() => {
      const r = head.apply({
        features: tf.tensor3d(data.features.subarray(start * P * data.dim, (start + n) * P * data.dim), [
          n,
          P,
          data.dim,
        ]),
        slots: tf.tensor2d(data.slots.subarray(start * P, (start + n) * P), [n, P], "int32"),
        mask: tf.tensor2d(data.mask.subarray(start * P, (start + n) * P), [n, P]),
      });
      return [
        r.categoryLogits,
        tf.add(tf.mul(r.quantiles, price.logStd), price.logMean),
        tf.softmax(r.viewLogits),
        r.attention,
      ];
    });
    out.logits.set(logits.dataSync(), start * C);
    out.logQuantiles.set(quantiles.dataSync(), start * 3);
    out.viewProbs.set(views.dataSync(), start * P * V);
    out.attention.set(attention.dataSync(), start * P);
    tf.dispose([logits, quantiles, views, attention]);
  }
  return out;
}
