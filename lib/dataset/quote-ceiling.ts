import fs from "node:fs/promises";
import path from "node:path";
import type { Category, View } from "./categories";
import {
  BRAND_TIERS,
  BRAND_WEIGHTS,
  type BrandTier,
  CATEGORY_SPECS,
  DAMAGE_WEIGHTS,
  type DamageLevel,
  expectedPrice,
  FACES,
  type Face,
  PRICE_NOISE_SIGMA,
} from "./price";
import type { ManifestItem } from "./schemas";

/**
 * The best quote accuracy any model can reach on generated data, whatever its architecture: a quoter that knows
 * exactly what each uploaded photo shows (not its pixels: the attributes the renderer drew) and the generator's
 * priors for the rest, and quotes the price most likely to land within ±15%. Every attribute it is told about is
 * one the renderer draws in that view, so no model can do better on average; the rules below are generous where
 * a view shows an attribute only faintly, which keeps the figure an upper bound.
 */

/** What a quoter may know of the brand tier. */
export type BrandKnowledge =
  /** Read from every photo (an upper bound: on phone frames it is a 1-px rim at 96 px). */
  | "always"
  /** Read only from the label and packaging photos, where the logo is printed large (what the backbones learn). */
  | "label-or-box"
  /** Never read: the price of an unknown brand. */
  | "never";

/** Which price attributes a set of views shows, by the renderer's rules (lib/dataset/render). */
export interface VisibleAttributes {
  brand: boolean;
  storage: boolean;
  faces: Record<Face, boolean>;
}

const SIDE_VIEWS: ReadonlySet<View> = new Set(["left", "right", "top"]);
// A sneaker's sole (its "sides" face) yellows with wear and is in every view of the shoe.
const SOLE_VIEWS: ReadonlySet<View> = new Set(["front", "back", "left", "right", "top"]);

export function visibleAttributes(
  category: Category,
  views: readonly View[],
  brand: BrandKnowledge,
): VisibleAttributes {
  const has = (v: View) => views.includes(v);
  return {
    brand: brand === "always" || (brand === "label-or-box" && (has("label") || has("packaging"))),
    // Storage is printed on the label only (CATEGORY_SPECS: "invisible on the item").
    storage: has("label"),
    faces: {
      // A close-up shows the worse of front and back, or either face undamaged: generously, both.
      front: has("front") || has("detail"),
      back: has("back") || has("detail"),
      sides: views.some((v) => SIDE_VIEWS.has(v) || (category === "sneaker" && SOLE_VIEWS.has(v))),
    },
  };
}

interface Weighted<T> {
  value: T;
  weight: number;
}

/** The noise-free prices an item could have given what is visible, with their prior probabilities. */
export function possiblePrices(item: ManifestItem, visible: VisibleAttributes): Weighted<number>[] {
  const attributes = item.attributes;
  const condition = attributes?.condition;
  if (!attributes?.brandTier || !attributes.variant || !attributes.colour || !condition)
    throw new Error(`item ${item.itemId} has no generated attributes: the ceiling needs a generated dataset`);
  const spec = CATEGORY_SPECS[item.category];
  const brands: Weighted<BrandTier>[] = visible.brand
    ? [{ value: attributes.brandTier, weight: 1 }]
    : BRAND_TIERS.map((t) => ({ value: t, weight: BRAND_WEIGHTS[t] }));
  const storages: Weighted<string | undefined>[] =
    spec.storage && !visible.storage
      ? spec.storage.map((o) => ({ value: o.name, weight: o.weight }))
      : [{ value: attributes.storage, weight: 1 }];
  const levels = (face: Face): Weighted<DamageLevel>[] =>
    visible.faces[face]
      ? [{ value: (condition[face] ?? 0) as DamageLevel, weight: 1 }]
      : DAMAGE_WEIGHTS.map((w, level) => ({ value: level as DamageLevel, weight: w }));
  const [front, back, sides] = FACES.map(levels);
  const total = (list: Weighted<unknown>[]) => list.reduce((s, x) => s + x.weight, 0);
  const norm = total(brands) * total(storages) * total(front) * total(back) * total(sides);
  const out: Weighted<number>[] = [];
  for (const b of brands)
    for (const s of storages)
      for (const f of front)
        for (const k of back)
          for (const d of sides)
            out.push({
              value: expectedPrice({
                category: item.category,
                brandTier: b.value,
                variant: attributes.variant,
                storage: s.value,
                colour: attributes.colour,
                condition: { front: f.value, back: k.value, sides: d.value },
              }),
              weight: (b.weight * s.weight * f.weight * k.weight * d.weight) / norm,
            });
  return out;
}

// Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): plenty for probabilities reported to 0.1%.
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return 0.5 * (1 + (x < 0 ? -erf : erf));
}

/**
 * The chance that a quote `q` is within `tolerance` of the true price (|q − p| ≤ tolerance·p, as quote accuracy
 * counts it) when the price is one of `prices` times log-normal noise of `sigma`.
 */
export function chanceWithin(q: number, prices: readonly Weighted<number>[], sigma: number, tolerance: number): number {
  const lo = Math.log(q / (1 + tolerance));
  const hi = Math.log(q / (1 - tolerance));
  let p = 0;
  for (const { value, weight } of prices) {
    const m = Math.log(value);
    p += weight * (normalCdf((hi - m) / sigma) - normalCdf((lo - m) / sigma));
  }
  return p;
}

/** The quote with the highest chance of being within tolerance, and that chance (grid search in log price). */
export function bestQuote(
  prices: readonly Weighted<number>[],
  sigma: number,
  tolerance: number,
): { quote: number; chance: number } {
  const logs = prices.map((p) => Math.log(p.value));
  const from = Math.min(...logs) - 0.2;
  const to = Math.max(...logs) + 0.2;
  let best = { quote: Math.exp(from), chance: -1 };
  const search = (a: number, b: number, steps: number) => {
    for (let i = 0; i <= steps; i++) {
      const q = Math.exp(a + ((b - a) * i) / steps);
      const chance = chanceWithin(q, prices, sigma, tolerance);
      if (chance > best.chance) best = { quote: q, chance };
    }
  };
  search(from, to, Math.max(50, Math.ceil((to - from) / 0.005)));
  // Refine around the best grid point: the chance is smooth in log q.
  const centre = Math.log(best.quote);
  search(centre - 0.005, centre + 0.005, 40);
  return best;
}

export interface CeilingResult {
  items: number;
  /** Mean over items of the best quote's chance of being right, the category taken as known. */
  quoteAccuracy: number;
  byCategory: Record<string, { items: number; quoteAccuracy: number }>;
  /** Items by what their photos leave hidden, with the ceiling of each group. */
  byHidden: Record<string, { items: number; quoteAccuracy: number }>;
}

export interface CeilingOptions {
  brand: BrandKnowledge;
  /** The price noise the data was generated with (dataset.json's priceNoise). */
  sigma?: number;
  tolerance?: number;
}

/**
 * A quote is right when its price is within this of the truth: defined here, beside the ceiling that must count
 * the same way, and used by lib/ml/metrics.ts for the model's quote accuracy.
 */
export const QUOTE_PRICE_TOLERANCE = 0.15;

/** One item's ceiling: the chance its best quote is right, and what its photos leave hidden. */
export function itemCeiling(item: ManifestItem, options: CeilingOptions): { chance: number; hidden: string } {
  const views = item.photos.map((p) => {
    if (!p.view) throw new Error(`item ${item.itemId}: photo ${p.path} has no view; the ceiling needs generated data`);
    return p.view;
  });
  const visible = visibleAttributes(item.category, views, options.brand);
  const { chance } = bestQuote(
    possiblePrices(item, visible),
    options.sigma ?? PRICE_NOISE_SIGMA,
    options.tolerance ?? QUOTE_PRICE_TOLERANCE,
  );
  return { chance, hidden: describeHidden(item.category, visible) };
}

/** True when every item carries what the ceiling needs: the views and attributes the generator writes. */
export function hasGeneratedAttributes(items: readonly ManifestItem[]): boolean {
  return items.every(
    (i) =>
      i.attributes?.brandTier &&
      i.attributes.variant &&
      i.attributes.colour &&
      i.attributes.condition &&
      i.photos.every((p) => p.view),
  );
}

/** The quote-accuracy ceiling of a generated dataset's items (see the module comment). */
export function quoteCeiling(items: readonly ManifestItem[], options: CeilingOptions): CeilingResult {
  const byCategory: CeilingResult["byCategory"] = {};
  const byHidden: CeilingResult["byHidden"] = {};
  const add = (table: Record<string, { items: number; quoteAccuracy: number }>, key: string, chance: number) => {
    const row = table[key] ?? { items: 0, quoteAccuracy: 0 };
    row.items += 1;
    row.quoteAccuracy += chance;
    table[key] = row;
  };
  let sum = 0;
  for (const item of items) {
    const { chance, hidden } = itemCeiling(item, options);
    sum += chance;
    add(byCategory, item.category, chance);
    add(byHidden, hidden, chance);
  }
  for (const table of [byCategory, byHidden]) for (const row of Object.values(table)) row.quoteAccuracy /= row.items;
  return { items: items.length, quoteAccuracy: items.length ? sum / items.length : 0, byCategory, byHidden };
}

function describeHidden(category: Category, visible: VisibleAttributes): string {
  const hidden = [
    ...(visible.brand ? [] : ["brand"]),
    ...(CATEGORY_SPECS[category].storage && !visible.storage ? ["storage"] : []),
    ...FACES.filter((f) => !visible.faces[f]).map((f) => `${f} damage`),
  ];
  return hidden.length ? hidden.join(", ") : "nothing";
}

/** The price noise a generated dataset was drawn with (its dataset.json), or undefined for other data. */
export async function generatedPriceNoise(dir: string): Promise<number | undefined> {
  try {
    const info = JSON.parse(await fs.readFile(path.join(dir, "dataset.json"), "utf8"));
    return typeof info?.priceNoise === "number" ? info.priceNoise : undefined;
  } catch {
    return undefined;
  }
}
