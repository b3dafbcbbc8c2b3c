import fs from "node:fs/promises";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { type BackboneConfig, buildBackbone, DEFAULT_BACKBONE } from "./backbone";
import { expectedCalibrationError, softmaxRows } from "./calibration";
import { loadCustomBackbone } from "./custom-backbone";
import { createRng, type Dataset, type ItemExample, loadDataset, readPixels, shuffleInPlace } from "./data";
import { fitCalibration } from "./fit-calibration";
import { applyReviewRule, summarize, toOutcomes } from "./metrics";
import { type HeadEntry, MODEL_CARD_FORMAT, type ModelCard, VIEW_CLASSES, writeModelCard } from "./model-card";
import { createParallelRunner } from "./pretrain-task";
import { type Fusion, type HeadConfig, SetHead } from "./set-head";
import {
  backboneOf,
  buildPretrainModel,
  DEFAULT_NORMALIZATION,
  extractFeatures,
  type Normalization,
  pretrainBackbone,
} from "./train-backbone";
import {
  computePriceStats,
  DEFAULT_HEAD_TRAINING,
  type HeadTrainOptions,
  type PackedItems,
  type PriceStats,
  packItems,
  predictHead,
  type SetExample,
  trainHead,
} from "./train-head";
import { loadLayersModelFile, saveLayersModel, saveNamedWeights } from "./weights-io";

/** The training pipeline behind `npm run train`: pretrain the backbone, cache features, train heads, calibrate. */

export const MAX_PHOTOS = 8;
export const SLOT_CAP = 6;
export const SLOT_VOCABULARY = ["front", "back", "other 1", "other 2", "other 3", "other 4+"];

export interface TrainConfig {
  data: string;
  out: string;
  seed: number;
  backbone: BackboneConfig;
  /** A user-supplied LayersModel backbone (model.json) used instead of the NASNet one; frozen. */
  backbonePath?: string;
  normalization: Normalization;
  pretrain: {
    epochs: number;
    batchSize: number;
    learningRate: number;
    viewWeight: number;
    /** Weight of the price target, and of the brand target unless brandWeight is given. */
    auxWeight: number;
    /** Weight of the damage target: damage is most of what separates two prices in a category. */
    damageWeight: number;
    /** Weight of the brand target (absent: auxWeight). */
    brandWeight?: number;
    /** Weight of the variant and storage targets (absent or 0: off; the bundled model v4 used 1). */
    variantWeight?: number;
    /** Cap on training photos used for pretraining (0 = all), to fit a time budget. */
    maxPhotos: number;
    /** Worker threads for data-parallel pretraining (lib/ml/parallel); 1 trains in this thread. */
    workers: number;
  };
  head: Omit<HeadTrainOptions, "onEpoch" | "seed"> & {
    hidden: number;
    slotDim: number;
    fusions: Fusion[];
    /** Feed the pretraining heads' per-photo predictions to the set head beside the features. */
    pretrainPredictions: boolean;
  };
  targetAccuracy: number;
  resume: boolean;
  version?: string;
}

export const DEFAULT_TRAIN_CONFIG: Omit<TrainConfig, "data" | "out"> = {
  seed: 1,
  // The bundled model's backbone (README.md, "The bundled model"): one stem reduction, so the first stack sees
  // 24×24 and damage marks survive; DEFAULT_BACKBONE stays the size bench:train measures.
  backbone: { ...DEFAULT_BACKBONE, stemReductions: 1 },
  normalization: DEFAULT_NORMALIZATION,
  pretrain: {
    epochs: 10,
    batchSize: 32,
    learningRate: 2e-3,
    viewWeight: 0.5,
    auxWeight: 0.5,
    // The bundled model trains with 1.5 (README.md); at 1.5 the tiny test model (3 epochs) no longer learns the category.
    damageWeight: 0.5,
    maxPhotos: 0,
    workers: 1,
  },
  head: { ...DEFAULT_HEAD_TRAINING, hidden: 128, slotDim: 16, fusions: ["concat", "film"], pretrainPredictions: false },
  targetAccuracy: 0.99,
  resume: false,
};

export interface Reporter {
  log(line: string): void;
  progress(label: string, total: number): { update(done: number, info?: string): void; stop(): void };
}

export const silentReporter: Reporter = {
  log() {},
  progress: () => ({ update() {}, stop() {} }),
};

/** Per-photo features for a list of items, in the items' photo order. */
export function toExamples(items: ItemExample[], features: Map<string, Float32Array>): SetExample[] {
  return items.map((item) => ({
    features: item.photos.map((p) => {
      const f = features.get(p.file);
      if (!f) throw new Error(`no features for ${p.file}`);
      return f;
    }),
    slots: item.photos.map((p) => p.slot),
    views: item.photos.map((p) => p.view),
    category: item.category,
    price: item.price,
  }));
}

/** Decodes the photos of `items` and runs the backbone over them, keyed by file. */
export async function computeFeatures(
  items: ItemExample[],
  backbone: tf.LayersModel,
  inputSize: number,
  norm: Normalization,
  reporter: Reporter,
): Promise<Map<string, Float32Array>> {
  const files = items.flatMap((i) => i.photos.map((p) => p.file));
  const decode = reporter.progress("decode photos", files.length);
  const pixels = await readPixels(files, inputSize, (d) => decode.update(d));
  decode.stop();
  const bar = reporter.progress("backbone features", files.length);
  const feats = await extractFeatures(backbone, pixels, inputSize, norm, 32, (d) => bar.update(d));
  bar.stop();
  return new Map(files.map((f, i) => [f, feats[i]]));
}

interface TrainedHead {
  head: SetHead;
  losses: number[];
  validationQuoteAccuracy: number;
  seconds: number;
}

function trainOneHead(
  fusion: Fusion,
  config: TrainConfig,
  dims: { featureDim: number; categories: number },
  train: PackedItems,
  validation: PackedItems,
  price: PriceStats,
  validationPrices: number[],
  reporter: Reporter,
): TrainedHead {
  const started = performance.now();
  const headConfig: HeadConfig = {
    featureDim: dims.featureDim,
    categories: dims.categories,
    slots: SLOT_CAP,
    views: VIEW_CLASSES.length,
    hidden: config.head.hidden,
    slotDim: config.head.slotDim,
    fusion,
    seed: config.seed,
  };
  const head = new SetHead(headConfig);
  const bar = reporter.progress(`head (${fusion})`, config.head.epochs);
  const losses = trainHead(head, train, {
    ...config.head,
    seed: config.seed,
    onEpoch: (e, loss) => bar.update(e + 1, `loss ${loss.toFixed(3)}`),
  });
  bar.stop();
  const pred = predictHead(head, validation, price);
  const outcomes = toOutcomes(
    softmaxRows(pred.logits, dims.categories),
    dims.categories,
    pred.logQuantiles,
    validation.category,
    validationPrices,
  );
  return {
    head,
    losses,
    validationQuoteAccuracy: summarize(outcomes).quoteAccuracy,
    seconds: (performance.now() - started) / 1000,
  };
}

async function saveHead(dir: string, file: string, head: SetHead): Promise<HeadEntry> {
  const specs = await saveNamedWeights(path.join(dir, file), head.params);
  return { config: head.config, weightsPath: file, weightSpecs: specs };
}

/** Builds or loads the backbone, pretraining it unless it is user-supplied; checkpoints every epoch. */
async function prepareBackbone(
  config: TrainConfig,
  dataset: Dataset,
  train: ItemExample[],
  reporter: Reporter,
): Promise<{ backbone: tf.LayersModel; kind: "nasnet" | "custom"; inputSize: number; pretrainLoss: number[] }> {
  if (config.backbonePath) {
    const { model, inputSize } = await loadCustomBackbone(config.backbonePath);
    reporter.log(`backbone: ${config.backbonePath} (user-supplied, frozen, ${inputSize} px)`);
    return { backbone: model, kind: "custom", inputSize, pretrainLoss: [] };
  }
  const size = config.backbone.inputSize;
  const checkpointDir = path.join(config.out, "checkpoints", "pretrain");
  const statePath = path.join(checkpointDir, "state.json");
  let model: tf.LayersModel;
  let startEpoch = 0;
  const losses: number[] = [];
  if (config.resume && (await exists(statePath))) {
    const state = JSON.parse(await fs.readFile(statePath, "utf8")) as { epoch: number; losses: number[] };
    model = await loadLayersModelFile(path.join(checkpointDir, "model.json"));
    startEpoch = state.epoch + 1;
    losses.push(...state.losses);
    reporter.log(`resuming backbone pretraining after epoch ${state.epoch + 1}`);
  } else {
    const backbone = buildBackbone(config.backbone);
    model = buildPretrainModel(backbone, dataset.categories.length, VIEW_CLASSES.length, config.seed);
    reporter.log(
      `backbone: NASNet-A ${config.backbone.cells} @ ${config.backbone.penultimateFilters}, ${size} px, ${backbone.countParams()} parameters`,
    );
  }
  if (startEpoch < config.pretrain.epochs) {
    const price = computePriceStats(train.map((i) => i.price));
    let photos = train.flatMap((item) =>
      item.photos.map((p) => ({
        file: p.file,
        view: p.view,
        damage: p.damage,
        brand: item.brandTier,
        variant: p.variant,
        storage: p.storage,
        logPrice: (Math.log(item.price) - price.logMean) / price.logStd,
        category: item.category,
      })),
    );
    if (config.pretrain.maxPhotos > 0 && photos.length > config.pretrain.maxPhotos)
      photos = shuffleInPlace(photos, createRng(config.seed + 17)).slice(0, config.pretrain.maxPhotos);
    const decode = reporter.progress("decode pretraining photos", photos.length);
    const pixels = await readPixels(
      photos.map((p) => p.file),
      size,
      (d) => decode.update(d),
    );
    decode.stop();
    let bar = reporter.progress(`pretrain epoch ${startEpoch + 1}/${config.pretrain.epochs}`, 1);
    const pretrainOptions = { ...config.pretrain, seed: config.seed };
    const runner =
      config.pretrain.workers > 1
        ? await createParallelRunner(
            model,
            {
              backbone: config.backbone,
              categories: dataset.categories.length,
              views: VIEW_CLASSES.length,
              seed: config.seed,
              viewWeight: config.pretrain.viewWeight,
              auxWeight: config.pretrain.auxWeight,
              damageWeight: config.pretrain.damageWeight,
              brandWeight: config.pretrain.brandWeight,
              variantWeight: config.pretrain.variantWeight,
            },
            pretrainOptions,
            config.pretrain.workers,
          )
        : undefined;
    if (runner) reporter.log(`pretraining on ${config.pretrain.workers} worker threads`);
    await pretrainBackbone(
      model,
      {
        pixels,
        category: Int32Array.from(photos.map((p) => p.category)),
        view: Int32Array.from(photos.map((p) => p.view)),
        damage: Int32Array.from(photos.map((p) => p.damage)),
        brand: Int32Array.from(photos.map((p) => p.brand)),
        variant: Int32Array.from(photos.map((p) => p.variant)),
        storage: Int32Array.from(photos.map((p) => p.storage)),
        logPrice: Float32Array.from(photos.map((p) => p.logPrice)),
      },
      size,
      config.normalization,
      {
        ...pretrainOptions,
        startEpoch,
        onStep: (epoch, step, steps, loss) => {
          if (step === 1) {
            bar.stop();
            bar = reporter.progress(`pretrain epoch ${epoch + 1}/${config.pretrain.epochs}`, steps);
          }
          bar.update(step, `loss ${loss.toFixed(3)}`);
        },
        onEpoch: async (epoch, loss) => {
          bar.stop();
          losses.push(loss);
          reporter.log(`pretrain epoch ${epoch + 1}: loss ${loss.toFixed(4)}`);
          await saveLayersModel(model, checkpointDir);
          await fs.writeFile(statePath, JSON.stringify({ epoch, losses }));
        },
      },
      runner,
    );
  }
  return {
    backbone: backboneOf(model, config.head.pretrainPredictions),
    kind: "nasnet",
    inputSize: size,
    pretrainLoss: losses,
  };
}

/** Runs the whole pipeline and writes `<out>/model.json` (the card), the backbone and the heads. */
export async function trainModel(config: TrainConfig, reporter: Reporter = silentReporter): Promise<ModelCard> {
  const started = performance.now();
  const dataset = await loadDataset(config.data);
  const split = (s: string) => dataset.items.filter((i) => i.split === s);
  const train = split("train");
  const validation = split("validation");
  if (train.length === 0 || validation.length === 0)
    throw new Error(`${config.data}: needs train and validation items (generate with --split)`);
  reporter.log(`data: ${train.length} train, ${validation.length} validation items (${dataset.hash.slice(0, 12)})`);
  await fs.mkdir(config.out, { recursive: true });

  const pretrainStarted = performance.now();
  const { backbone, kind, inputSize, pretrainLoss } = await prepareBackbone(config, dataset, train, reporter);
  const pretrainSeconds = (performance.now() - pretrainStarted) / 1000;
  const featureDim = backbone.outputs[0].shape[1] as number;

  const features = await computeFeatures(
    [...train, ...validation],
    backbone,
    inputSize,
    config.normalization,
    reporter,
  );
  const price = computePriceStats(train.map((i) => i.price));
  const trainPacked = packItems(toExamples(train, features), MAX_PHOTOS, featureDim, price);
  const valPacked = packItems(toExamples(validation, features), MAX_PHOTOS, featureDim, price);
  const valPrices = validation.map((i) => i.price);
  const dims = { featureDim, categories: dataset.categories.length };

  const candidates = config.head.fusions.map((fusion) =>
    trainOneHead(fusion, config, dims, trainPacked, valPacked, price, valPrices, reporter),
  );
  const fusionResults = Object.fromEntries(
    candidates.map((c) => [`validation_quote_accuracy_${c.head.config.fusion}`, c.validationQuoteAccuracy]),
  );
  const best = candidates.reduce((a, b) => (b.validationQuoteAccuracy > a.validationQuoteAccuracy ? b : a));
  for (const c of candidates) if (c !== best) c.head.dispose();
  reporter.log(
    `fusion: ${candidates.map((c) => `${c.head.config.fusion} ${(100 * c.validationQuoteAccuracy).toFixed(1)}%`).join(", ")} → ${best.head.config.fusion}`,
  );
  const blind = trainOneHead("none", config, dims, trainPacked, valPacked, price, valPrices, reporter);

  const pred = predictHead(best.head, valPacked, price);
  const fitted = fitCalibration(
    { ...pred, labels: valPacked.category, prices: valPrices, categories: dims.categories },
    config.targetAccuracy,
  );
  const { temperature, priceMargin, rule, outcomes } = fitted;
  const rawProbs = softmaxRows(pred.logits, dims.categories);
  const calProbs = softmaxRows(pred.logits, dims.categories, temperature);
  const ruleOutcome = applyReviewRule(outcomes, rule);
  const summary = summarize(outcomes);
  reporter.log(
    `validation: top-1 ${pct(summary.top1)}, quote accuracy ${pct(summary.quoteAccuracy)} (position-blind ${pct(blind.validationQuoteAccuracy)}), T=${temperature.toFixed(3)}, coverage ${pct(ruleOutcome.coverage)} at ${pct(ruleOutcome.categoryAccuracy)}`,
  );

  const backboneDir = path.join(config.out, "backbone");
  await saveLayersModel(backbone, backboneDir);
  const headEntry = await saveHead(config.out, "head.bin", best.head);
  const ablationEntry = await saveHead(config.out, "ablation-head.bin", blind.head);
  const { out: _out, data: _data, ...recorded } = config;
  const card: ModelCard = {
    format: MODEL_CARD_FORMAT,
    version:
      config.version ??
      `${path.basename(config.out)}-${new Date().toISOString().slice(0, 10)}-${dataset.hash.slice(0, 8)}`,
    createdAt: new Date().toISOString(),
    categories: dataset.categories,
    currency: dataset.currency,
    inputSize,
    normalization: config.normalization,
    slots: { cap: SLOT_CAP, vocabulary: SLOT_VOCABULARY, maxPhotos: MAX_PHOTOS },
    views: [...VIEW_CLASSES],
    backbone: {
      kind,
      path: "backbone/model.json",
      featureDim,
      config:
        kind === "nasnet"
          ? { ...config.backbone, parameters: backbone.countParams() }
          : { source: config.backbonePath },
    },
    head: headEntry,
    ablationHead: ablationEntry,
    price,
    calibration: { temperature, priceMargin },
    review: { ...rule, targetAccuracy: config.targetAccuracy },
    training: {
      dataHash: dataset.hash,
      items: train.length,
      photos: train.reduce((n, i) => n + i.photos.length, 0),
      seed: config.seed,
      config: recorded as unknown as Record<string, unknown>,
    },
    metrics: {
      ...fusionResults,
      validation_items: validation.length,
      validation_top1: summary.top1,
      validation_top3: summary.top3,
      validation_quote_accuracy: summary.quoteAccuracy,
      validation_quote_accuracy_position_blind: blind.validationQuoteAccuracy,
      validation_price_mape: summary.priceMape,
      validation_price_median_ape: summary.priceMedianApe,
      validation_ece_before: expectedCalibrationError(rawProbs, valPacked.category, dims.categories).ece,
      validation_ece_after: expectedCalibrationError(calProbs, valPacked.category, dims.categories).ece,
      validation_range_coverage_before: fitted.rangeCoverageBefore,
      validation_range_coverage_after: fitted.rangeCoverageAfter,
      validation_auto_quote_coverage: ruleOutcome.coverage,
      validation_auto_quote_accuracy: ruleOutcome.categoryAccuracy,
      pretrain_first_loss: pretrainLoss[0] ?? null,
      pretrain_final_loss: pretrainLoss.at(-1) ?? null,
      head_first_loss: best.losses[0],
      head_final_loss: best.losses.at(-1) ?? null,
      pretrain_seconds: Math.round(pretrainSeconds),
      head_seconds: Number(best.seconds.toFixed(1)),
      total_seconds: Math.round((performance.now() - started) / 1000),
      backend: tf.getBackend(),
    },
  };
  await writeModelCard(config.out, card);
  best.head.dispose();
  blind.head.dispose();
  backbone.dispose();
  return card;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
