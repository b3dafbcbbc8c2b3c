import fs from "node:fs/promises";
import path from "node:path";
import { generatedPriceNoise, hasGeneratedAttributes, itemCeiling } from "../dataset/quote-ceiling";
import type { ManifestItem } from "../dataset/schemas";
import { expectedCalibrationError, type ReliabilityBin, softmaxRows } from "./calibration";
import { type ItemExample, loadDataset, type Split } from "./data";
import { rangeCoverage, widenLogQuantiles } from "./fit-calibration";
import { loadModelParts } from "./load-model";
import {
  applyReviewRule,
  chooseMinConfidence,
  confusionMatrix,
  type ItemOutcome,
  isQuoteRight,
  perCategory,
  type RuleOutcome,
  type SummaryMetrics,
  summarize,
  toOutcomes,
} from "./metrics";
import { confusionSvg, coverageSvg, reliabilitySvg, writePng } from "./plots";
import type { SetHead } from "./set-head";
import { computeFeatures, type Reporter, silentReporter, toExamples } from "./train";
import { type PriceStats, packItems, predictHead, type SetExample, shuffleUploadOrder } from "./train-head";

/** `npm run evaluate`: the model and its position-blind ablation on canonical and shuffled upload orders. */

export interface EvaluateOptions {
  model: string;
  data: string;
  /** Which items to score: a split of the dataset, or all of it (a held-out seed). */
  split: Split | "all";
  targetAccuracy: number;
  /** Where JSON and PNGs go (default `<model>/eval`). */
  out?: string;
  seed: number;
}

export interface EvaluationReport {
  model: string;
  version: string;
  data: string;
  dataHash: string;
  split: string;
  items: number;
  photos: number;
  categories: string[];
  canonical: { positionAware: SummaryMetrics; positionBlind: SummaryMetrics };
  shuffled: { positionAware: SummaryMetrics; positionBlind: SummaryMetrics };
  calibration: {
    temperature: number;
    /** The card's log-price range margin and the share of true prices in [p10, p90] without and with it. */
    priceMargin: number;
    rangeCoverageBefore: number;
    rangeCoverageAfter: number;
    eceBefore: number;
    eceAfter: number;
    binsBefore: ReliabilityBin[];
    binsAfter: ReliabilityBin[];
  };
  review: {
    targetAccuracy: number;
    /** The threshold chosen on this data for the target, and what it leaves. */
    threshold: number;
    coverage: number;
    accuracy: number;
    /** The model card's rule (chosen on validation) applied to this data. */
    cardRule: { minConfidence: number; maxRelativeRange: number } & RuleOutcome;
  };
  viewAccuracy: number;
  perCategory: ({ category: string } & SummaryMetrics)[];
  confusion: number[][];
  /** Generated data only: the best any model can do (lib/dataset/quote-ceiling.ts) beside this model. */
  ceiling?: QuoteCeilingReport;
}

export interface QuoteCeilingReport {
  /** Category taken as known and the brand read from every photo: no model beats it on average. */
  upperBound: number;
  /** The same with the brand read only from label and packaging photos. */
  brandFromLabels: number;
  /** By what the photos leave hidden: items, the ceiling, and the position-aware head's quote accuracy. */
  byHidden: { hidden: string; items: number; ceiling: number; quoteAccuracy: number }[];
}

/** The ceiling of the evaluated items beside the model's outcomes (same order), when the data was generated. */
async function ceilingReport(
  dir: string,
  known: ManifestItem[],
  outcomes: ItemOutcome[],
): Promise<QuoteCeilingReport | undefined> {
  if (!hasGeneratedAttributes(known)) return undefined;
  const sigma = await generatedPriceNoise(dir);
  const groups = new Map<string, { items: number; ceiling: number; right: number }>();
  let upper = 0;
  let labels = 0;
  known.forEach((item, k) => {
    const { chance, hidden } = itemCeiling(item, { brand: "always", sigma });
    upper += chance;
    labels += itemCeiling(item, { brand: "label-or-box", sigma }).chance;
    const g = groups.get(hidden) ?? { items: 0, ceiling: 0, right: 0 };
    g.items += 1;
    g.ceiling += chance;
    g.right += isQuoteRight(outcomes[k]) ? 1 : 0;
    groups.set(hidden, g);
  });
  return {
    upperBound: upper / known.length,
    brandFromLabels: labels / known.length,
    byHidden: [...groups]
      .sort((a, b) => b[1].items - a[1].items)
      .map(([hidden, g]) => ({
        hidden,
        items: g.items,
        ceiling: g.ceiling / g.items,
        quoteAccuracy: g.right / g.items,
      })),
  };
}

function outcomesOf(
  head: SetHead,
  examples: SetExample[],
  maxPhotos: number,
  dim: number,
  price: PriceStats,
  temperature: number,
  priceMargin: number,
) {
  const packed = packItems(examples, maxPhotos, dim, price);
  const pred = predictHead(head, packed, price);
  const C = head.config.categories;
  const prices = examples.map((e) => e.price);
  const raw = softmaxRows(pred.logits, C);
  const calibrated = softmaxRows(pred.logits, C, temperature);
  return {
    packed,
    pred,
    prices,
    raw,
    calibrated,
    outcomes: toOutcomes(calibrated, C, widenLogQuantiles(pred.logQuantiles, priceMargin), packed.category, prices),
  };
}

function viewAccuracy(packed: ReturnType<typeof packItems>, viewProbs: Float32Array, views: number): number {
  let right = 0;
  let total = 0;
  for (let k = 0; k < packed.views.length; k++) {
    if (packed.mask[k] === 0 || packed.views[k] < 0) continue;
    let best = 0;
    for (let v = 1; v < views; v++) if (viewProbs[k * views + v] > viewProbs[k * views + best]) best = v;
    right += best === packed.views[k] ? 1 : 0;
    total += 1;
  }
  return total ? right / total : 0;
}

function coverageCurve(outcomes: ItemOutcome[]): { coverage: number; accuracy: number }[] {
  const sorted = [...outcomes].sort((a, b) => b.confidence - a.confidence);
  const points: { coverage: number; accuracy: number }[] = [];
  let right = 0;
  sorted.forEach((o, k) => {
    right += o.predicted === o.label ? 1 : 0;
    points.push({ coverage: (k + 1) / sorted.length, accuracy: right / (k + 1) });
  });
  return points;
}

/** Scores a model on a dataset; writes evaluation.json and PNG plots. */
export async function evaluateModel(
  options: EvaluateOptions,
  reporter: Reporter = silentReporter,
): Promise<EvaluationReport> {
  const parts = await loadModelParts(options.model);
  try {
    const { card } = parts;
    if (!parts.ablationHead) throw new Error(`${options.model} has no ablation head; retrain it with npm run train`);
    const dataset = await loadDataset(options.data, card.categories);
    const picked = dataset.items.flatMap((item, k) =>
      options.split === "all" || item.split === options.split ? [k] : [],
    );
    const items: ItemExample[] = picked.map((k) => dataset.items[k]);
    if (items.length === 0) throw new Error(`${options.data}: no items in split "${options.split}"`);
    const features = await computeFeatures(items, parts.backbone, card.inputSize, card.normalization, reporter);
    const canonical = toExamples(items, features);
    const shuffled = shuffleUploadOrder(canonical, options.seed);
    const P = card.slots.maxPhotos;
    const D = card.backbone.featureDim;
    const T = card.calibration.temperature;
    const margin = card.calibration.priceMargin ?? 0;
    // The margin was fitted for the served head's ranges; the ablation head's are reported as it predicts them.
    const run = (head: SetHead, ex: SetExample[], m: number) => outcomesOf(head, ex, P, D, card.price, T, m);
    const aware = run(parts.head, canonical, margin);
    const blind = run(parts.ablationHead, canonical, 0);
    const awareShuffled = run(parts.head, shuffled, margin);
    const blindShuffled = run(parts.ablationHead, shuffled, 0);

    const C = card.categories.length;
    const before = expectedCalibrationError(aware.raw, aware.packed.category, C);
    const after = expectedCalibrationError(aware.calibrated, aware.packed.category, C);
    const threshold = chooseMinConfidence(aware.outcomes, options.targetAccuracy);
    const atThreshold = applyReviewRule(aware.outcomes, { minConfidence: threshold, maxRelativeRange: Infinity });
    const cardRule = {
      minConfidence: card.review.minConfidence,
      maxRelativeRange: card.review.maxRelativeRange,
      ...applyReviewRule(aware.outcomes, card.review),
    };
    const report: EvaluationReport = {
      model: options.model,
      version: card.version,
      data: options.data,
      dataHash: dataset.hash,
      split: options.split,
      items: items.length,
      photos: items.reduce((n, i) => n + i.photos.length, 0),
      categories: card.categories,
      canonical: { positionAware: summarize(aware.outcomes), positionBlind: summarize(blind.outcomes) },
      shuffled: { positionAware: summarize(awareShuffled.outcomes), positionBlind: summarize(blindShuffled.outcomes) },
      calibration: {
        temperature: T,
        priceMargin: margin,
        rangeCoverageBefore: rangeCoverage(aware.pred.logQuantiles, aware.prices),
        rangeCoverageAfter: summarize(aware.outcomes).intervalCoverage,
        eceBefore: before.ece,
        eceAfter: after.ece,
        binsBefore: before.bins,
        binsAfter: after.bins,
      },
      review: {
        targetAccuracy: options.targetAccuracy,
        threshold,
        coverage: atThreshold.coverage,
        accuracy: atThreshold.categoryAccuracy,
        cardRule,
      },
      viewAccuracy: viewAccuracy(aware.packed, aware.pred.viewProbs, card.views.length),
      perCategory: perCategory(aware.outcomes, card.categories),
      confusion: confusionMatrix(aware.outcomes, C),
      ceiling: await ceilingReport(
        options.data,
        picked.map((k) => dataset.manifest[k]),
        aware.outcomes,
      ),
    };
    const out = options.out ?? path.join(options.model, "eval");
    await fs.mkdir(out, { recursive: true });
    await fs.writeFile(path.join(out, "evaluation.json"), `${JSON.stringify(report, null, 2)}\n`);
    await writePng(reliabilitySvg(before.bins, after.bins, before.ece, after.ece), path.join(out, "reliability.png"));
    await writePng(confusionSvg(report.confusion, card.categories), path.join(out, "confusion.png"));
    await writePng(
      coverageSvg([
        { label: "position-aware", color: "#1f77b4", points: coverageCurve(aware.outcomes) },
        { label: "position-blind", color: "#d62728", points: coverageCurve(blind.outcomes) },
      ]),
      path.join(out, "coverage.png"),
    );
    return report;
  } finally {
    parts.dispose();
  }
}

const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)}%`;

/** The human-readable report; its last three lines are the headline figures, in a fixed format. */
export function formatReport(r: EvaluationReport): string {
  const row = (name: string, m: SummaryMetrics) =>
    `| ${name} | ${pct(m.top1)} | ${pct(m.top3)} | ${pct(m.priceMedianApe)} | ${pct(m.priceMape)} | ${pct(m.intervalCoverage)} | ${pct(m.quoteAccuracy)} |`;
  const lines = [
    `model ${r.version} on ${r.data} (${r.split}: ${r.items} items, ${r.photos} photos)`,
    "",
    "| head / upload order | top-1 | top-3 | price median APE | price MAPE | p10–p90 holds truth | quote accuracy |",
    "|---|---|---|---|---|---|---|",
    row("position-aware, canonical", r.canonical.positionAware),
    row("position-blind, canonical", r.canonical.positionBlind),
    row("position-aware, shuffled", r.shuffled.positionAware),
    row("position-blind, shuffled", r.shuffled.positionBlind),
    "",
    `calibration: T = ${r.calibration.temperature.toFixed(3)}, ECE ${pct(r.calibration.eceBefore, 2)} before → ${pct(r.calibration.eceAfter, 2)} after`,
    `price range: margin ${r.calibration.priceMargin.toFixed(3)} in log price (×${Math.exp(r.calibration.priceMargin).toFixed(2)} on each side) → p10–p90 holds truth ${pct(r.calibration.rangeCoverageBefore)} before → ${pct(r.calibration.rangeCoverageAfter)} after (position-blind rows: no margin)`,
    `review threshold for ${pct(r.review.targetAccuracy, 0)} accuracy on this data: confidence ≥ ${r.review.threshold.toFixed(4)} → coverage ${pct(r.review.coverage)} (accuracy ${pct(r.review.accuracy)})`,
    `model card rule (confidence ≥ ${r.review.cardRule.minConfidence.toFixed(4)}, range ≤ ${r.review.cardRule.maxRelativeRange.toFixed(3)}): coverage ${pct(r.review.cardRule.coverage)}, category accuracy ${pct(r.review.cardRule.categoryAccuracy)}, quote accuracy ${pct(r.review.cardRule.quoteAccuracy)}`,
    `view guess accuracy: ${pct(r.viewAccuracy)}`,
    "",
    "| category | items | top-1 | price median APE | quote accuracy |",
    "|---|---|---|---|---|",
    ...r.perCategory.map(
      (c) => `| ${c.category} | ${c.items} | ${pct(c.top1)} | ${pct(c.priceMedianApe)} | ${pct(c.quoteAccuracy)} |`,
    ),
    "",
    `confusion (rows truth, columns predicted; ${r.categories.join(", ")}):`,
    ...r.confusion.map(
      (row, i) => `  ${r.categories[i].padEnd(12)} ${row.map((v) => String(v).padStart(4)).join(" ")}`,
    ),
    ...ceilingLines(r.ceiling),
    "",
    `quote accuracy: ${(100 * r.canonical.positionAware.quoteAccuracy).toFixed(1)}%`,
    `position-blind quote accuracy: ${(100 * r.canonical.positionBlind.quoteAccuracy).toFixed(1)}%`,
    `auto-quote coverage at ${(100 * r.review.targetAccuracy).toFixed(0)}% accuracy: ${(100 * r.review.coverage).toFixed(1)}%`,
  ];
  return lines.join("\n");
}

function ceilingLines(c: QuoteCeilingReport | undefined): string[] {
  if (!c) return [];
  return [
    "",
    `quote accuracy ceiling of this data (category known, brand read from every photo; npm run dataset:ceiling): ${pct(c.upperBound)}; brand read from label and packaging photos only: ${pct(c.brandFromLabels)}`,
    "| what the photos leave hidden | items | ceiling | position-aware quote accuracy |",
    "|---|---|---|---|",
    ...c.byHidden.map((g) => `| ${g.hidden} | ${g.items} | ${pct(g.ceiling)} | ${pct(g.quoteAccuracy)} |`),
  ];
}
