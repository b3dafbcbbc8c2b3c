import { describe, expect, it } from "vitest";
import { PRICE_NOISE_SIGMA } from "@/lib/dataset/price";
import {
  bestQuote,
  chanceWithin,
  hasGeneratedAttributes,
  possiblePrices,
  quoteCeiling,
  visibleAttributes,
} from "@/lib/dataset/quote-ceiling";
import { sampleItem, toManifestItem } from "@/lib/dataset/sample";
import type { ManifestItem } from "@/lib/dataset/schemas";

const TOLERANCE = 0.15;
const plans = Array.from({ length: 3000 }, (_, i) => sampleItem(i, { seed: 11 }));
const items = plans.map(toManifestItem);

describe("visibleAttributes", () => {
  it("reads storage from the label only and damage from the faces the photos show", () => {
    const v = visibleAttributes("smartphone", ["front", "back"], "always");
    expect(v).toEqual({ brand: true, storage: false, faces: { front: true, back: true, sides: false } });
    expect(visibleAttributes("smartphone", ["front", "label"], "always").storage).toBe(true);
    expect(visibleAttributes("smartphone", ["back", "left"], "always").faces).toEqual({
      front: false,
      back: true,
      sides: true,
    });
  });

  it("sees a sneaker's sole in every view of the shoe and both faces in a close-up", () => {
    expect(visibleAttributes("sneaker", ["front"], "always").faces.sides).toBe(true);
    expect(visibleAttributes("handbag", ["front"], "always").faces.sides).toBe(false);
    expect(visibleAttributes("camera", ["detail"], "always").faces).toEqual({ front: true, back: true, sides: false });
  });

  it("reads the brand as the knowledge mode says", () => {
    expect(visibleAttributes("laptop", ["front", "back"], "label-or-box").brand).toBe(false);
    expect(visibleAttributes("laptop", ["front", "packaging"], "label-or-box").brand).toBe(true);
    expect(visibleAttributes("laptop", ["label"], "never").brand).toBe(false);
  });
});

describe("bestQuote", () => {
  it("quotes an item whose photos show everything at its price, right as often as the noise allows", () => {
    const item = items.find((i) => i.photos.some((p) => p.view === "label") && i.category === "smartphone");
    if (!item) throw new Error("no phone with a label photo in the sample");
    const all = { brand: true, storage: true, faces: { front: true, back: true, sides: true } };
    const prices = possiblePrices(item, all);
    expect(prices).toHaveLength(1);
    const { quote, chance } = bestQuote(prices, PRICE_NOISE_SIGMA, TOLERANCE);
    expect(Math.abs(quote / prices[0].value - 1)).toBeLessThan(0.03);
    // ±15% is about 3 σ of 5% log-normal noise.
    expect(chance).toBeGreaterThan(0.995);
    expect(chance).toBeLessThan(1);
  });

  it("beats the mean and the median of the possible prices when much is hidden", () => {
    const item = items.find((i) => i.category === "smartphone" && i.photos.length === 1);
    if (!item) throw new Error("no single-photo phone in the sample");
    const hidden = { brand: false, storage: false, faces: { front: true, back: false, sides: false } };
    const prices = possiblePrices(item, hidden);
    expect(prices.length).toBe(3 * 3 * 4 * 4);
    expect(prices.reduce((s, p) => s + p.weight, 0)).toBeCloseTo(1, 10);
    const best = bestQuote(prices, PRICE_NOISE_SIGMA, TOLERANCE);
    const mean = prices.reduce((s, p) => s + p.weight * p.value, 0);
    expect(best.chance).toBeGreaterThanOrEqual(chanceWithin(mean, prices, PRICE_NOISE_SIGMA, TOLERANCE));
    expect(best.chance).toBeLessThan(0.6);
  });

  it("refuses items without generated attributes", () => {
    const bare: ManifestItem = { ...items[0], attributes: undefined };
    const viewless: ManifestItem = { ...items[0], photos: items[0].photos.map(({ view: _, ...p }) => p) };
    expect(hasGeneratedAttributes(items)).toBe(true);
    expect(hasGeneratedAttributes([...items.slice(0, 5), bare])).toBe(false);
    expect(hasGeneratedAttributes([viewless])).toBe(false);
    expect(() => quoteCeiling([bare], { brand: "always" })).toThrow(/no generated attributes/);
  });
});

describe("quoteCeiling", () => {
  // The ceiling claims that no quoter does better on average; checked against the generator itself: quoting each
  // sampled item by its best quote is right as often as predicted (3000 items: ±1 point of sampling error).
  it("predicts how often the best quotes are right on prices the generator draws", () => {
    for (const brand of ["always", "never"] as const) {
      const ceiling = quoteCeiling(items, { brand });
      let right = 0;
      for (const item of items) {
        const views = item.photos.map((p) => p.view ?? "front");
        const prices = possiblePrices(item, visibleAttributes(item.category, views, brand));
        const { quote } = bestQuote(prices, PRICE_NOISE_SIGMA, TOLERANCE);
        if (Math.abs(quote - item.price) / item.price <= TOLERANCE) right += 1;
      }
      expect(Math.abs(right / items.length - ceiling.quoteAccuracy)).toBeLessThan(0.025);
    }
  });

  it("falls as less is visible, and groups items by what stays hidden", () => {
    const always = quoteCeiling(items, { brand: "always" });
    const labels = quoteCeiling(items, { brand: "label-or-box" });
    const never = quoteCeiling(items, { brand: "never" });
    expect(always.quoteAccuracy).toBeGreaterThan(labels.quoteAccuracy);
    expect(labels.quoteAccuracy).toBeGreaterThan(never.quoteAccuracy);
    expect(always.byHidden.nothing.quoteAccuracy).toBeGreaterThan(0.99);
    expect(always.byHidden.storage.quoteAccuracy).toBeLessThan(0.8);
    const counted = Object.values(always.byCategory).reduce((s, r) => s + r.items, 0);
    expect(counted).toBe(items.length);
  });
});
