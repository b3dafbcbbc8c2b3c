import "server-only";
import fs from "node:fs/promises";
import path from "node:path";
import { isCategory } from "@/lib/dataset/categories";
import { loadManifest, type ManifestItem, writeManifest } from "@/lib/dataset/manifest";
import { db } from "@/lib/db";
import { getPhotoStorage } from "@/lib/images/storage";

export interface ExportOptions {
  outDir: string;
  /** Only items whose reviewer price is in this currency (prices in one manifest must be comparable). */
  currency?: string;
  /** Only appraisals decided at or after this time. */
  since?: Date;
  /** A dataset directory to include as well, so `npm run train -- --data OUT` trains on both. */
  baseDir?: string;
}

export interface ExportResult {
  manifest: string;
  reviewed: number;
  baseItems: number;
  photos: number;
  skipped: { reason: string; count: number }[];
}

const BASE_LINK = "base";

/**
 * Writes reviewed appraisals as a training manifest in the dataset format: each item's photos in slot
 * order with the reviewer's category and price (accepted quotes count too — the reviewer confirmed them).
 * Photos are the stored display copies: metadata-stripped, so no seller's EXIF or GPS ends up in a data set.
 * Rejected items are left out: they have no price.
 */
export async function exportReviewed(options: ExportOptions): Promise<ExportResult> {
  const currency = options.currency ?? "EUR";
  const outDir = path.resolve(options.outDir);
  const storage = await getPhotoStorage();
  const rows = await db().appraisal.findMany({
    where: { status: "reviewed", ...(options.since ? { decidedAt: { gte: options.since } } : {}) },
    orderBy: [{ decidedAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      currency: true,
      finalCategory: true,
      finalPriceP50: true,
      decidedAt: true,
      photos: { select: { slot: true, displayKey: true }, orderBy: { slot: "asc" } },
      prediction: { select: { modelVersionId: true } },
      reviews: { select: { action: true }, orderBy: { createdAt: "desc" }, take: 1 },
    },
  });

  const skipped = new Map<string, number>();
  const skip = (reason: string) => skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  const items: ManifestItem[] = [];
  let photos = 0;
  for (const row of rows) {
    if (!row.finalCategory || !isCategory(row.finalCategory)) {
      skip("category not in the training set");
      continue;
    }
    if (!row.finalPriceP50 || row.finalPriceP50 <= 0) {
      skip("no price");
      continue;
    }
    if (row.currency !== currency) {
      skip(`currency is not ${currency}`);
      continue;
    }
    // Appraisal ids are base64url and may start with "-" or "_"; manifest ids must start with a letter or digit.
    const itemId = `rv-${row.id}`;
    const itemPhotos: ManifestItem["photos"] = [];
    for (const photo of row.photos) {
      const ext = path.extname(photo.displayKey) || ".webp";
      const rel = `reviewed/${itemId}/${photo.slot}${ext}`;
      await fs.mkdir(path.join(outDir, path.dirname(rel)), { recursive: true });
      await fs.writeFile(path.join(outDir, rel), await storage.get(photo.displayKey));
      itemPhotos.push({ path: rel, slot: photo.slot });
    }
    photos += itemPhotos.length;
    items.push({
      itemId,
      category: row.finalCategory,
      price: Math.round(row.finalPriceP50 * 100) / 100,
      currency,
      photos: itemPhotos,
      attributes: {
        source: "review",
        reviewAction: row.reviews[0]?.action ?? "unknown",
        decidedAt: row.decidedAt?.toISOString(),
        predictedBy: row.prediction?.modelVersionId,
      },
    });
  }

  let baseItems = 0;
  if (options.baseDir) {
    const base = await loadManifest(options.baseDir);
    const link = path.join(outDir, BASE_LINK);
    await fs.rm(link, { force: true, recursive: false }).catch(() => undefined);
    await fs.symlink(path.resolve(options.baseDir), link, "dir");
    for (const item of base) {
      items.push({ ...item, photos: item.photos.map((p) => ({ ...p, path: `${BASE_LINK}/${p.path}` })) });
    }
    baseItems = base.length;
  }

  const manifest = await writeManifest(outDir, items);
  return {
    manifest,
    reviewed: items.length - baseItems,
    baseItems,
    photos,
    skipped: [...skipped].map(([reason, count]) => ({ reason, count })),
  };
}
