import { fitTemperature, softmaxRows } from "./calibration";
import { chooseReviewRule, type ItemOutcome, type ReviewRule, toOutcomes } from "./metrics";

/**
 * Everything fitted on held-back validation predictions after the heads are trained: the temperature that
 * calibrates category confidence, the margin that makes the price range honest, and the review rule.
 * Training and `npm run calibrate` share it, so a recalibrated model is what training would have written.
 */

/** The share of true prices the quoted p10–p90 range should hold. */
export const PRICE_RANGE_COVERAGE = 0.8;

/**
 * Conformalized quantile regression (Romano, Patterson & Candès, 2019) in log price. The pinball-trained p10/p90
 * are fitted on training items the head has memorized, so on new items they are too narrow: the range a seller
 * sees held the true price for only about half of held-out items. The conformity score of an item is how far its
 * true log price lies outside [p10, p90] (negative inside); the margin is the ⌈(n+1)·coverage⌉-th smallest score,
 * which gives at least `coverage` of new items from the same distribution a range holding their price. A negative
 * margin narrows a range that was too wide.
 */
export function fitPriceMargin(logQuantiles: Float32Array, prices: readonly number[], coverage = PRICE_RANGE_COVERAGE) {
  if (prices.length === 0) throw new Error("fitPriceMargin needs at least one validation item");
  if (!(coverage > 0 && coverage < 1)) throw new Error(`coverage must be between 0 and 1, got ${coverage}`);
  const scores = prices
    .map((price, i) => {
      const y = Math.log(price);
      return Math.max(logQuantiles[i * 3] - y, y - logQuantiles[i * 3 + 2]);
    })
    .sort((a, b) => a - b);
  const rank = Math.ceil((scores.length + 1) * coverage);
  return scores[Math.min(rank, scores.length) - 1];
}

/** Log-price quantiles with the range widened by `margin` on both sides, never crossing the median. */
export function widenLogQuantiles(logQuantiles: Float32Array, margin: number): Float32Array {
  const out = Float32Array.from(logQuantiles);
  for (let i = 0; i < out.length; i += 3) {
    out[i] = Math.min(out[i] - margin, out[i + 1]);
    out[i + 2] = Math.max(out[i + 2] + margin, out[i + 1]);
  }
  return out;
}

/** The same widening on prices (what inference returns): p10 × e^−margin and p90 × e^margin, around p50. */
export function widenPriceRange(price: { p10: number; p50: number; p90: number }, margin: number) {
  return {
    p10: Math.min(price.p10 * Math.exp(-margin), price.p50),
    p50: price.p50,
    p90: Math.max(price.p90 * Math.exp(margin), price.p50),
  };
}

export interface ValidationPredictions {
  logits: Float32Array;
  /** p10/p50/p90 of log price per item, as the head predicts them. */
  logQuantiles: Float32Array;
  labels: Int32Array;
  prices: readonly number[];
  categories: number;
}

export interface FittedCalibration {
  temperature: number;
  priceMargin: number;
  rule: ReviewRule;
  /** Validation outcomes with calibrated confidence and widened ranges. */
  outcomes: ItemOutcome[];
  /** Share of validation prices inside [p10, p90] before and after the margin. */
  rangeCoverageBefore: number;
  rangeCoverageAfter: number;
}

/** Share of prices inside [p10, p90] of their log-price quantiles. */
export const rangeCoverage = (logQuantiles: Float32Array, prices: readonly number[]) =>
  prices.filter((p, i) => {
    const y = Math.log(p);
    return y >= logQuantiles[i * 3] && y <= logQuantiles[i * 3 + 2];
  }).length / prices.length;

/** Fits temperature, price margin and review rule (in that order: the rule reads the calibrated values). */
export function fitCalibration(pred: ValidationPredictions, targetAccuracy: number): FittedCalibration {
  const temperature = fitTemperature(pred.logits, pred.labels, pred.categories);
  const priceMargin = fitPriceMargin(pred.logQuantiles, pred.prices);
  const widened = widenLogQuantiles(pred.logQuantiles, priceMargin);
  const probs = softmaxRows(pred.logits, pred.categories, temperature);
  const outcomes = toOutcomes(probs, pred.categories, widened, pred.labels, [...pred.prices]);
  return {
    temperature,
    priceMargin,
    rule: chooseReviewRule(outcomes, targetAccuracy),
    outcomes,
    rangeCoverageBefore: rangeCoverage(pred.logQuantiles, pred.prices),
    rangeCoverageAfter: rangeCoverage(widened, pred.prices),
  };
}
