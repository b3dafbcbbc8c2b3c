import { describe, expect, it } from "vitest";
import { expectedCalibrationError, fitTemperature, softmaxRows } from "@/lib/ml/calibration";
import { applyReviewRule, chooseMinConfidence, chooseReviewRule, type ItemOutcome, summarize } from "@/lib/ml/metrics";

/** Labels drawn from softmax(z) with logits then sharpened ×3: a model overconfident by T = 3. */
function overconfident(n: number, classes: number) {
  let s = 12345;
  const rand = () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return s / 2 ** 32;
  };
  const logits = new Float32Array(n * classes);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: classes }, () => rand() * 4);
    const p = softmaxRows(Float32Array.from(z), classes);
    let u = rand();
    let label = classes - 1;
    for (let c = 0; c < classes; c++) {
      u -= p[c];
      if (u < 0) {
        label = c;
        break;
      }
    }
    labels[i] = label;
    for (let c = 0; c < classes; c++) logits[i * classes + c] = z[c] * 3;
  }
  return { logits, labels };
}

const outcome = (confidence: number, right: boolean, ape = 0.05, range = 0.4): ItemOutcome => ({
  label: 0,
  predicted: right ? 0 : 1,
  confidence,
  rank: right ? 0 : 1,
  truePrice: 100,
  p10: 100 * (1 + ape) * (1 - range / 2),
  p50: 100 * (1 + ape),
  p90: 100 * (1 + ape) * (1 + range / 2),
});

describe("temperature scaling", () => {
  it("recovers the temperature of an overconfident model and lowers its ECE", () => {
    const { logits, labels } = overconfident(4000, 4);
    const t = fitTemperature(logits, labels, 4);
    expect(t).toBeGreaterThan(2.5);
    expect(t).toBeLessThan(3.5);
    const before = expectedCalibrationError(softmaxRows(logits, 4), labels, 4).ece;
    const after = expectedCalibrationError(softmaxRows(logits, 4, t), labels, 4).ece;
    expect(after).toBeLessThan(before / 3);
    expect(after).toBeLessThan(0.03);
  });
});

describe("review rule", () => {
  const outcomes = [
    ...Array.from({ length: 100 }, (_, i) => outcome(0.95 + i * 0.0004, true)),
    outcome(0.9, false),
    ...Array.from({ length: 9 }, (_, i) => outcome(0.5 + i * 0.01, false)),
  ];

  it("picks the lowest confidence threshold that reaches the target accuracy", () => {
    const t = chooseMinConfidence(outcomes, 0.99);
    expect(t).toBeCloseTo(0.9, 6);
    const r = applyReviewRule(outcomes, { minConfidence: t, maxRelativeRange: Infinity });
    expect(r.coverage).toBeCloseTo(101 / 110, 6);
    expect(r.categoryAccuracy).toBeGreaterThanOrEqual(0.99 - 1e-9);
    expect(chooseMinConfidence(outcomes, 1)).toBeCloseTo(0.95, 6);
  });

  it("caps the price range at the widest 1% and never auto-quotes an unreachable target", () => {
    const wide = [...outcomes.slice(0, 99), outcome(0.99, true, 0, 5)]; // 100 items, one with a huge range
    expect(chooseReviewRule(wide, 0.99).maxRelativeRange).toBeLessThan(5);
    expect(chooseMinConfidence([outcome(0.9, false)], 0.99)).toBe(1);
  });

  it("summarizes quote accuracy as category right and price within 15%", () => {
    const s = summarize([outcome(0.9, true, 0.1), outcome(0.9, true, 0.2), outcome(0.9, false, 0)]);
    expect(s.quoteAccuracy).toBeCloseTo(1 / 3, 6);
    expect(s.top1).toBeCloseTo(2 / 3, 6);
  });
});
