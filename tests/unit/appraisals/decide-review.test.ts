import { describe, expect, it } from "vitest";
import { decideReview, notesForPhoto, type ReviewInput, wrongSlotNote } from "@/lib/appraisals/decide-review";
import type { QualityFlag } from "@/lib/images/quality";

const confident: ReviewInput = {
  category: "camera",
  confidence: 0.97,
  price: { p10: 90, p50: 100, p90: 115 },
  perPhoto: [
    { slot: 0, viewGuess: "front", viewProbability: 0.9 },
    { slot: 1, viewGuess: "back", viewProbability: 0.9 },
    { slot: 2, viewGuess: "detail", viewProbability: 0.8 },
  ],
  photos: [
    { slot: 0, quality: [] },
    { slot: 1, quality: [] },
    { slot: 2, quality: [] },
  ],
  thresholds: { minConfidence: 0.8, maxRelativeRange: 0.5 },
};

const flag = (severity: QualityFlag["severity"]): QualityFlag => ({
  code: "blurry",
  severity,
  message: "This photo looks blurry.",
  value: 10,
});

describe("decideReview", () => {
  it("auto-quotes when every rule holds", () => {
    expect(decideReview(confident)).toEqual({ status: "auto_quoted", reasons: [] });
  });

  it.each([
    ["low_confidence", { confidence: 0.79 }],
    ["low_confidence", { confidence: Number.NaN }],
    ["wide_price_range", { price: { p10: 40, p50: 100, p90: 160 } }],
    ["wide_price_range", { price: { p10: 0, p50: 0, p90: 1 } }],
    ["declared_category_mismatch", { declaredCategory: "laptop" }],
    [
      "wrong_slot",
      {
        perPhoto: [
          { slot: 0, viewGuess: "back", viewProbability: 0.95 },
          { slot: 1, viewGuess: "back", viewProbability: 0.9 },
        ],
      },
    ],
    ["poor_photo_quality", { photos: [{ slot: 0, quality: [flag("serious")] }] }],
  ] as const)("routes to review for %s", (reason, change) => {
    const decision = decideReview({ ...confident, ...change } as ReviewInput);
    expect(decision.status).toBe("needs_review");
    expect(decision.reasons).toEqual([reason]);
  });

  it("keeps boundary values on the auto-quote side", () => {
    expect(decideReview({ ...confident, confidence: 0.8, price: { p10: 75, p50: 100, p90: 125 } }).status).toBe(
      "auto_quoted",
    );
  });

  it("does not route for a matching declared category or a mere quality warning", () => {
    const input = { ...confident, declaredCategory: "camera", photos: [{ slot: 0, quality: [flag("warning")] }] };
    expect(decideReview(input).status).toBe("auto_quoted");
  });

  it("lists every reason that fired, in a stable order", () => {
    const input = {
      ...confident,
      confidence: 0.1,
      declaredCategory: "laptop",
      photos: [{ slot: 0, quality: [flag("serious")] }],
    };
    expect(decideReview(input).reasons).toEqual(["low_confidence", "declared_category_mismatch", "poor_photo_quality"]);
  });
});

describe("wrongSlotNote", () => {
  const all = confident.perPhoto;
  it.each([
    [
      { slot: 0, viewGuess: "back", viewProbability: 0.9 },
      /looks like the back, not the front — did you mean to put it in Back\?/,
    ],
    [
      { slot: 1, viewGuess: "front", viewProbability: 0.9 },
      /looks like the front, not the back — did you mean to put it in Front\?/,
    ],
    [{ slot: 0, viewGuess: "side", viewProbability: 0.9 }, /a side view, not the front/],
  ] as const)("questions %o", (view, says) => {
    expect(wrongSlotNote(view, all)?.message).toMatch(says);
  });

  it("stays quiet when the model is unsure", () => {
    expect(wrongSlotNote({ slot: 0, viewGuess: "back", viewProbability: 0.89 }, all)).toBeUndefined();
    expect(wrongSlotNote({ slot: 0, viewGuess: "back", viewProbability: 0.9 }, all)).toBeDefined();
    expect(wrongSlotNote({ slot: 1, viewGuess: "front", viewProbability: 0.89 }, all)).toBeUndefined();
    expect(wrongSlotNote({ slot: 1, viewGuess: "front", viewProbability: 0.9 }, all)).toBeDefined();
    const frontIsBack = [{ slot: 0, viewGuess: "back", viewProbability: 0.95 } as const];
    expect(wrongSlotNote({ slot: 3, viewGuess: "front", viewProbability: 0.89 }, frontIsBack)).toBeUndefined();
  });

  it("suggests Front for an Other photo only when Front does not look like the front", () => {
    const other = { slot: 3, viewGuess: "front", viewProbability: 0.92 } as const;
    expect(wrongSlotNote(other, all)).toBeUndefined();
    const frontIsBack = [{ slot: 0, viewGuess: "back", viewProbability: 0.9 } as const, other];
    expect(wrongSlotNote(other, frontIsBack)?.message).toBe(
      "This looks like the front — did you mean to put it in Front?",
    );
  });

  it("puts quality notes before the slot hint", () => {
    const notes = notesForPhoto(0, [flag("warning")], [{ slot: 0, viewGuess: "back", viewProbability: 0.9 }]);
    expect(notes.map((n) => n.code)).toEqual(["blurry", "wrong_slot"]);
  });
});
