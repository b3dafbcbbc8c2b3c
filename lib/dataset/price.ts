import type { Category } from "./categories";

/**
 * The price model: category base × brand tier × variant × storage × colour × condition per face
 * × log-normal noise. Which of these a photo can show is decided by the renderer (see README.md, "Synthetic dataset");
 * the noise stands for everything no photo shows (battery health, demand, the seller's patience).
 */

export const BRAND_TIERS = ["budget", "mid", "premium"] as const;
export type BrandTier = (typeof BRAND_TIERS)[number];

export const FACES = ["front", "back", "sides"] as const;
export type Face = (typeof FACES)[number];

export type DamageLevel = 0 | 1 | 2 | 3;
export type ConditionLevels = Record<Face, DamageLevel>;

interface Option {
  name: string;
  factor: number;
  weight: number;
}

interface ColourOption extends Option {
  hex: string;
}

export interface CategorySpec {
  basePrice: number;
  variants: readonly Option[];
  /** Only for items whose storage is printed on the label and invisible on the item. */
  storage?: readonly Option[];
  colours: readonly ColourOption[];
  /** Multiplier per damage level 0..3 for each face; must fall strictly with the level. */
  damageFactors: Record<Face, readonly [1, number, number, number]>;
}

export const BRAND_FACTORS: Record<BrandTier, number> = { budget: 0.6, mid: 1, premium: 1.75 };
export const BRAND_WEIGHTS: Record<BrandTier, number> = { budget: 0.35, mid: 0.45, premium: 0.2 };

/** How often each damage level occurs on a face. */
export const DAMAGE_WEIGHTS = [0.6, 0.2, 0.13, 0.07] as const;

/**
 * Default log-normal sigma of the price noise (≈ ±5 % for one standard deviation). At 0.05 a model that knows
 * every attribute still gets ~99.7 % of prices within ±15 % (3 σ), so the quote-accuracy target measures the model,
 * not the noise; 0.15 would cap it near 68 %.
 */
export const PRICE_NOISE_SIGMA = 0.05;

const storage = [
  { name: "64GB", factor: 0.85, weight: 0.3 },
  { name: "128GB", factor: 1, weight: 0.45 },
  { name: "256GB", factor: 1.2, weight: 0.25 },
] as const;

const neutralColours = [
  { name: "black", hex: "#22252b", factor: 1, weight: 0.35 },
  { name: "silver", hex: "#b9bdc4", factor: 1, weight: 0.25 },
  { name: "blue", hex: "#2f4f86", factor: 1, weight: 0.15 },
  { name: "gold", hex: "#c7a463", factor: 1.05, weight: 0.1 },
  { name: "green", hex: "#3f6d56", factor: 0.97, weight: 0.15 },
] as const;

// Glass fronts (screens, lenses, watch crystals) dominate the value: a cracked screen costs far
// more than a scratched back, which is exactly what the slot input has to disambiguate.
export const CATEGORY_SPECS: Record<Category, CategorySpec> = {
  smartphone: {
    basePrice: 320,
    variants: [
      { name: "single-camera", factor: 0.75, weight: 0.3 },
      { name: "dual-camera", factor: 1, weight: 0.4 },
      { name: "triple-camera", factor: 1.3, weight: 0.3 },
    ],
    storage,
    colours: neutralColours,
    damageFactors: { front: [1, 0.8, 0.5, 0.3], back: [1, 0.97, 0.92, 0.85], sides: [1, 0.98, 0.95, 0.9] },
  },
  tablet: {
    basePrice: 280,
    variants: [
      { name: "wifi", factor: 1, weight: 0.6 },
      { name: "cellular", factor: 1.2, weight: 0.4 },
    ],
    storage,
    colours: neutralColours.filter((c) => c.name !== "green"),
    damageFactors: { front: [1, 0.8, 0.52, 0.32], back: [1, 0.97, 0.92, 0.86], sides: [1, 0.98, 0.95, 0.9] },
  },
  laptop: {
    basePrice: 520,
    variants: [
      { name: "13-inch", factor: 1, weight: 0.55 },
      { name: "15-inch", factor: 1.25, weight: 0.45 },
    ],
    colours: [
      { name: "silver", hex: "#b9bdc4", factor: 1, weight: 0.45 },
      { name: "space-grey", hex: "#5d6169", factor: 1, weight: 0.35 },
      { name: "black", hex: "#25272c", factor: 0.98, weight: 0.2 },
    ],
    damageFactors: { front: [1, 0.85, 0.6, 0.4], back: [1, 0.95, 0.88, 0.8], sides: [1, 0.97, 0.93, 0.88] },
  },
  wristwatch: {
    basePrice: 210,
    variants: [
      { name: "three-hand", factor: 1, weight: 0.6 },
      { name: "chronograph", factor: 1.4, weight: 0.4 },
    ],
    colours: [
      { name: "steel", hex: "#c2c6cc", factor: 1, weight: 0.45 },
      { name: "gold", hex: "#caa14f", factor: 1.15, weight: 0.2 },
      { name: "black", hex: "#2a2b2f", factor: 0.95, weight: 0.35 },
    ],
    damageFactors: { front: [1, 0.85, 0.62, 0.42], back: [1, 0.97, 0.93, 0.88], sides: [1, 0.97, 0.93, 0.88] },
  },
  sneaker: {
    basePrice: 90,
    variants: [
      { name: "low-top", factor: 1, weight: 0.6 },
      { name: "high-top", factor: 1.2, weight: 0.4 },
    ],
    colours: [
      { name: "white", hex: "#eceae4", factor: 1.05, weight: 0.35 },
      { name: "black", hex: "#26272b", factor: 1, weight: 0.25 },
      { name: "red", hex: "#b8322f", factor: 0.95, weight: 0.15 },
      { name: "blue", hex: "#2f5aa6", factor: 0.97, weight: 0.15 },
      { name: "beige", hex: "#cdb48c", factor: 1, weight: 0.1 },
    ],
    damageFactors: { front: [1, 0.82, 0.6, 0.4], back: [1, 0.9, 0.78, 0.65], sides: [1, 0.92, 0.82, 0.7] },
  },
  handbag: {
    basePrice: 160,
    variants: [
      { name: "mini", factor: 0.8, weight: 0.3 },
      { name: "medium", factor: 1, weight: 0.45 },
      { name: "large", factor: 1.2, weight: 0.25 },
    ],
    colours: [
      { name: "black", hex: "#232326", factor: 1, weight: 0.35 },
      { name: "tan", hex: "#a8713f", factor: 1.05, weight: 0.25 },
      { name: "burgundy", hex: "#6e2232", factor: 1, weight: 0.15 },
      { name: "cream", hex: "#e3d6bd", factor: 0.97, weight: 0.25 },
    ],
    damageFactors: { front: [1, 0.85, 0.65, 0.45], back: [1, 0.93, 0.84, 0.74], sides: [1, 0.93, 0.85, 0.75] },
  },
  camera: {
    basePrice: 380,
    variants: [
      { name: "kit-lens", factor: 1, weight: 0.6 },
      { name: "pro-lens", factor: 1.6, weight: 0.4 },
    ],
    colours: [
      { name: "black", hex: "#1f2024", factor: 1, weight: 0.7 },
      { name: "silver", hex: "#b9bdc4", factor: 1.05, weight: 0.3 },
    ],
    damageFactors: { front: [1, 0.75, 0.5, 0.3], back: [1, 0.9, 0.8, 0.7], sides: [1, 0.96, 0.92, 0.86] },
  },
  headphones: {
    basePrice: 130,
    variants: [
      { name: "on-ear", factor: 0.85, weight: 0.45 },
      { name: "over-ear", factor: 1.15, weight: 0.55 },
    ],
    colours: [
      { name: "black", hex: "#222326", factor: 1, weight: 0.45 },
      { name: "white", hex: "#e6e6e3", factor: 1, weight: 0.25 },
      { name: "navy", hex: "#26365a", factor: 1, weight: 0.15 },
      { name: "rose", hex: "#c99a93", factor: 0.97, weight: 0.15 },
    ],
    // Headphones look alike from front and back, and so do their costs: no slot is needed here.
    damageFactors: { front: [1, 0.88, 0.72, 0.55], back: [1, 0.88, 0.72, 0.55], sides: [1, 0.92, 0.82, 0.7] },
  },
};

export interface PriceInputs {
  category: Category;
  brandTier: BrandTier;
  variant: string;
  storage?: string;
  colour: string;
  condition: ConditionLevels;
}

function optionFactor(options: readonly Option[] | undefined, name: string | undefined, what: string): number {
  if (!options) return 1;
  const option = options.find((o) => o.name === name);
  if (!option) throw new Error(`unknown ${what} "${name}"`);
  return option.factor;
}

/** The noise-free price: the product of all attribute factors. */
export function expectedPrice(inputs: PriceInputs): number {
  const spec = CATEGORY_SPECS[inputs.category];
  let price = spec.basePrice * BRAND_FACTORS[inputs.brandTier];
  price *= optionFactor(spec.variants, inputs.variant, "variant");
  price *= optionFactor(spec.storage, inputs.storage, "storage");
  price *= optionFactor(spec.colours, inputs.colour, "colour");
  for (const face of FACES) price *= spec.damageFactors[face][inputs.condition[face]];
  return price;
}

/** Applies log-normal noise (`z` is a standard normal draw, scaled by `sigma`) and rounds to half a euro. */
export function noisyPrice(expected: number, z: number, sigma: number = PRICE_NOISE_SIGMA): number {
  return Math.max(1, Math.round(expected * Math.exp(sigma * z) * 2) / 2);
}
