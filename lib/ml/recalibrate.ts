import { loadDataset, type Split } from "./data";
import { fitCalibration } from "./fit-calibration";
import { loadModelParts } from "./load-model";
import { applyReviewRule } from "./metrics";
import { type ModelCard, writeModelCard } from "./model-card";
import { computeFeatures, type Reporter, silentReporter, toExamples } from "./train";
import { packItems, predictHead } from "./train-head";

export interface RecalibrateOptions {
  model: string;
  data: string;
  /** Items to fit on; the training data's validation split by default (what training itself used). */
  split?: Split | "all";
  /** Category accuracy the auto-quote threshold must reach; the card's own by default. */
  targetAccuracy?: number;
}

/**
 * Refits a trained model's temperature, price-range margin and review rule on held-back items and rewrites its
 * card, leaving the weights alone. On the training data's validation split it reproduces what training writes;
 * on another set (e.g. reviewed items exported by `npm run export:reviewed`) it adapts the thresholds to it.
 */
export async function recalibrateModel(options: RecalibrateOptions, reporter: Reporter = silentReporter) {
  const parts = await loadModelParts(options.model);
  try {
    const { card } = parts;
    const split = options.split ?? "validation";
    const dataset = await loadDataset(options.data, card.categories);
    const items = split === "all" ? dataset.items : dataset.items.filter((i) => i.split === split);
    if (items.length === 0) throw new Error(`${options.data}: no items in split "${split}"`);
    const features = await computeFeatures(items, parts.backbone, card.inputSize, card.normalization, reporter);
    const packed = packItems(toExamples(items, features), card.slots.maxPhotos, card.backbone.featureDim, card.price);
    const pred = predictHead(parts.head, packed, card.price);
    const targetAccuracy = options.targetAccuracy ?? card.review.targetAccuracy;
    const prices = items.map((i) => i.price);
    const fitted = fitCalibration(
      { ...pred, labels: packed.category, prices, categories: card.categories.length },
      targetAccuracy,
    );
    const outcome = applyReviewRule(fitted.outcomes, fitted.rule);
    const next: ModelCard = {
      ...card,
      calibration: { temperature: fitted.temperature, priceMargin: fitted.priceMargin },
      review: { ...fitted.rule, targetAccuracy },
      metrics: {
        ...card.metrics,
        validation_range_coverage_before: fitted.rangeCoverageBefore,
        validation_range_coverage_after: fitted.rangeCoverageAfter,
        validation_auto_quote_coverage: outcome.coverage,
        validation_auto_quote_accuracy: outcome.categoryAccuracy,
        calibrated_on: `${dataset.hash.slice(0, 12)}:${split}:${items.length}`,
      },
    };
    await writeModelCard(options.model, next);
    return { previous: card, card: next, fitted, outcome };
  } finally {
    parts.dispose();
  }
}
