// Review metrics: rates and errors from hand-computed cases.
import { describe, expect, it } from "vitest";
import { summarize } from "@/lib/review/metrics";

const predicted = { category: "smartphone", p10: 80, p50: 100, p90: 130 };
const sample = (
  status: string,
  decision: null | { action: "accept" | "override" | "reject"; category: string | null; price: number | null },
) => ({
  status,
  category: "smartphone",
  day: "2026-11-28",
  modelVersion: "m1",
  decision,
  predicted,
});

describe("summarize", () => {
  it("computes auto-quote, override, agreement, price error and range coverage", () => {
    const m = summarize([
      sample("auto_quoted", null),
      sample("auto_quoted", null),
      sample("needs_review", null),
      sample("reviewed", { action: "accept", category: "smartphone", price: 100 }),
      sample("reviewed", { action: "override", category: "tablet", price: 200 }),
      sample("reviewed", { action: "override", category: "smartphone", price: 125 }),
      sample("rejected", { action: "reject", category: null, price: null }),
    ]);
    expect(m).toMatchObject({
      appraisals: 7,
      autoQuoted: 2,
      needsReview: 1,
      decided: 4,
      accepted: 1,
      overridden: 2,
      rejected: 1,
    });
    expect(m.autoQuoteRate).toBeCloseTo(2 / 7);
    expect(m.overrideRate).toBeCloseTo(2 / 4);
    expect(m.categoryAgreement).toBeCloseTo(2 / 3);
    // errors: 0, |100−200|/200 = 0.5, |100−125|/125 = 0.2 → median 0.2
    expect(m.medianPriceError).toBeCloseTo(0.2);
    // 100 and 125 are inside 80–130, 200 is not.
    expect(m.priceInRange).toBeCloseTo(2 / 3);
  });

  it("reports null, not zero, when there is nothing to divide by", () => {
    const m = summarize([]);
    expect(m.autoQuoteRate).toBeNull();
    expect(m.overrideRate).toBeNull();
    expect(m.medianPriceError).toBeNull();
  });
});
