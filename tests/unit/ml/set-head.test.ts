import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBackend } from "@/lib/ml/runtime";
import { type Fusion, SetHead } from "@/lib/ml/set-head";
import { tinyHeadConfig } from "./helpers";

const D = 48;
const P = 8;

function batch(items: number[][], slots: number[][]) {
  // items[i] = per-photo seeds; features are deterministic functions of the seed.
  const feats = new Float32Array(items.length * P * D);
  const slotIds = new Int32Array(items.length * P);
  const mask = new Float32Array(items.length * P);
  for (const [i, photos] of items.entries()) {
    for (const [j, seed] of photos.entries()) {
      for (let d = 0; d < D; d++) feats[(i * P + j) * D + d] = Math.sin(seed * 13.7 + d * 0.37);
      slotIds[i * P + j] = slots[i][j];
      mask[i * P + j] = 1;
    }
  }
  return { feats, slotIds, mask, n: items.length };
}

function run(head: SetHead, b: ReturnType<typeof batch>, padWith?: number) {
  if (padWith !== undefined) {
    // Garbage in padded positions must not matter.
    for (let k = 0; k < b.mask.length; k++)
      if (b.mask[k] === 0) {
        b.slotIds[k] = 3;
        for (let d = 0; d < D; d++) b.feats[k * D + d] = padWith;
      }
  }
  return tf.tidy(() => {
    const out = head.apply({
      features: tf.tensor3d(b.feats, [b.n, P, D]),
      slots: tf.tensor2d(b.slotIds, [b.n, P], "int32"),
      mask: tf.tensor2d(b.mask, [b.n, P]),
    });
    return {
      logits: Array.from(out.categoryLogits.dataSync()),
      quantiles: Array.from(out.quantiles.dataSync()),
      views: Array.from(out.viewLogits.dataSync()),
      attention: Array.from(out.attention.dataSync()),
      shapes: [out.categoryLogits.shape, out.quantiles.shape, out.viewLogits.shape, out.attention.shape],
    };
  });
}

const FUSIONS: Fusion[] = ["concat", "film", "none"];
const heads: SetHead[] = [];
const makeHead = (fusion: Fusion, seed = 1) => {
  const h = new SetHead(tinyHeadConfig(fusion, D, seed));
  // Give the head non-trivial statistics so normalization is exercised.
  h.params.featureStd.assign(tf.fill([D], 0.7));
  heads.push(h);
  return h;
};

beforeAll(async () => {
  await ensureBackend("wasm");
});
afterAll(() => {
  for (const h of heads) h.dispose();
});

describe("SetHead", () => {
  it.each(FUSIONS)("%s: output shapes, ordered quantiles, attention sums to one over real photos", (fusion) => {
    const head = makeHead(fusion);
    const out = run(head, batch([[1, 2, 3], [4]], [[0, 1, 2], [0]]));
    expect(out.shapes).toEqual([
      [2, 3],
      [2, 3],
      [2, P, 4],
      [2, P],
    ]);
    for (let i = 0; i < 2; i++) {
      const [q10, q50, q90] = out.quantiles.slice(i * 3, i * 3 + 3);
      expect(q10).toBeLessThanOrEqual(q50);
      expect(q50).toBeLessThanOrEqual(q90);
    }
    const att = out.attention;
    expect(att.slice(0, 3).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(att.slice(3, P).every((a) => a === 0)).toBe(true);
    expect(att[P]).toBeCloseTo(1, 6);
  });

  it.each(FUSIONS)("%s: a padded slot never changes the output", (fusion) => {
    const head = makeHead(fusion);
    const clean = run(head, batch([[1, 2, 3]], [[0, 1, 2]]), 0);
    const garbage = run(head, batch([[1, 2, 3]], [[0, 1, 2]]), 1e3);
    expect(garbage.logits).toEqual(clean.logits);
    expect(garbage.quantiles).toEqual(clean.quantiles);
    expect(garbage.attention).toEqual(clean.attention);
    // The same item alone or in a batch beside a bigger one gives the same answer.
    const inBatch = run(
      head,
      batch(
        [
          [1, 2, 3],
          [5, 6, 7, 8, 9, 10, 11, 12],
        ],
        [
          [0, 1, 2],
          [0, 1, 2, 3, 4, 5, 6, 7],
        ],
      ),
      0,
    );
    for (const [k, v] of inBatch.logits.slice(0, 3).entries()) expect(v).toBeCloseTo(clean.logits[k], 5);
  });

  it.each(["concat", "film"] as Fusion[])("%s: slot ids change the outputs", (fusion) => {
    const head = makeHead(fusion);
    const a = run(head, batch([[1, 2]], [[0, 1]]));
    const b = run(head, batch([[1, 2]], [[1, 0]]));
    expect(a.logits).not.toEqual(b.logits);
    // Slots past the cap share the last embedding.
    const c = run(head, batch([[1, 2]], [[0, 5]]));
    const d = run(head, batch([[1, 2]], [[0, 7]]));
    expect(d.logits).toEqual(c.logits);
  });

  it("position-blind head ignores slot ids and photo order", () => {
    const head = makeHead("none");
    const a = run(head, batch([[1, 2, 3]], [[0, 1, 2]]));
    const b = run(head, batch([[3, 1, 2]], [[4, 0, 1]]));
    for (const [k, v] of b.logits.entries()) expect(v).toBeCloseTo(a.logits[k], 5);
  });

  it("is deterministic for a seed and differs across seeds", () => {
    const one = run(makeHead("concat", 7), batch([[1, 2]], [[0, 1]]));
    const two = run(makeHead("concat", 7), batch([[1, 2]], [[0, 1]]));
    const other = run(makeHead("concat", 8), batch([[1, 2]], [[0, 1]]));
    expect(two.logits).toEqual(one.logits);
    expect(other.logits).not.toEqual(one.logits);
  });

  it("rejects weights of the wrong shape by name", () => {
    const good = makeHead("concat");
    const weights = { ...good.params, catW: tf.zeros([2, 2]) } as Record<string, tf.Tensor>;
    expect(() => new SetHead(good.config, weights)).toThrow(/catW.*expected \[16,3\]/);
  });
});
