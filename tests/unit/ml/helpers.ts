import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type * as tf from "@tensorflow/tfjs";
import { buildBackbone } from "@/lib/ml/backbone";
import { MODEL_CARD_FORMAT, type ModelCard, VIEW_CLASSES, writeModelCard } from "@/lib/ml/model-card";
import { type Fusion, type HeadConfig, SetHead } from "@/lib/ml/set-head";
import { saveLayersModel, saveNamedWeights } from "@/lib/ml/weights-io";

export const TINY_SIZE = 32;
export const TINY_CATEGORIES = ["a", "b", "c"];

export function tinyBackbone(seed = 1): tf.LayersModel {
  return buildBackbone({
    inputSize: TINY_SIZE,
    cells: 1,
    penultimateFilters: 48,
    stemFilters: 4,
    stemReductions: 1,
    seed,
  });
}

export function tinyHeadConfig(fusion: Fusion, featureDim = 48, seed = 1): HeadConfig {
  return { featureDim, categories: TINY_CATEGORIES.length, slots: 6, views: 4, hidden: 16, slotDim: 4, fusion, seed };
}

export async function tempDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
}

/** Writes an untrained but complete model directory (card, backbone, heads). */
export async function writeTinyModel(dir: string, fusion: Fusion = "concat"): Promise<ModelCard> {
  const backbone = tinyBackbone();
  const head = new SetHead(tinyHeadConfig(fusion));
  const blind = new SetHead(tinyHeadConfig("none"));
  await saveLayersModel(backbone, path.join(dir, "backbone"));
  const headSpecs = await saveNamedWeights(path.join(dir, "head.bin"), head.params);
  const blindSpecs = await saveNamedWeights(path.join(dir, "ablation-head.bin"), blind.params);
  const card = tinyCard({
    head: { config: head.config, weightsPath: "head.bin", weightSpecs: headSpecs },
    ablationHead: { config: blind.config, weightsPath: "ablation-head.bin", weightSpecs: blindSpecs },
  });
  await writeModelCard(dir, card);
  backbone.dispose();
  head.dispose();
  blind.dispose();
  return card;
}

export function tinyCard(overrides: Partial<ModelCard> = {}): ModelCard {
  return {
    format: MODEL_CARD_FORMAT,
    version: "tiny-test",
    createdAt: "2026-11-28T00:00:00.000Z",
    categories: TINY_CATEGORIES,
    currency: "EUR",
    inputSize: TINY_SIZE,
    normalization: { scale: 1 / 255, offset: 0 },
    slots: { cap: 6, vocabulary: ["front", "back", "o1", "o2", "o3", "o4+"], maxPhotos: 8 },
    views: [...VIEW_CLASSES],
    backbone: { kind: "nasnet", path: "backbone/model.json", featureDim: 48 },
    head: {
      config: tinyHeadConfig("concat"),
      weightsPath: "head.bin",
      weightSpecs: [{ name: "inW", shape: [1], dtype: "float32" }],
    },
    price: { logMean: 5, logStd: 1 },
    calibration: { temperature: 1.5 },
    review: { minConfidence: 0.9, maxRelativeRange: 1, targetAccuracy: 0.99 },
    training: { dataHash: "abc", items: 0, photos: 0, seed: 1, config: {} },
    metrics: {},
    ...overrides,
  };
}

/** Deterministic pseudo-random pixels for one photo. */
export function fakePixels(seed: number, size = TINY_SIZE): Uint8Array {
  const px = new Uint8Array(size * size * 3);
  let s = seed * 2654435761;
  for (let i = 0; i < px.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    px[i] = s >>> 24;
  }
  return px;
}
