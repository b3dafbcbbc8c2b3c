import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { type AppraisalModel, load } from "@/lib/ml/appraisal-model";
import { softmaxRows } from "@/lib/ml/calibration";
import { loadModelParts } from "@/lib/ml/load-model";
import { ensureBackend } from "@/lib/ml/runtime";
import { toBatchTensor } from "@/lib/ml/train-backbone";
import { fakePixels, TINY_SIZE, tempDir, writeTinyModel } from "./helpers";

let dir: string;
let model: AppraisalModel;

beforeAll(async () => {
  await ensureBackend("wasm");
  dir = await tempDir("appraisal-model");
  await writeTinyModel(dir, "film");
  model = await load(dir, { backend: "wasm" });
});
afterAll(() => model?.dispose());

const photos = (seeds: number[]) => seeds.map((s, slot) => ({ pixels: fakePixels(s), slot }));

describe("load() and predict()", () => {
  it("returns calibrated categories best first, ordered price quantiles and one entry per photo", async () => {
    const p = await model.predict(photos([1, 2, 3]));
    expect(p.topCategories).toHaveLength(3);
    expect(p.topCategories[0].probability).toBeGreaterThanOrEqual(p.topCategories[1].probability);
    expect(p.category).toBe(p.topCategories[0].category);
    expect(p.confidence).toBe(p.topCategories[0].probability);
    expect(p.price.p10).toBeLessThanOrEqual(p.price.p50);
    expect(p.price.p50).toBeLessThanOrEqual(p.price.p90);
    expect(p.price.currency).toBe("EUR");
    expect(p.perPhoto.map((x) => x.slot)).toEqual([0, 1, 2]);
    expect(p.perPhoto.reduce((a, x) => a + x.attention, 0)).toBeCloseTo(1, 5);
    for (const x of p.perPhoto) expect(["front", "back", "side", "detail"]).toContain(x.viewGuess);
  });

  it("matches the saved parts run directly: save → load gives identical predictions", async () => {
    const parts = await loadModelParts(dir);
    const input = photos([4, 5]);
    const expected = tf.tidy(() => {
      const feats = parts.backbone.predict(
        toBatchTensor(
          input.map((p) => p.pixels),
          TINY_SIZE,
          parts.card.normalization,
        ),
      ) as tf.Tensor2D;
      const padded = tf.pad(feats.expandDims(0), [
        [0, 0],
        [0, 6],
        [0, 0],
      ]) as tf.Tensor3D;
      const out = parts.head.apply({
        features: padded,
        slots: tf.tensor2d([[0, 1, 0, 0, 0, 0, 0, 0]], [1, 8], "int32"),
        mask: tf.tensor2d([[1, 1, 0, 0, 0, 0, 0, 0]]),
      });
      return out.categoryLogits.dataSync() as Float32Array;
    });
    const probs = softmaxRows(expected, 3, parts.card.calibration.temperature);
    parts.dispose();
    const p = await model.predict(input);
    for (const { category, probability } of p.topCategories) {
      expect(probability).toBeCloseTo(probs[["a", "b", "c"].indexOf(category)], 6);
    }
    const again = await load(dir);
    expect(await again.predict(input)).toEqual(p);
    again.dispose();
  });

  it("batches concurrent requests with the same answers as one at a time", async () => {
    const requests = [photos([1]), photos([2, 3]), photos([4, 5, 6, 7])];
    const alone: unknown[] = [];
    for (const r of requests) alone.push(await model.predict(r));
    const together = await Promise.all(requests.map((r) => model.predict(r)));
    together.forEach((p, i) => {
      expect(p.category).toBe((alone[i] as typeof p).category);
      expect(p.confidence).toBeCloseTo((alone[i] as typeof p).confidence, 5);
    });
  });

  it("serves cached features by checksum", async () => {
    const a = await model.predict([{ pixels: fakePixels(9), slot: 0, checksum: "sha-9" }]);
    // Different pixels under the same checksum: the cache wins, proving the backbone was skipped.
    const b = await model.predict([{ pixels: fakePixels(10), slot: 0, checksum: "sha-9" }]);
    expect(b).toEqual(a);
  });

  it("leaks no tensors", async () => {
    await model.predict(photos([1, 2]));
    const before = tf.memory().numTensors;
    await model.predict(photos([3, 4, 5]));
    await Promise.all([model.predict(photos([6])), model.predict(photos([7, 8]))]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([
    ["no photos", [], "validation"],
    ["too many photos", photos([1, 2, 3, 4, 5, 6, 7, 8, 9]), "too_many"],
    ["wrong pixel size", [{ pixels: new Uint8Array(10), slot: 0 }], "validation"],
    ["negative slot", [{ pixels: fakePixels(1), slot: -1 }], "validation"],
  ])("rejects %s", async (_name, input, code) => {
    const err = await model.predict(input as never).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe(code);
  });

  it("fails clearly on a missing model directory", async () => {
    await expect(load(path.join(dir, "nope"))).rejects.toThrow(/no model card/);
  });
});
