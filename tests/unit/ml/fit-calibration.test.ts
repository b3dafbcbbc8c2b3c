import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { load } from "@/lib/ml/appraisal-model";
import {
  fitCalibration,
  fitPriceMargin,
  PRICE_RANGE_COVERAGE,
  widenLogQuantiles,
  widenPriceRange,
} from "@/lib/ml/fit-calibration";
import { parseModelCard } from "@/lib/ml/model-card";
import { ensureBackend } from "@/lib/ml/runtime";
import { fakePixels, tempDir, tinyCard, writeTinyModel } from "./helpers";

/** Deterministic standard normals (Box–Muller over a linear congruential generator). */
function normals(n: number, seed: number): number[] {
  let s = seed >>> 0;
  const uniform = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
  return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()));
}

/** Items whose log price scatters by `sigma` around the predicted median, with a predicted range of ±halfWidth. */
function items(n: number, seed: number, sigma: number, halfWidth: number) {
  const noise = normals(n, seed);
  const logQuantiles = new Float32Array(n * 3);
  const prices: number[] = [];
  noise.forEach((z, i) => {
    const median = Math.log(50 + (i % 7) * 40);
    logQuantiles.set([median - halfWidth, median, median + halfWidth], i * 3);
    prices.push(Math.exp(median + sigma * z));
  });
  return { logQuantiles, prices };
}

const coverage = (logQuantiles: Float32Array, prices: number[]) =>
  prices.filter((p, i) => Math.log(p) >= logQuantiles[i * 3] && Math.log(p) <= logQuantiles[i * 3 + 2]).length /
  prices.length;

describe("price range calibration (conformalized quantiles)", () => {
  it("widens a too-narrow range until new items' prices fall inside 80% of the time", () => {
    // The range claims ±0.1 in log price where prices really scatter by σ = 0.3: it holds about a quarter of them.
    const fit = items(600, 1, 0.3, 0.1);
    const fresh = items(4000, 2, 0.3, 0.1);
    expect(coverage(fresh.logQuantiles, fresh.prices)).toBeLessThan(0.3);
    const margin = fitPriceMargin(fit.logQuantiles, fit.prices);
    // The ideal margin is the normal's 90th percentile minus the half-width: 1.2816 × 0.3 − 0.1 ≈ 0.28.
    expect(margin).toBeGreaterThan(0.22);
    expect(margin).toBeLessThan(0.35);
    const after = coverage(widenLogQuantiles(fresh.logQuantiles, margin), fresh.prices);
    expect(after).toBeGreaterThan(PRICE_RANGE_COVERAGE - 0.04);
    expect(after).toBeLessThan(PRICE_RANGE_COVERAGE + 0.05);
  });

  it("narrows a too-wide range, never past the median", () => {
    const fit = items(600, 3, 0.1, 0.8);
    const margin = fitPriceMargin(fit.logQuantiles, fit.prices);
    expect(margin).toBeLessThan(0);
    const fresh = items(4000, 4, 0.1, 0.8);
    expect(coverage(widenLogQuantiles(fresh.logQuantiles, margin), fresh.prices)).toBeGreaterThan(0.76);
    const crushed = widenLogQuantiles(new Float32Array([1, 2, 3]), -5);
    expect(Array.from(crushed)).toEqual([2, 2, 2]);
    expect(widenPriceRange({ p10: 90, p50: 100, p90: 110 }, -1)).toEqual({ p10: 100, p50: 100, p90: 100 });
  });

  it("widens prices multiplicatively around an unchanged median", () => {
    const r = widenPriceRange({ p10: 80, p50: 100, p90: 125 }, Math.log(1.5));
    expect(r.p10).toBeCloseTo(80 / 1.5, 9);
    expect(r.p50).toBe(100);
    expect(r.p90).toBeCloseTo(187.5, 9);
  });

  it("refuses an empty validation set or an impossible coverage", () => {
    expect(() => fitPriceMargin(new Float32Array(0), [])).toThrow(/at least one/);
    expect(() => fitPriceMargin(new Float32Array(3), [1], 1)).toThrow(/coverage/);
  });

  it("fits temperature, margin and review rule together, the rule on the widened ranges", () => {
    const { logQuantiles, prices } = items(400, 5, 0.3, 0.1);
    const labels = Int32Array.from(prices, (_, i) => i % 3);
    // Overconfident logits that are right 90% of the time: the temperature must come out above 1.
    const logits = new Float32Array(prices.length * 3);
    labels.forEach((label, i) => {
      logits[i * 3 + (i % 10 === 0 ? (label + 1) % 3 : label)] = 8;
    });
    const fitted = fitCalibration({ logits, logQuantiles, labels, prices, categories: 3 }, 0.99);
    expect(fitted.temperature).toBeGreaterThan(1);
    expect(fitted.rangeCoverageBefore).toBeLessThan(0.4);
    expect(fitted.rangeCoverageAfter).toBeGreaterThanOrEqual(PRICE_RANGE_COVERAGE);
    const widest = Math.max(...fitted.outcomes.map((o) => (o.p90 - o.p10) / o.p50));
    expect(fitted.rule.maxRelativeRange).toBeLessThanOrEqual(widest);
    // The cap is read off the widened ranges: the raw ±0.1 ranges are all far narrower than it.
    expect(fitted.rule.maxRelativeRange).toBeGreaterThan(2 * Math.sinh(0.1) * 1.5);
  });
});

describe("the margin in the model card", () => {
  it("may be absent (cards written before it existed) and must be finite", () => {
    const { calibration, ...rest } = tinyCard();
    expect(parseModelCard({ ...rest, calibration: { temperature: calibration.temperature } }).calibration).toEqual({
      temperature: calibration.temperature,
    });
    expect(() => parseModelCard({ ...rest, calibration: { temperature: 1, priceMargin: Number.NaN } })).toThrow(
      /calibration\.priceMargin/,
    );
  });

  it("is applied by predict(): p10 and p90 move by e^margin, p50 stays", async () => {
    await ensureBackend("wasm");
    const dir = await tempDir("price-margin");
    await writeTinyModel(dir);
    const photos = [0, 1].map((slot) => ({ pixels: fakePixels(slot + 11), slot }));
    const plain = await load(dir, { backend: "wasm" });
    const before = await plain.predict(photos);
    plain.dispose();
    const file = path.join(dir, "model.json");
    const card = JSON.parse(await fs.readFile(file, "utf8"));
    card.calibration.priceMargin = Math.log(2);
    await fs.writeFile(file, JSON.stringify(card));
    const widened = await load(dir, { backend: "wasm" });
    const after = await widened.predict(photos);
    widened.dispose();
    expect(after.price.p50).toBe(before.price.p50);
    expect(after.price.p10).toBeCloseTo(before.price.p10 / 2, 1);
    expect(after.price.p90).toBeCloseTo(before.price.p90 * 2, 1);
    expect(after.topCategories).toEqual(before.topCategories);
  });
});
