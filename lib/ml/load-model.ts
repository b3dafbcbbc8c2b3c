import path from "node:path";
import type * as tf from "@tensorflow/tfjs";
import { loadCustomBackbone } from "./custom-backbone";
import { type HeadEntry, type ModelCard, readModelCard } from "./model-card";
import { SetHead } from "./set-head";
import { loadNamedWeights } from "./weights-io";

/** A trained model's parts, loaded from a model directory and checked against its card. */
export interface ModelParts {
  card: ModelCard;
  backbone: tf.LayersModel;
  head: SetHead;
  ablationHead: SetHead | null;
  dispose(): void;
}

/** Loads a head described by a card entry. */
export async function loadHead(dir: string, entry: HeadEntry): Promise<SetHead> {
  const weights = await loadNamedWeights(path.join(dir, entry.weightsPath), entry.weightSpecs);
  try {
    return new SetHead(entry.config, weights);
  } finally {
    for (const t of Object.values(weights)) t.dispose();
  }
}

/** Reads the card, the backbone and the heads of `dir`; mismatches fail with a message naming the file. */
export async function loadModelParts(dir: string): Promise<ModelParts> {
  const card = await readModelCard(dir);
  const { model: backbone } = await loadCustomBackbone(path.join(dir, card.backbone.path), {
    inputSize: card.inputSize,
    featureDim: card.backbone.featureDim,
  });
  const head = await loadHead(dir, card.head);
  const ablationHead = card.ablationHead ? await loadHead(dir, card.ablationHead) : null;
  return {
    card,
    backbone,
    head,
    ablationHead,
    dispose() {
      backbone.dispose();
      head.dispose();
      ablationHead?.dispose();
    },
  };
}
