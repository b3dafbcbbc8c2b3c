import * as tf from "@tensorflow/tfjs";

/**
 * The two-input set head: per photo, backbone features fused with an embedding of the upload slot;
 * masked attention pooling over the item's photos; heads for category, price quantiles (of the
 * standardized log price) and a per-photo view guess. Plain tf ops over named variables (not the
 * layers API) so masking is explicit and the weights serialize as one flat map.
 */

/** How the slot embedding meets the photo features; "none" is the position-blind ablation. */
export type Fusion = "concat" | "film" | "none";

export interface HeadConfig {
  featureDim: number;
  categories: number;
  /** Slot ids are clamped to [0, slots - 1]: 0 front, 1 back, 2.. other. */
  slots: number;
  views: number;
  hidden: number;
  slotDim: number;
  fusion: Fusion;
  seed: number;
}

export interface HeadBatch {
  /** [items, photos, featureDim] */
  features: tf.Tensor3D;
  /** [items, photos] int32 slot ids */
  slots: tf.Tensor2D;
  /** [items, photos] 1 for a real photo, 0 for padding */
  mask: tf.Tensor2D;
}

export interface HeadOutput {
  /** [items, categories] */
  categoryLogits: tf.Tensor2D;
  /** [items, 3] standardized log-price quantiles p10, p50, p90 (ordered by construction) */
  quantiles: tf.Tensor2D;
  /** [items, photos, views] */
  viewLogits: tf.Tensor3D;
  /** [items, photos], zero on padding, sums to 1 over real photos */
  attention: tf.Tensor2D;
}

export const QUANTILES = [0.1, 0.5, 0.9] as const;

/**
 * x·W whose gradients use explicit transposes and plain matmuls: wasm's BatchMatMul is 30–60× slower
 * with its transposeA/transposeB flags, which the built-in matMul gradient uses.
 */
const dense = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sw] = saved as tf.Tensor2D[];
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(sw)), tf.matMul(tf.transpose(sx), dy as tf.Tensor2D)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor, w: tf.Tensor) => tf.Tensor2D;

const MASKED_SCORE = -1e9;

// tfjs variable names are process-global, so each head instance needs its own.
let variableCounter = 0;

export class SetHead {
  readonly params: Record<string, tf.Variable>;

  constructor(
    readonly config: HeadConfig,
    weights?: Record<string, tf.Tensor>,
  ) {
    const shapes = paramShapes(config);
    let seed = config.seed * 104729;
    this.params = {};
    for (const [name, shape] of Object.entries(shapes)) {
      const given = weights?.[name];
      if (weights && !given) throw new Error(`head weights are missing "${name}"`);
      if (given && given.shape.join() !== shape.join())
        throw new Error(`head weight "${name}" has shape [${given.shape}], expected [${shape}]`);
      seed += 1;
      const value = given ?? initial(name, shape, seed);
      variableCounter += 1;
      this.params[name] = tf.variable(value, true, `head_${config.fusion}_${name}_${variableCounter}`);
      if (!given) value.dispose();
    }
  }

  /** Runs the head; call inside tf.tidy. A dropout rate > 0 (training) needs a seed, for reproducible runs. */
  apply(batch: HeadBatch, dropout = 0, dropoutSeed = 0): HeadOutput {
    const p = this.params;
    const [items, photos, dim] = batch.features.shape;
    let f = tf.div(tf.sub(batch.features, p.featureMean), p.featureStd) as tf.Tensor3D;
    if (dropout > 0) f = tf.dropout(f, dropout, undefined, dropoutSeed) as tf.Tensor3D;
    const flat = f.reshape([items * photos, dim]);
    const slotIds = tf
      .minimum(tf.maximum(batch.slots, 0), this.config.slots - 1)
      .reshape([items * photos])
      .toInt();

    let h: tf.Tensor2D;
    if (this.config.fusion === "none") {
      h = tf.relu(tf.add(dense(flat, p.inW), p.inB));
    } else {
      // A one-hot matmul rather than gather: stock tfjs-wasm has no gradient for gather (UnsortedSegmentSum, which
      // lib/ml/wasm now registers), and with at most five slot ids the matmul costs nothing.
      const e = dense(tf.oneHot(slotIds, this.config.slots), p.slotEmbedding) as tf.Tensor2D;
      if (this.config.fusion === "concat") {
        h = tf.relu(tf.add(dense(tf.concat([flat, e], 1), p.inW), p.inB));
      } else {
        const gamma = dense(e, p.filmGamma);
        const beta = dense(e, p.filmBeta);
        h = tf.relu(tf.add(tf.mul(tf.add(dense(flat, p.inW), p.inB), tf.add(1, gamma)), beta));
      }
    }
    h = tf.relu(tf.add(dense(h, p.midW), p.midB)) as tf.Tensor2D;

    const scores = dense(tf.tanh(tf.add(dense(h, p.attW), p.attB)), p.attV).reshape([items, photos]);
    const masked = tf.where(tf.greater(batch.mask, 0), scores, tf.fill([items, photos], MASKED_SCORE));
    const attention = tf.mul(tf.softmax(masked, 1), batch.mask) as tf.Tensor2D;
    const pooled = tf.sum(tf.mul(h.reshape([items, photos, -1]), attention.expandDims(2)), 1) as tf.Tensor2D;

    const categoryLogits = tf.add(dense(pooled, p.catW), p.catB) as tf.Tensor2D;
    const raw = tf.add(dense(pooled, p.priceW), p.priceB) as tf.Tensor2D;
    const [d10, mid, d90] = tf.split(raw, 3, 1);
    const quantiles = tf.concat([tf.sub(mid, tf.softplus(d10)), mid, tf.add(mid, tf.softplus(d90))], 1) as tf.Tensor2D;

    // The view guess sees pixels only, never the slot: it exists to flag photos in the wrong slot.
    const v = tf.relu(tf.add(dense(flat, p.viewW1), p.viewB1));
    const viewLogits = tf.add(dense(v, p.viewW2), p.viewB2).reshape([items, photos, this.config.views]) as tf.Tensor3D;
    return { categoryLogits, quantiles, viewLogits, attention };
  }

  /** Sets the feature standardization from training features [n, featureDim]. */
  setFeatureStats(features: tf.Tensor2D): void {
    tf.tidy(() => {
      const { mean, variance } = tf.moments(features, 0);
      this.params.featureMean.assign(mean);
      this.params.featureStd.assign(tf.add(tf.sqrt(variance), 1e-4));
    });
  }

  trainableVariables(): tf.Variable[] {
    return Object.entries(this.params)
      .filter(([name]) => name !== "featureMean" && name !== "featureStd")
      .map(([, v]) => v);
  }

  dispose(): void {
    for (const v of Object.values(this.params)) v.dispose();
  }
}

function paramShapes(c: HeadConfig): Record<string, number[]> {
  const inDim = c.fusion === "concat" ? c.featureDim + c.slotDim : c.featureDim;
  const shapes: Record<string, number[]> = {
    featureMean: [c.featureDim],
    featureStd: [c.featureDim],
    inW: [inDim, c.hidden],
    inB: [c.hidden],
    midW: [c.hidden, c.hidden],
    midB: [c.hidden],
    attW: [c.hidden, c.hidden],
    attB: [c.hidden],
    attV: [c.hidden, 1],
    catW: [c.hidden, c.categories],
    catB: [c.categories],
    priceW: [c.hidden, 3],
    priceB: [3],
    viewW1: [c.featureDim, c.hidden],
    viewB1: [c.hidden],
    viewW2: [c.hidden, c.views],
    viewB2: [c.views],
  };
  if (c.fusion !== "none") shapes.slotEmbedding = [c.slots, c.slotDim];
  if (c.fusion === "film") {
    shapes.filmGamma = [c.slotDim, c.hidden];
    shapes.filmBeta = [c.slotDim, c.hidden];
  }
  return shapes;
}

function initial(name: string, shape: number[], seed: number): tf.Tensor {
  if (name === "featureStd") return tf.ones(shape);
  if (shape.length === 1) return tf.zeros(shape);
  if (name === "slotEmbedding") return tf.randomNormal(shape, 0, 0.5, "float32", seed);
  // FiLM starts as the identity so the slot's effect is learned, not imposed.
  if (name.startsWith("film")) return tf.randomNormal(shape, 0, 0.01, "float32", seed);
  const fanIn = shape[0];
  return tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), "float32", seed);
}
