import { describe, expect, it } from "vitest";
import { CATEGORIES } from "@/lib/dataset/categories";
import { expectedPrice } from "@/lib/dataset/price";
import {
  FRONT_PRESENT_RATE,
  type ItemPlan,
  isCanonicalOrder,
  sampleItem,
  sampleItems,
  toManifestItem,
} from "@/lib/dataset/sample";
import { manifestItemSchema } from "@/lib/dataset/schemas";

// 2000 items without rendering a pixel: the sampler is a pure function of (seed, index, options).
const N = 2000;
const plans = sampleItems(N, { seed: 11, split: true });

/** Binomial tolerance: 4 standard deviations, so a correct sampler fails about once in 15 000 runs. */
const tolerance = (p: number, n: number) => 4 * Math.sqrt((p * (1 - p)) / n);

const isCanonical = (plan: ItemPlan) => isCanonicalOrder(plan.photos.map((p) => p.view));
const hasFrontOrBack = (plan: ItemPlan) => plan.photos.some((p) => p.view === "front" || p.view === "back");

describe("sampleItem", () => {
  it("is pure: same arguments, same item", () => {
    expect(sampleItem(123, { seed: 5, split: true })).toEqual(sampleItem(123, { seed: 5, split: true }));
    expect(sampleItem(123, { seed: 6 })).not.toEqual(sampleItem(123, { seed: 5 }));
  });

  it("produces manifest lines the schema accepts", () => {
    for (const plan of plans.slice(0, 200))
      expect(manifestItemSchema.safeParse(toManifestItem(plan)).success).toBe(true);
  });

  it("keeps an item's split when the category filter or shuffle rate changes", () => {
    for (let i = 0; i < 100; i++) {
      const a = sampleItem(i, { seed: 3, split: true });
      const b = sampleItem(i, { seed: 3, split: true, categories: ["camera"], shuffleRate: 0.5 });
      expect(b.split).toBe(a.split);
      expect(b.category).toBe("camera");
    }
  });
});

describe("distributions over 2000 items", () => {
  it("balances categories", () => {
    const p = 1 / CATEGORIES.length;
    for (const category of CATEGORIES) {
      const share = plans.filter((plan) => plan.category === category).length / N;
      expect(Math.abs(share - p)).toBeLessThan(tolerance(p, N));
    }
  });

  it("sends 1–6 photos per item in unique, contiguous slots", () => {
    const counts = new Set<number>();
    for (const plan of plans) {
      counts.add(plan.photos.length);
      expect(plan.photos.map((p) => p.slot)).toEqual(plan.photos.map((_, i) => i));
      expect(new Set(plan.photos.map((p) => p.view)).size).toBe(plan.photos.length);
    }
    expect([...counts].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("has a front photo in ~95 % of items", () => {
    const rate = plans.filter((plan) => plan.photos.some((p) => p.view === "front")).length / N;
    expect(Math.abs(rate - FRONT_PRESENT_RATE)).toBeLessThan(tolerance(FRONT_PRESENT_RATE, N));
  });

  it("uploads in canonical order (front, back, others) unless the item is marked shuffled", () => {
    for (const plan of plans) {
      if (plan.uploadOrder === "canonical") expect(isCanonical(plan)).toBe(true);
      else expect(plan.photos.length).toBeGreaterThan(1);
    }
  });

  it("knows what canonical means", () => {
    expect(isCanonicalOrder(["front", "back", "detail", "left"])).toBe(true);
    expect(isCanonicalOrder(["back", "label"])).toBe(true);
    expect(isCanonicalOrder(["back", "front"])).toBe(false);
    expect(isCanonicalOrder(["front", "detail", "back"])).toBe(false);
  });

  it.each([0.01, 0.3])("shuffles uploads that have an order at the requested rate %s", (shuffleRate) => {
    const many = sampleItems(N, { seed: 12, shuffleRate }).filter(
      (plan) => plan.photos.length > 1 && hasFrontOrBack(plan),
    );
    const rate = many.filter((plan) => plan.uploadOrder === "shuffled").length / many.length;
    expect(Math.abs(rate - shuffleRate)).toBeLessThan(tolerance(shuffleRate, many.length) + 0.002);
    // A shuffle always breaks the canonical order, so the mark never lies.
    for (const plan of many.filter((p) => p.uploadOrder === "shuffled")) expect(isCanonical(plan)).toBe(false);
  });

  it("puts the front in slot 0 whenever a canonical upload has one", () => {
    for (const plan of plans.filter(
      (p) => p.uploadOrder === "canonical" && p.photos.some((ph) => ph.view === "front"),
    )) {
      expect(plan.photos[0].view).toBe("front");
    }
  });

  it("splits items 80/10/10", () => {
    for (const [split, p] of [
      ["train", 0.8],
      ["validation", 0.1],
      ["test", 0.1],
    ] as const) {
      const share = plans.filter((plan) => plan.split === split).length / N;
      expect(Math.abs(share - p)).toBeLessThan(tolerance(p, N));
    }
  });

  // The noise is what no photo shows: at the default sigma a model that read every attribute right would still
  // quote ~99.7 % of items within the ±15 % quote tolerance; at 0.15 only ~68 %.
  it.each([
    [undefined, 0.99, 1],
    [0.15, 0.6, 0.75],
    [0, 1, 1],
  ])(
    "price noise %s: the share of prices within ±15 %% of the noise-free price is in [%s, %s]",
    (priceNoise, lo, hi) => {
      const items = sampleItems(N, { seed: 13, priceNoise });
      const within = items.filter((plan) => {
        const exact = expectedPrice({ ...plan, colour: plan.colour });
        return Math.abs(plan.price / exact - 1) <= 0.15;
      }).length;
      expect(within / N).toBeGreaterThanOrEqual(lo);
      expect(within / N).toBeLessThanOrEqual(hi);
    },
  );

  it("changes only the price with the noise level", () => {
    const a = sampleItem(7, { seed: 4, split: true });
    const b = sampleItem(7, { seed: 4, split: true, priceNoise: 0.2 });
    expect({ ...b, price: a.price }).toEqual(a);
  });

  it("draws every damage level on every face", () => {
    for (const face of ["front", "back", "sides"] as const) {
      expect(new Set(plans.map((plan) => plan.condition[face]))).toEqual(new Set([0, 1, 2, 3]));
    }
  });
});
