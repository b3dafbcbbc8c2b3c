import * as tf from "@tensorflow/tfjs";
import { AppError } from "../errors";
import { argmax, softmaxRows } from "./calibration";
import { widenPriceRange } from "./fit-calibration";
import { loadModelParts, type ModelParts } from "./load-model";
import type { ModelCard, ViewClass } from "./model-card";
import { type BackendName, ensureBackend } from "./runtime";
import { toBatchTensor } from "./train-backbone";

/** In-process inference: warm model, backbone features cached by checksum, concurrent requests batched. */

export interface PredictPhoto {
  /** size×size RGB uint8 HWC from toModelInput(bytes, card.inputSize). */
  pixels: Uint8Array;
  /** Upload position: 0 front, 1 back, 2.. other. */
  slot: number;
  /** sha256 of the photo; when given, its backbone features are cached under it. */
  checksum?: string;
}

export interface Prediction {
  /** Calibrated probabilities, best first. */
  topCategories: { category: string; probability: number }[];
  category: string;
  /** Calibrated top-1 probability. */
  confidence: number;
  price: { p10: number; p50: number; p90: number; currency: string };
  /** One entry per input photo, in input order. */
  perPhoto: { slot: number; attention: number; viewGuess: ViewClass; viewProbability: number }[];
}

export interface AppraisalModel {
  card: ModelCard;
  predict(photos: PredictPhoto[]): Promise<Prediction>;
  dispose(): void;
}

export interface LoadOptions {
  /** Force a tfjs backend (default: the process's selection, wasm here). */
  backend?: BackendName;
  /** Backbone feature cache entries (by checksum). */
  cacheSize?: number;
  /** Most photos run through the backbone in one batch. */
  maxBatchPhotos?: number;
}

const TOP_CATEGORIES = 3;
const DEFAULT_CACHE_SIZE = 2048;
const DEFAULT_MAX_BATCH_PHOTOS = 64;

interface Pending {
  photos: PredictPhoto[];
  resolve(p: Prediction): void;
  reject(err: unknown): void;
}

/** Loads a model directory and warms it up; the returned model batches concurrent predict calls. */
export async function load(modelDir: string, options: LoadOptions = {}): Promise<AppraisalModel> {
  await ensureBackend(options.backend);
  const parts = await loadModelParts(modelDir);
  const model = new BatchedModel(parts, options);
  try {
    const blank = new Uint8Array(parts.card.inputSize * parts.card.inputSize * 3).fill(128);
    await model.predict([{ pixels: blank, slot: 0 }]);
  } catch (err) {
    model.dispose();
    throw err;
  }
  return model;
}

class BatchedModel implements AppraisalModel {
  readonly card: ModelCard;
  private readonly cache = new Map<string, Float32Array>();
  private queue: Pending[] = [];
  private scheduled = false;
  private disposed = false;
  private readonly cacheSize: number;
  private readonly maxBatchPhotos: number;

  constructor(
    private readonly parts: ModelParts,
    options: LoadOptions,
  ) {
    this.card = parts.card;
    this.cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
    this.maxBatchPhotos = options.maxBatchPhotos ?? DEFAULT_MAX_BATCH_PHOTOS;
  }

  predict(photos: PredictPhoto[]): Promise<Prediction> {
    if (this.disposed) return Promise.reject(new AppError("unavailable", "the model has been disposed"));
    try {
      this.validate(photos);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ photos, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // Requests arriving in the same turn of the event loop share one backbone and one head batch.
        setImmediate(() => this.flush());
      }
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.parts.dispose();
    this.cache.clear();
  }

  private validate(photos: PredictPhoto[]): void {
    const { maxPhotos } = this.card.slots;
    if (!Array.isArray(photos) || photos.length === 0)
      throw new AppError("validation", "at least one photo is required", { field: "photos" });
    if (photos.length > maxPhotos)
      throw new AppError("too_many", `at most ${maxPhotos} photos per item`, { field: "photos" });
    const expected = this.card.inputSize * this.card.inputSize * 3;
    photos.forEach((p, i) => {
      if (!(p.pixels instanceof Uint8Array) || p.pixels.length !== expected)
        throw new AppError(
          "validation",
          `photo ${i} must be ${this.card.inputSize}×${this.card.inputSize} RGB (${expected} bytes), got ${p.pixels?.length ?? 0}`,
          { field: `photos[${i}].pixels` },
        );
      if (!Number.isInteger(p.slot) || p.slot < 0)
        throw new AppError("validation", `photo ${i} has an invalid slot ${p.slot}`, { field: `photos[${i}].slot` });
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (this.disposed) {
      for (const r of batch) r.reject(new AppError("unavailable", "the model has been disposed"));
      return;
    }
    try {
      const features = await this.featuresFor(batch.flatMap((r) => r.photos));
      const predictions = this.runHead(batch, features);
      for (const [i, r] of batch.entries()) r.resolve(predictions[i]);
    } catch (err) {
      for (const r of batch) r.reject(err);
    }
  }

  /** Backbone features per photo, from the cache where the checksum is known. */
  private async featuresFor(photos: PredictPhoto[]): Promise<Float32Array[]> {
    const out: (Float32Array | undefined)[] = photos.map((p) => (p.checksum ? this.cache.get(p.checksum) : undefined));
    const missing = photos.map((_, i) => i).filter((i) => !out[i]);
    const { inputSize, normalization } = this.card;
    for (let start = 0; start < missing.length; start += this.maxBatchPhotos) {
      const idx = missing.slice(start, start + this.maxBatchPhotos);
      const feats = tf.tidy(
        () =>
          this.parts.backbone.predict(
            toBatchTensor(
              idx.map((i) => photos[i].pixels),
              inputSize,
              normalization,
            ),
          ) as tf.Tensor2D,
      );
      const data = (await feats.data()) as Float32Array;
      feats.dispose();
      const dim = this.card.backbone.featureDim;
      idx.forEach((i, k) => {
        const f = data.slice(k * dim, (k + 1) * dim);
        out[i] = f;
        const sum = photos[i].checksum;
        if (sum) this.remember(sum, f);
      });
    }
    return out as Float32Array[];
  }

  private remember(checksum: string, features: Float32Array): void {
    this.cache.delete(checksum);
    this.cache.set(checksum, features);
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
  }

  private runHead(batch: Pending[], features: Float32Array[]): Prediction[] {
    const { card } = this;
    const P = card.slots.maxPhotos;
    const D = card.backbone.featureDim;
    const n = batch.length;
    const feats = new Float32Array(n * P * D);
    const slots = new Int32Array(n * P);
    const mask = new Float32Array(n * P);
    let k = 0;
    batch.forEach((r, i) => {
      r.photos.forEach((p, j) => {
        feats.set(features[k++], (i * P + j) * D);
        slots[i * P + j] = p.slot;
        mask[i * P + j] = 1;
      });
    });
    const [logits, quantiles, views, attention] = tf.tidy(() => {
      const out = this.parts.head.apply({
        features: tf.tensor3d(feats, [n, P, D]),
        slots: tf.tensor2d(slots, [n, P], "int32"),
        mask: tf.tensor2d(mask, [n, P]),
      });
      return [
        out.categoryLogits.dataSync(),
        tf.exp(tf.add(tf.mul(out.quantiles, card.price.logStd), card.price.logMean)).dataSync(),
        tf.softmax(out.viewLogits).dataSync(),
        out.attention.dataSync(),
      ] as Float32Array[];
    });
    const C = card.categories.length;
    const V = card.views.length;
    const probs = softmaxRows(logits as Float32Array, C, card.calibration.temperature);
    return batch.map((r, i) => {
      const ranked = card.categories
        .map((category, c) => ({ category, probability: probs[i * C + c] }))
        .sort((a, b) => b.probability - a.probability);
      return {
        topCategories: ranked.slice(0, TOP_CATEGORIES),
        category: ranked[0].category,
        confidence: ranked[0].probability,
        price: priceOf(quantiles, i, card.calibration.priceMargin ?? 0, card.currency),
        perPhoto: r.photos.map((p, j) => {
          const v = argmax(views, (i * P + j) * V, V);
          return {
            slot: p.slot,
            attention: attention[i * P + j],
            viewGuess: card.views[v.index],
            viewProbability: v.value,
          };
        }),
      };
    });
  }
}

const roundPrice = (x: number) => Math.round(x * 100) / 100;

/** Item i's quoted price: the head's quantiles with the card's calibrated range margin, rounded to cents. */
function priceOf(quantiles: Float32Array, i: number, margin: number, currency: string) {
  const { p10, p50, p90 } = widenPriceRange(
    { p10: quantiles[i * 3], p50: quantiles[i * 3 + 1], p90: quantiles[i * 3 + 2] },
    margin,
  );
  return { p10: roundPrice(p10), p50: roundPrice(p50), p90: roundPrice(p90), currency };
}
