import { describe, expect, it } from "vitest";
import { CATEGORIES } from "@/lib/dataset/categories";
import {
  BRAND_TIERS,
  CATEGORY_SPECS,
  type ConditionLevels,
  type DamageLevel,
  expectedPrice,
  FACES,
  noisyPrice,
  PRICE_NOISE_SIGMA,
  type PriceInputs,
} from "@/lib/dataset/price";

const pristine: ConditionLevels = { front: 0, back: 0, sides: 0 };

const baseInputs = (category: (typeof CATEGORIES)[number]): PriceInputs => {
  const spec = CATEGORY_SPECS[category];
  return {
    category,
    brandTier: "mid",
    variant: spec.variants[0].name,
    storage: spec.storage?.[0].name,
    colour: spec.colours[0].name,
    condition: pristine,
  };
};

describe("price model", () => {
  it.each(CATEGORIES)("%s: more damage on any face → lower price, all else equal", (category) => {
    const inputs = baseInputs(category);
    for (const face of FACES) {
      const prices = ([0, 1, 2, 3] as DamageLevel[]).map((level) =>
        expectedPrice({ ...inputs, condition: { ...pristine, [face]: level } }),
      );
      for (let i = 1; i < prices.length; i++) expect(prices[i]).toBeLessThan(prices[i - 1]);
    }
  });

  it.each(CATEGORIES)("%s: a better brand tier → higher price", (category) => {
    const prices = BRAND_TIERS.map((brandTier) => expectedPrice({ ...baseInputs(category), brandTier }));
    expect(prices[1]).toBeGreaterThan(prices[0]);
    expect(prices[2]).toBeGreaterThan(prices[1]);
  });

  it.each(["smartphone", "tablet"] as const)(
    "%s: front (screen) damage costs far more than the same back damage",
    (category) => {
      const inputs = baseInputs(category);
      const frontCracked = expectedPrice({ ...inputs, condition: { ...pristine, front: 3 } });
      const backCracked = expectedPrice({ ...inputs, condition: { ...pristine, back: 3 } });
      expect(frontCracked / backCracked).toBeLessThan(0.5);
    },
  );

  it("noise is log-normal around the expected price with the given sigma and rounds to half a euro", () => {
    expect(noisyPrice(100, 0)).toBe(100);
    expect(noisyPrice(100, 1, 0.15)).toBeCloseTo(116.2, 0);
    expect(noisyPrice(100, -1, 0.15)).toBeCloseTo(86.1, 0);
    expect(noisyPrice(100, 2.5, 0)).toBe(100);
    expect((noisyPrice(123.456, 0.3) * 2) % 1).toBe(0);
  });

  it("defaults to sigma 0.05: one standard deviation is about ±5 %", () => {
    expect(PRICE_NOISE_SIGMA).toBe(0.05);
    expect(noisyPrice(100, 1)).toBe(105);
    expect(noisyPrice(100, -1)).toBe(95);
  });
});
