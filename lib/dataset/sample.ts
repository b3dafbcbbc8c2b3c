import { CATEGORIES, type Category, DEFAULT_CURRENCY, type Split, type View } from "./categories";
import {
  BRAND_TIERS,
  BRAND_WEIGHTS,
  type BrandTier,
  CATEGORY_SPECS,
  type ConditionLevels,
  DAMAGE_WEIGHTS,
  type DamageLevel,
  expectedPrice,
  noisyPrice,
  PRICE_NOISE_SIGMA,
} from "./price";
import { hashSeed, Rng } from "./random";
import type { ManifestItem } from "./schemas";

/**
 * Pure sampling of items and of how sellers upload them, separate from rendering so that
 * distributions can be checked over thousands of items without drawing a pixel.
 */

export interface PhotoPlan {
  slot: number;
  view: View;
  /** Seeds this photo's nuisance (background, light, pose, blur, noise, JPEG quality). */
  seed: number;
}

export interface ItemPlan {
  index: number;
  itemId: string;
  category: Category;
  price: number;
  currency: string;
  split?: Split;
  brandTier: BrandTier;
  variant: string;
  storage?: string;
  colour: string;
  colourHex: string;
  condition: ConditionLevels;
  uploadOrder: "canonical" | "shuffled";
  /** Seeds where damage and wear sit on the item, shared by all its photos so they agree. */
  markSeed: number;
  photos: PhotoPlan[];
}

export interface SampleOptions {
  seed: number;
  /** Categories to draw from, uniformly; defaults to all. */
  categories?: readonly Category[];
  /** Fraction of items whose photos are uploaded in a random order. */
  shuffleRate?: number;
  /** Assign train/validation/test by item. */
  split?: boolean;
  /** Log-normal sigma of the price noise; default PRICE_NOISE_SIGMA. */
  priceNoise?: number;
}

/** Photos per item: 1..6, most sellers send three or four. */
export const PHOTO_COUNT_WEIGHTS = [0.1, 0.2, 0.25, 0.2, 0.15, 0.1] as const;
export const FRONT_PRESENT_RATE = 0.95;
/** Given a second photo, how often it is the back. */
export const BACK_PRESENT_RATE = 0.85;
export const DEFAULT_SHUFFLE_RATE = 0.01;
export const SPLIT_FRACTIONS: Record<Split, number> = { train: 0.8, validation: 0.1, test: 0.1 };

/** What sellers add after front and back, with how likely each is chosen. */
const OTHER_VIEWS: ReadonlyArray<{ view: View; weight: number }> = [
  { view: "detail", weight: 1 },
  { view: "left", weight: 0.6 },
  { view: "right", weight: 0.6 },
  { view: "top", weight: 0.5 },
  { view: "packaging", weight: 0.5 },
  { view: "label", weight: 0.45 },
  { view: "accessory", weight: 0.4 },
];

export function formatItemId(index: number): string {
  return `item-${String(index + 1).padStart(6, "0")}`;
}

function pickOption<T extends { weight: number }>(rng: Rng, options: readonly T[]): T {
  return options[rng.weightedIndex(options.map((o) => o.weight))];
}

function sampleDamage(rng: Rng): DamageLevel {
  return rng.weightedIndex(DAMAGE_WEIGHTS) as DamageLevel;
}

/** Chooses which views the seller photographs and in which order they upload them. */
function sampleUpload(rng: Rng, shuffleRate: number): { views: View[]; shuffled: boolean } {
  const count = rng.weightedIndex(PHOTO_COUNT_WEIGHTS) + 1;
  const views: View[] = [];
  if (rng.chance(FRONT_PRESENT_RATE)) views.push("front");
  if (views.length < count && rng.chance(BACK_PRESENT_RATE)) views.push("back");
  const pool = OTHER_VIEWS.slice();
  if (!views.includes("back")) pool.push({ view: "back", weight: 0.5 });
  while (views.length < count) {
    const i = rng.weightedIndex(pool.map((o) => o.weight));
    views.push(pool[i].view);
    pool.splice(i, 1);
  }
  // A back drawn late from the pool still goes before the others in a canonical upload.
  const backAt = views.indexOf("back");
  if (backAt > 0) views.splice(views[0] === "front" ? 1 : 0, 0, ...views.splice(backAt, 1));
  // Only an order with a front or back in it can be out of order; others have no canonical sequence.
  const canShuffle = views.length > 1 && (views.includes("front") || views.includes("back"));
  if (!canShuffle || !rng.chance(shuffleRate)) return { views, shuffled: false };
  let order = rng.shuffle(views);
  while (isCanonicalOrder(order)) order = rng.shuffle(views);
  return { views: order, shuffled: true };
}

/** Front first, then back, then the others in any order (what the upload form asks for). */
export function isCanonicalOrder(views: readonly View[]): boolean {
  const rank = (v: View) => (v === "front" ? 0 : v === "back" ? 1 : 2);
  return views.every((v, i) => i === 0 || rank(views[i - 1]) <= rank(v));
}

function sampleSplit(seed: number, index: number): Split {
  // Its own stream: an item's split never changes with the category filter or shuffle rate.
  const u = new Rng(hashSeed(seed, index, "split")).next();
  if (u < SPLIT_FRACTIONS.train) return "train";
  return u < SPLIT_FRACTIONS.train + SPLIT_FRACTIONS.validation ? "validation" : "test";
}

/** Samples item `index` of the dataset with `options.seed`; a pure function of its arguments. */
export function sampleItem(index: number, options: SampleOptions): ItemPlan {
  const categories = options.categories?.length ? options.categories : CATEGORIES;
  const rng = new Rng(hashSeed(options.seed, index, "item"));
  const category = rng.pick(categories);
  const spec = CATEGORY_SPECS[category];
  const brandTier = BRAND_TIERS[rng.weightedIndex(BRAND_TIERS.map((t) => BRAND_WEIGHTS[t]))];
  const variant = pickOption(rng, spec.variants).name;
  const storage = spec.storage ? pickOption(rng, spec.storage).name : undefined;
  const colour = pickOption(rng, spec.colours);
  const condition: ConditionLevels = { front: sampleDamage(rng), back: sampleDamage(rng), sides: sampleDamage(rng) };
  const price = noisyPrice(
    expectedPrice({ category, brandTier, variant, storage, colour: colour.name, condition }),
    rng.normal(),
    options.priceNoise ?? PRICE_NOISE_SIGMA,
  );
  const markSeed = rng.seed();
  const upload = sampleUpload(rng, options.shuffleRate ?? DEFAULT_SHUFFLE_RATE);
  const photos = upload.views.map((view, slot) => ({ slot, view, seed: rng.seed() }));
  return {
    index,
    itemId: formatItemId(index),
    category,
    price,
    currency: DEFAULT_CURRENCY,
    split: options.split ? sampleSplit(options.seed, index) : undefined,
    brandTier,
    variant,
    storage,
    colour: colour.name,
    colourHex: colour.hex,
    condition,
    uploadOrder: upload.shuffled ? "shuffled" : "canonical",
    markSeed,
    photos,
  };
}

/** Samples items 0..count-1. */
export function sampleItems(count: number, options: SampleOptions): ItemPlan[] {
  return Array.from({ length: count }, (_, i) => sampleItem(i, options));
}

/** Relative path of a photo inside the dataset directory. */
export function photoPath(itemId: string, slot: number): string {
  return `photos/${itemId}/${slot}.jpg`;
}

/** The manifest line for a planned item. */
export function toManifestItem(plan: ItemPlan): ManifestItem {
  return {
    itemId: plan.itemId,
    category: plan.category,
    price: plan.price,
    currency: plan.currency,
    ...(plan.split ? { split: plan.split } : {}),
    photos: plan.photos.map((p) => ({ path: photoPath(plan.itemId, p.slot), slot: p.slot, view: p.view })),
    attributes: {
      brandTier: plan.brandTier,
      condition: { ...plan.condition },
      variant: plan.variant,
      ...(plan.storage ? { storage: plan.storage } : {}),
      colour: plan.colour,
      uploadOrder: plan.uploadOrder,
    },
  };
}
