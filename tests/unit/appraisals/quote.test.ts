import { describe, expect, it } from "vitest";
import { type AppraisalRows, toQuote } from "@/lib/appraisals/quote";

const rows = (over: Partial<AppraisalRows> = {}): AppraisalRows => ({
  id: "AAAAAAAAAAAAAAAAAAAAAA",
  status: "needs_review",
  createdAt: new Date("2026-11-28T10:00:00Z"),
  decidedAt: null,
  declaredCategory: "laptop",
  currency: "EUR",
  finalCategory: null,
  finalPriceP50: null,
  photos: [
    { id: "p1", slot: 1, width: 800, height: 600, qualityFlags: [] },
    {
      id: "p0",
      slot: 0,
      width: 800,
      height: 600,
      qualityFlags: [
        { code: "too_dark", severity: "warning", message: "This photo is very dark — take it again in more light." },
      ],
    },
  ],
  prediction: {
    modelVersionId: "m1",
    topCategories: [
      { category: "camera", probability: 0.6 },
      { category: "laptop", probability: 0.3 },
      { category: "tablet", probability: 0.05 },
      { category: "sneaker", probability: 0.05 },
    ],
    category: "camera",
    confidence: 0.6,
    priceP10: 80,
    priceP50: 100,
    priceP90: 140,
    currency: "EUR",
    perPhoto: [
      { slot: 0, attention: 0.5, viewGuess: "back", viewProbability: 0.9 },
      { slot: 1, attention: 0.5, viewGuess: "back", viewProbability: 0.9 },
    ],
    reviewReasons: ["low_confidence", "declared_category_mismatch", "wrong_slot"],
  },
  reviews: [],
  ...over,
});

describe("toQuote", () => {
  it("shows the model's guess, reasons and notes while under review", () => {
    const quote = toQuote(rows());
    expect(quote).toMatchObject({
      status: "needs_review",
      category: "camera",
      categoryLabel: "Camera",
      declaredCategoryLabel: "Laptop",
      price: { p10: 80, p50: 100, p90: 140, currency: "EUR" },
      final: null,
      modelVersion: "m1",
    });
    expect(quote.topCategories.map((c) => c.label)).toEqual(["Camera", "Laptop", "Tablet"]);
    expect(quote.reviewReasons.map((r) => r.code)).toEqual([
      "low_confidence",
      "declared_category_mismatch",
      "wrong_slot",
    ]);
    expect(quote.reviewReasons.every((r) => r.message.length > 10)).toBe(true);
    expect(quote.photos.map((p) => p.slotName)).toEqual(["Front", "Back"]);
    expect(quote.photos[0].notes.map((n) => n.code)).toEqual(["too_dark", "wrong_slot"]);
    expect(quote.photos[0].thumbUrl).toBe("/api/photos/p0/thumb");
    expect(quote.photos[1].notes).toEqual([]);
  });

  it("shows the reviewer's category and price once reviewed", () => {
    const quote = toQuote(
      rows({
        status: "reviewed",
        finalCategory: "laptop",
        finalPriceP50: 450,
        decidedAt: new Date("2026-11-28T11:00:00Z"),
      }),
    );
    expect(quote).toMatchObject({
      category: "laptop",
      categoryLabel: "Laptop",
      final: { category: "laptop", price: 450, currency: "EUR" },
      decidedAt: "2026-11-28T11:00:00.000Z",
    });
  });

  it("gives the reject reason of the latest reject", () => {
    const quote = toQuote(
      rows({ status: "rejected", reviews: [{ action: "reject", rejectReason: "prohibited_item" }] }),
    );
    expect(quote.rejectReason).toBe("Prohibited item");
    expect(quote.final).toMatchObject({ price: null });
    const other = toQuote(rows({ status: "rejected", reviews: [{ action: "reject", rejectReason: "other" }] }));
    expect(other.rejectReason).toBeNull();
  });
});
