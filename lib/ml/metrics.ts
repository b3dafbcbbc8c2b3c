import { QUOTE_PRICE_TOLERANCE } from "../dataset/quote-ceiling";
import { argmax } from "./calibration";

/** Appraisal metrics on plain arrays: accuracy, price error, quote accuracy, review thresholds. */

// A quote is right when the category is right and the point price is within QUOTE_PRICE_TOLERANCE of the truth.
export { QUOTE_PRICE_TOLERANCE };

export interface ItemOutcome {
  label: number;
  predicted: number;
  /** Calibrated top-1 probability. */
  confidence: number;
  /** Rank of the true label (0 = top-1). */
  rank: number;
  truePrice: number;
  p10: number;
  p50: number;
  p90: number;
}

/** Turns probabilities and log-price quantiles into per-item outcomes. */
export function toOutcomes(
  probs: Float32Array,
  classes: number,
  logQuantiles: Float32Array,
  labels: Int32Array,
  prices: number[],
): ItemOutcome[] {
  return prices.map((truePrice, i) => {
    const { index, value } = argmax(probs, i * classes, classes);
    const p = probs[i * classes + labels[i]];
    let rank = 0;
    for (let c = 0; c < classes; c++) if (probs[i * classes + c] > p) rank += 1;
    return {
      label: labels[i],
      predicted: index,
      confidence: value,
      rank,
      truePrice,
      p10: Math.exp(logQuantiles[i * 3]),
      p50: Math.exp(logQuantiles[i * 3 + 1]),
      p90: Math.exp(logQuantiles[i * 3 + 2]),
    };
  });
}

export const absolutePercentageError = (o: ItemOutcome) => Math.abs(o.p50 - o.truePrice) / o.truePrice;
export const isQuoteRight = (o: ItemOutcome) =>
  o.predicted === o.label && absolutePercentageError(o) <= QUOTE_PRICE_TOLERANCE;
export const relativeRange = (o: ItemOutcome) => (o.p90 - o.p10) / o.p50;

export interface SummaryMetrics {
  items: number;
  top1: number;
  top3: number;
  priceMedianApe: number;
  priceMape: number;
  /** Share of items whose true price lies in [p10, p90] (0.8 when the quantiles are calibrated). */
  intervalCoverage: number;
  quoteAccuracy: number;
}

/** Headline metrics over outcomes (fractions, not percentages). */
export function summarize(outcomes: ItemOutcome[]): SummaryMetrics {
  const n = outcomes.length || 1;
  const apes = outcomes.map(absolutePercentageError).sort((a, b) => a - b);
  return {
    items: outcomes.length,
    top1: outcomes.filter((o) => o.rank === 0).length / n,
    top3: outcomes.filter((o) => o.rank < 3).length / n,
    priceMedianApe: apes.length ? apes[Math.floor(apes.length / 2)] : 0,
    priceMape: apes.reduce((a, b) => a + b, 0) / n,
    intervalCoverage: outcomes.filter((o) => o.truePrice >= o.p10 && o.truePrice <= o.p90).length / n,
    quoteAccuracy: outcomes.filter(isQuoteRight).length / n,
  };
}

export interface ReviewRule {
  minConfidence: number;
  maxRelativeRange: number;
}

export interface RuleOutcome {
  coverage: number;
  categoryAccuracy: number;
  quoteAccuracy: number;
  autoQuoted: number;
}

/** What a review rule does to a set of items: the share it auto-quotes and how right those quotes are. */
export function applyReviewRule(outcomes: ItemOutcome[], rule: ReviewRule): RuleOutcome {
  const auto = outcomes.filter((o) => o.confidence >= rule.minConfidence && relativeRange(o) <= rule.maxRelativeRange);
  const k = auto.length || 1;
  return {
    coverage: auto.length / (outcomes.length || 1),
    categoryAccuracy: auto.filter((o) => o.predicted === o.label).length / k,
    quoteAccuracy: auto.filter(isQuoteRight).length / k,
    autoQuoted: auto.length,
  };
}

/**
 * The lowest confidence threshold whose auto-quotes reach `target` category accuracy (so coverage is
 * the largest possible), among items already within `maxRelativeRange`.
 */
export function chooseMinConfidence(outcomes: ItemOutcome[], target: number, maxRelativeRange = Infinity): number {
  const pool = outcomes.filter((o) => relativeRange(o) <= maxRelativeRange).sort((a, b) => b.confidence - a.confidence);
  let right = 0;
  let best = 1;
  for (let k = 0; k < pool.length; k++) {
    right += pool[k].predicted === pool[k].label ? 1 : 0;
    // Only cut between distinct confidences: a tie cannot be split by a threshold.
    const boundary = k === pool.length - 1 || pool[k + 1].confidence < pool[k].confidence;
    if (boundary && right / (k + 1) >= target) best = pool[k].confidence;
  }
  return best;
}

/**
 * Chooses the review rule on validation outcomes: the price-range cap routes the widest 1% of price
 * ranges to review, then the confidence threshold is the lowest that reaches `target` accuracy.
 */
export function chooseReviewRule(outcomes: ItemOutcome[], target: number): ReviewRule {
  const ranges = outcomes.map(relativeRange).sort((a, b) => a - b);
  const maxRelativeRange = ranges.length ? ranges[Math.max(0, Math.ceil(0.99 * ranges.length) - 1)] : 10;
  return { minConfidence: chooseMinConfidence(outcomes, target, maxRelativeRange), maxRelativeRange };
}

/** Confusion counts [true][predicted]. */
export function confusionMatrix(outcomes: ItemOutcome[], classes: number): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (const o of outcomes) m[o.label][o.predicted] += 1;
  return m;
}

/** Per-category headline metrics. */
export function perCategory(outcomes: ItemOutcome[], categories: string[]): ({ category: string } & SummaryMetrics)[] {
  return categories.map((category, c) => ({ category, ...summarize(outcomes.filter((o) => o.label === c)) }));
}
