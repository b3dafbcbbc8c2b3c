import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type Category, isCategory } from "./categories";
import { writeManifest } from "./manifest";
import { PRICE_NOISE_SIGMA } from "./price";
import { rasterizeScene } from "./render/rasterize";
import { buildScene } from "./render/scene";
import { type ItemPlan, type PhotoPlan, photoPath, sampleItems, toManifestItem } from "./sample";
import type { ManifestItem } from "./schemas";

export interface PhotoSize {
  width: number;
  height: number;
}

export interface GenerateOptions {
  items: number;
  seed: number;
  /** Output directory; its `photos/` folder and manifest are replaced. */
  out: string;
  /** Photo size, "640x480" or an object; default 640×480. */
  size?: PhotoSize | string;
  shuffleRate?: number;
  categories?: readonly Category[];
  /** Assign train/validation/test by item. */
  split?: boolean;
  /** Log-normal sigma of the price noise (0 = prices are exactly the attribute product); default PRICE_NOISE_SIGMA. */
  priceNoise?: number;
  /** Photos rasterized at once; default twice the CPU count (sharp works on libuv threads). */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface GenerateResult {
  dir: string;
  items: ManifestItem[];
  photos: number;
  elapsedMs: number;
}

export const DEFAULT_SIZE: PhotoSize = { width: 640, height: 480 };
export const GENERATOR_VERSION = 1;

/** Parses "WIDTHxHEIGHT" (32..4096 per side). */
export function parseSize(value: string): PhotoSize {
  const match = /^(\d+)x(\d+)$/.exec(value.trim());
  if (!match) throw new Error(`size must look like 640x480, got "${value}"`);
  const size = { width: Number(match[1]), height: Number(match[2]) };
  for (const side of [size.width, size.height]) {
    if (side < 32 || side > 4096) throw new Error(`size sides must be 32..4096, got "${value}"`);
  }
  return size;
}

/** Runs `task` over `inputs` with at most `limit` in flight. */
async function runPool<T>(inputs: readonly T[], limit: number, task: (input: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, inputs.length) }, async () => {
    while (next < inputs.length) {
      const input = inputs[next++];
      await task(input);
    }
  });
  await Promise.all(workers);
}

/** One photo of a planned item as JPEG bytes, in memory (for tests that upload known items). */
export function renderPhoto(plan: ItemPlan, photo: PhotoPlan, size: PhotoSize = DEFAULT_SIZE): Promise<Buffer> {
  return rasterizeScene(buildScene(plan, photo, size.width, size.height));
}

/** Renders every photo of the planned items into `dir/photos`. */
export async function renderItems(
  dir: string,
  plans: readonly ItemPlan[],
  size: PhotoSize,
  options: { concurrency?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<number> {
  const jobs = plans.flatMap((plan) => plan.photos.map((photo) => ({ plan, photo })));
  await Promise.all(plans.map((plan) => fs.mkdir(path.join(dir, "photos", plan.itemId), { recursive: true })));
  let done = 0;
  await runPool(jobs, options.concurrency ?? Math.max(2, os.availableParallelism() * 2), async ({ plan, photo }) => {
    const jpeg = await renderPhoto(plan, photo, size);
    await fs.writeFile(path.join(dir, photoPath(plan.itemId, photo.slot)), jpeg);
    options.onProgress?.(++done, jobs.length);
  });
  return jobs.length;
}

/** Generates a synthetic dataset: photos, manifest.jsonl and dataset.json in `options.out`. */
export async function generateDataset(options: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  if (!Number.isInteger(options.items) || options.items < 1) throw new Error("items must be a positive integer");
  if (!Number.isInteger(options.seed)) throw new Error("seed must be an integer");
  const shuffleRate = options.shuffleRate ?? 0.01;
  if (!(shuffleRate >= 0 && shuffleRate <= 1)) throw new Error("shuffleRate must be within 0..1");
  const priceNoise = options.priceNoise ?? PRICE_NOISE_SIGMA;
  if (!(priceNoise >= 0 && priceNoise <= 1)) throw new Error("priceNoise must be within 0..1");
  const unknown = options.categories?.filter((c) => !isCategory(c)) ?? [];
  if (unknown.length) throw new Error(`unknown categories: ${unknown.join(", ")}`);
  const size = typeof options.size === "string" ? parseSize(options.size) : (options.size ?? DEFAULT_SIZE);
  const dir = path.resolve(options.out);
  const sampleOptions = {
    seed: options.seed,
    categories: options.categories,
    shuffleRate,
    split: options.split,
    priceNoise,
  };
  const plans = sampleItems(options.items, sampleOptions);

  // Stale photos from a larger earlier run would make two runs differ; nothing else in `out` is touched.
  await fs.rm(path.join(dir, "photos"), { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  const photos = await renderItems(dir, plans, size, options);
  const items = plans.map(toManifestItem);
  await writeManifest(dir, items);
  const info = {
    generator: "appraise-synthetic",
    version: GENERATOR_VERSION,
    seed: options.seed,
    items: options.items,
    photos,
    size: `${size.width}x${size.height}`,
    shuffleRate,
    priceNoise,
    categories: options.categories ?? null,
    split: Boolean(options.split),
  };
  await fs.writeFile(path.join(dir, "dataset.json"), `${JSON.stringify(info, null, 2)}\n`);
  return { dir, items, photos, elapsedMs: performance.now() - started };
}
