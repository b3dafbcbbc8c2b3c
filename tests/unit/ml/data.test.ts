import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { writeManifest } from "@/lib/dataset/manifest";
import type { ManifestItem } from "@/lib/dataset/schemas";
import { loadDataset } from "@/lib/ml/data";
import { VIEW_CLASSES } from "@/lib/ml/model-card";
import { ensureBackend } from "@/lib/ml/runtime";
import { buildPretrainModel, type PretrainLabels, pretrainLoss } from "@/lib/ml/train-backbone";
import { TINY_SIZE, tempDir, tinyBackbone } from "./helpers";

beforeAll(async () => {
  await ensureBackend("wasm");
});

const item: ManifestItem = {
  itemId: "item-1",
  category: "smartphone",
  price: 100,
  currency: "EUR",
  split: "train",
  photos: ["front", "back", "left", "detail", "label"].map((view, slot) => ({
    path: `photos/item-1/${slot}.jpg`,
    slot,
    view: view as ManifestItem["photos"][number]["view"],
  })),
  attributes: {
    brandTier: "premium",
    condition: { front: 1, back: 3, sides: 2 },
    variant: "triple-camera",
    storage: "64GB",
  },
};

describe("loadDataset pretraining labels", () => {
  it("labels each photo with the damage of the face it shows, a close-up with the worse of front and back", async () => {
    const dir = await tempDir("ml-data");
    await writeManifest(dir, [item, { ...item, itemId: "item-2", attributes: undefined, photos: item.photos }]);
    const dataset = await loadDataset(dir);
    expect(dataset.items[0].photos.map((p) => p.damage)).toEqual([1, 3, 2, 3, -1]);
    expect(dataset.items[0].brandTier).toBe(2);
    // Without a condition nothing is known, not even for the close-up.
    expect(dataset.items[1].photos.map((p) => p.damage)).toEqual([-1, -1, -1, -1, -1]);
  });

  it("labels every photo with the variant's rank and only the label photo with the storage's", async () => {
    const dir = await tempDir("ml-data");
    const watch: ManifestItem = {
      ...item,
      itemId: "item-3",
      category: "wristwatch",
      attributes: { variant: "chronograph", storage: "64GB" },
    };
    const unknownVariant: ManifestItem = { ...item, itemId: "item-4", attributes: { variant: "quad-camera" } };
    await writeManifest(dir, [item, watch, unknownVariant]);
    const [phone, chrono, odd] = (await loadDataset(dir)).items;
    expect(phone.photos.map((p) => p.variant)).toEqual([2, 2, 2, 2, 2]);
    expect(phone.photos.map((p) => p.storage)).toEqual([-1, -1, -1, -1, 0]);
    // Watches have no storage option: a stray attribute teaches nothing.
    expect(chrono.photos.map((p) => p.variant)).toEqual([1, 1, 1, 1, 1]);
    expect(chrono.photos.map((p) => p.storage)).toEqual([-1, -1, -1, -1, -1]);
    expect(odd.photos.map((p) => p.variant)).toEqual([-1, -1, -1, -1, -1]);
  });
});

describe("pretrainLoss", () => {
  it("weighs the damage target by damageWeight alone", () => {
    const model = buildPretrainModel(tinyBackbone(), 3, VIEW_CLASSES.length, 1);
    const x = tf.randomUniform([4, TINY_SIZE, TINY_SIZE, 3], 0, 1, "float32", 7);
    const labels = (damage: number[]): PretrainLabels => ({
      category: tf.tensor1d([0, 1, 2, 0], "int32"),
      view: tf.tensor1d([0, 1, 2, 3], "int32"),
      damage: tf.tensor1d(damage, "int32"),
      brand: tf.tensor1d([0, 1, 2, -1], "int32"),
      logPrice: tf.tensor1d([0.1, -0.2, 0.3, 0]),
    });
    const loss = (damage: number[], damageWeight: number) =>
      tf.tidy(() =>
        pretrainLoss(model, x, labels(damage), { viewWeight: 0.5, auxWeight: 0.5, damageWeight }).arraySync(),
      );
    expect(loss([0, 1, 2, 3], 0)).toBeCloseTo(loss([3, 3, 0, 1], 0), 5);
    const light = loss([0, 1, 2, 3], 0.5) - loss([0, 1, 2, 3], 0);
    const heavy = loss([0, 1, 2, 3], 1.5) - loss([0, 1, 2, 3], 0);
    expect(light).toBeGreaterThan(0);
    expect(heavy).toBeCloseTo(3 * light, 4);
    x.dispose();
    model.dispose();
  });

  it("weighs the brand target by brandWeight when given, by auxWeight otherwise", () => {
    const model = buildPretrainModel(tinyBackbone(), 3, VIEW_CLASSES.length, 1);
    const x = tf.randomUniform([4, TINY_SIZE, TINY_SIZE, 3], 0, 1, "float32", 8);
    const labels = (brand: number[]): PretrainLabels => ({
      category: tf.tensor1d([0, 1, 2, 0], "int32"),
      view: tf.tensor1d([0, 1, 2, 3], "int32"),
      damage: tf.tensor1d([0, 1, 2, 3], "int32"),
      brand: tf.tensor1d(brand, "int32"),
      logPrice: tf.tensor1d([0.1, -0.2, 0.3, 0]),
    });
    const unknown = [-1, -1, -1, -1];
    const known = [0, 1, 2, 1];
    const loss = (brand: number[], brandWeight?: number) =>
      tf.tidy(() =>
        pretrainLoss(model, x, labels(brand), {
          viewWeight: 0.5,
          auxWeight: 0.5,
          damageWeight: 0.5,
          brandWeight,
        }).arraySync(),
      );
    const atAux = loss(known) - loss(unknown);
    expect(atAux).toBeGreaterThan(0);
    expect(loss(known, 0.5) - loss(unknown, 0.5)).toBeCloseTo(atAux, 5);
    expect(loss(known, 2) - loss(unknown, 2)).toBeCloseTo(4 * atAux, 4);
    x.dispose();
    model.dispose();
  });

  it("adds the variant and storage targets only with a variantWeight, and skips unknown labels", () => {
    const model = buildPretrainModel(tinyBackbone(), 3, VIEW_CLASSES.length, 1);
    const x = tf.randomUniform([4, TINY_SIZE, TINY_SIZE, 3], 0, 1, "float32", 9);
    const labels = (variant: number[], storage: number[]): PretrainLabels => ({
      category: tf.tensor1d([0, 1, 2, 0], "int32"),
      view: tf.tensor1d([0, 1, 2, 3], "int32"),
      damage: tf.tensor1d([0, 1, 2, 3], "int32"),
      brand: tf.tensor1d([0, 1, 2, 1], "int32"),
      variant: tf.tensor1d(variant, "int32"),
      storage: tf.tensor1d(storage, "int32"),
      logPrice: tf.tensor1d([0.1, -0.2, 0.3, 0]),
    });
    const none = [-1, -1, -1, -1];
    const loss = (variant: number[], storage: number[], variantWeight?: number) =>
      tf.tidy(() =>
        pretrainLoss(model, x, labels(variant, storage), {
          viewWeight: 0.5,
          auxWeight: 0.5,
          damageWeight: 0.5,
          variantWeight,
        }).arraySync(),
      );
    // Off by default: the bundled model's training is unchanged.
    expect(loss([0, 1, 2, 1], [2, -1, -1, 0])).toBeCloseTo(loss(none, none), 6);
    const variantOnly = loss([0, 1, 2, 1], none, 1) - loss(none, none, 1);
    const storageOnly = loss(none, [2, -1, -1, 0], 1) - loss(none, none, 1);
    expect(variantOnly).toBeGreaterThan(0);
    expect(storageOnly).toBeGreaterThan(0);
    expect(loss([0, 1, 2, 1], [2, -1, -1, 0], 2) - loss(none, none, 2)).toBeCloseTo(2 * (variantOnly + storageOnly), 4);
    x.dispose();
    model.dispose();
  });
});
