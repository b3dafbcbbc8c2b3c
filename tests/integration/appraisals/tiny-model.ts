// A small, untrained but complete model directory written with lib/ml's own code, so the seller
// flow's tests exercise real loading and real inference without waiting for a trained model.
import path from "node:path";
import { CATEGORIES } from "@/lib/dataset/categories";
import { buildBackbone } from "@/lib/ml/backbone";
import { MODEL_CARD_FORMAT, type ModelCard, VIEW_CLASSES, writeModelCard } from "@/lib/ml/model-card";
import { ensureBackend } from "@/lib/ml/runtime";
import { SetHead } from "@/lib/ml/set-head";
import { SLOT_CAP, SLOT_VOCABULARY } from "@/lib/ml/train";
import { saveLayersModel, saveNamedWeights } from "@/lib/ml/weights-io";

export interface TinyModelOptions {
  version?: string;
  /** Review thresholds; the defaults auto-quote nearly everything so tests can choose the outcome. */
  review?: { minConfidence: number; maxRelativeRange: number };
}

/** Writes a 32-px NASNet backbone + set head + card into `dir`; returns the card. */
export async function writeTinyModel(dir: string, options: TinyModelOptions = {}): Promise<ModelCard> {
  await ensureBackend();
  const inputSize = 32;
  const backbone = buildBackbone({
    inputSize,
    cells: 1,
    penultimateFilters: 24,
    stemFilters: 8,
    stemReductions: 1,
    seed: 3,
  });
  const featureDim = backbone.outputs[0].shape[1] as number;
  await saveLayersModel(backbone, path.join(dir, "backbone"));
  backbone.dispose();
  const head = new SetHead({
    featureDim,
    categories: CATEGORIES.length,
    slots: SLOT_CAP,
    views: VIEW_CLASSES.length,
    hidden: 16,
    slotDim: 4,
    fusion: "concat",
    seed: 5,
  });
  const specs = await saveNamedWeights(path.join(dir, "head.bin"), head.params);
  const headConfig = head.config;
  head.dispose();
  const card: ModelCard = {
    format: MODEL_CARD_FORMAT,
    version: options.version ?? "tiny-test-1",
    createdAt: new Date().toISOString(),
    categories: [...CATEGORIES],
    currency: "EUR",
    inputSize,
    normalization: { scale: 1 / 255, offset: 0 },
    slots: { cap: SLOT_CAP, vocabulary: SLOT_VOCABULARY, maxPhotos: 8 },
    views: [...VIEW_CLASSES],
    backbone: { kind: "nasnet", path: "backbone/model.json", featureDim },
    head: { config: headConfig, weightsPath: "head.bin", weightSpecs: specs },
    price: { logMean: Math.log(150), logStd: 0.8 },
    calibration: { temperature: 1 },
    review: { minConfidence: 0, maxRelativeRange: 1000, targetAccuracy: 0.95, ...options.review },
    training: { dataHash: "none", items: 0, photos: 0, seed: 1, config: {} },
    metrics: {},
  };
  await writeModelCard(dir, card);
  return card;
}
