import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { CATEGORIES } from "../dataset/categories";
import { loadManifest, MANIFEST_FILE } from "../dataset/manifest";
import { CATEGORY_SPECS } from "../dataset/price";
import { mulberry32 } from "../dataset/random";
import type { ManifestItem } from "../dataset/schemas";
import { toModelInput } from "../images/model-input";
import { VIEW_CLASSES } from "./model-card";

/** Turning a manifest directory into model-ready examples: items, pixels, view classes, splits. */

export type Split = "train" | "validation" | "test";

export interface PhotoExample {
  /** Absolute path of the photo file. */
  file: string;
  /** Upload position as the seller sent it. */
  slot: number;
  /** Index into VIEW_CLASSES, or -1 when the manifest does not say. */
  view: number;
  /** Damage level 0..3 of the face this photo shows (the worst face for a detail close-up), -1 when unknown. */
  damage: number;
  /** Rank of the item's variant among its category's (lib/dataset/price.ts), -1 when unknown. */
  variant: number;
  /** Rank of the item's storage capacity on a label photo (the only place it is printed), else -1. */
  storage: number;
}

export interface ItemExample {
  itemId: string;
  category: number;
  price: number;
  split: Split;
  photos: PhotoExample[];
  /** Index into BRAND_TIERS, -1 when unknown (an auxiliary pretraining target). */
  brandTier: number;
}

export const BRAND_TIERS = ["budget", "mid", "premium"] as const;

const FACE_OF_VIEW: Record<string, "front" | "back" | "sides"> = {
  front: "front",
  back: "back",
  left: "sides",
  right: "sides",
  top: "sides",
};

export interface Dataset {
  dir: string;
  categories: string[];
  currency: string;
  items: ItemExample[];
  /** The parsed manifest lines, in the items' order (attributes the examples do not carry, e.g. for the ceiling). */
  manifest: ManifestItem[];
  /** sha256 of the manifest, recorded in the model card. */
  hash: string;
}

// Side views tell little on their own; close-ups, labels, packaging and accessories are all
// "not the item as a whole", which is what the wrong-slot warning needs to know.
const VIEW_MAP: Record<string, (typeof VIEW_CLASSES)[number]> = {
  front: "front",
  back: "back",
  left: "side",
  right: "side",
  top: "side",
  detail: "detail",
  label: "detail",
  packaging: "detail",
  accessory: "detail",
};

/** Index of a named option (a variant, a storage size) in its category's list; -1 when absent or unknown. */
function optionRank(options: readonly { name: string }[] | undefined, name: string | undefined): number {
  if (!options || !name) return -1;
  return options.findIndex((o) => o.name === name);
}

/** Maps a manifest view to the model's view class index (-1 when unknown). */
export function toViewClass(view: string | undefined): number {
  if (!view) return -1;
  const cls = VIEW_MAP[view];
  return cls ? VIEW_CLASSES.indexOf(cls) : -1;
}

/** Loads a manifest directory; items without a split are assigned one by a hash of their id (70/15/15). */
export async function loadDataset(dir: string, categories: readonly string[] = CATEGORIES): Promise<Dataset> {
  const manifest = await loadManifest(dir);
  if (manifest.length === 0) throw new Error(`${dir}: the manifest has no items`);
  const text = await fs.readFile(path.join(dir, MANIFEST_FILE));
  const currencies = new Set(manifest.map((m) => m.currency));
  if (currencies.size !== 1) throw new Error(`${dir}: one currency per dataset, found ${[...currencies].join(", ")}`);
  const items = manifest.map((m): ItemExample => {
    const category = categories.indexOf(m.category);
    if (category < 0) throw new Error(`${dir}: item ${m.itemId} has unknown category "${m.category}"`);
    const spec = CATEGORY_SPECS[m.category];
    return {
      itemId: m.itemId,
      category,
      price: m.price,
      split: m.split ?? splitByHash(m.itemId),
      brandTier: m.attributes?.brandTier ? BRAND_TIERS.indexOf(m.attributes.brandTier) : -1,
      photos: [...m.photos]
        .sort((a, b) => a.slot - b.slot)
        .map((p) => {
          const face = p.view ? FACE_OF_VIEW[p.view] : undefined;
          const damage = face ? m.attributes?.condition?.[face] : damageOfCloseUp(p.view, m.attributes?.condition);
          return {
            file: path.resolve(dir, p.path),
            slot: p.slot,
            view: toViewClass(p.view),
            damage: damage ?? -1,
            variant: optionRank(spec?.variants, m.attributes?.variant),
            storage: p.view === "label" ? optionRank(spec?.storage, m.attributes?.storage) : -1,
          };
        }),
    };
  });
  return {
    dir,
    categories: [...categories],
    currency: manifest[0].currency,
    items,
    manifest,
    hash: createHash("sha256").update(text).digest("hex"),
  };
}

/**
 * A detail close-up zooms in on the worst of front and back (lib/dataset/render/scene.ts), so its damage label is
 * their maximum: the sharpest view of a scratch the backbone gets, which it would otherwise never be told about.
 */
function damageOfCloseUp(
  view: string | undefined,
  condition: { front?: number; back?: number } | undefined,
): number | undefined {
  if (view !== "detail" || condition?.front === undefined || condition.back === undefined) return undefined;
  return Math.max(condition.front, condition.back);
}

function splitByHash(id: string): Split {
  const v = createHash("sha256").update(id).digest().readUInt32BE(0) / 2 ** 32;
  return v < 0.7 ? "train" : v < 0.85 ? "validation" : "test";
}

/** Decodes photo files into model input pixels (size×size RGB) with bounded concurrency, in order. */
export async function readPixels(
  files: string[],
  size: number,
  onProgress?: (done: number) => void,
  concurrency = 4,
): Promise<Uint8Array[]> {
  const out: Uint8Array[] = new Array(files.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      out[i] = (await toModelInput(await fs.readFile(files[i]), size)).data;
      done += 1;
      onProgress?.(done);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}

/** Deterministic PRNG for shuffles and batching. */
export const createRng = mulberry32;

/** Fisher–Yates shuffle in place. */
export function shuffleInPlace<T>(xs: T[], rng: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}
