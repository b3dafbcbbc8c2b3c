// export:reviewed writes reviewed appraisals as a dataset manifest the dataset loader accepts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { loadManifest, writeManifest } from "@/lib/dataset/manifest";
import { db } from "@/lib/db";
import { getPhotoStorage } from "@/lib/images/storage";
import { decideAppraisal } from "@/lib/review/decide";
import { exportReviewed } from "@/lib/review/export-reviewed";
import { buildAppraisal, buildReviewer } from "@/tests/fixtures/review-builders";

async function withRealPhotos(appraisalId: string) {
  const storage = await getPhotoStorage();
  const photos = await db().photo.findMany({ where: { appraisalId } });
  for (const p of photos) {
    const bytes = await sharp({
      create: { width: 40, height: 30, channels: 3, background: { r: 10 * p.slot, g: 80, b: 160 } },
    })
      .webp()
      .toBuffer();
    await db().photo.update({ where: { id: p.id }, data: { displayKey: await storage.put(bytes, "webp") } });
  }
}

describe("export of reviewed appraisals", () => {
  it("writes photos in slot order with the reviewer's category and price; skips rejected, undecided and other currencies", async () => {
    const r = await buildReviewer();
    const viewer = { ...r, name: "R", sessionId: "s" };
    const overridden = await buildAppraisal({ photos: 3 });
    const accepted = await buildAppraisal({ photos: 2, category: "laptop", priceP50: 480 });
    const rejected = await buildAppraisal();
    const dollars = await buildAppraisal();
    await buildAppraisal(); // still waiting
    for (const a of [overridden, accepted, dollars]) await withRealPhotos(a.id);
    await decideAppraisal(overridden.id, viewer, {
      action: "override",
      category: "tablet",
      price: 199.99,
      currency: "EUR",
      note: "tablet",
    });
    await decideAppraisal(accepted.id, viewer, { action: "accept" });
    await decideAppraisal(rejected.id, viewer, { action: "reject", reason: "not_buyable" });
    await decideAppraisal(dollars.id, viewer, {
      action: "override",
      category: "tablet",
      price: 150,
      currency: "USD",
      note: "usd",
    });

    const out = fs.mkdtempSync(path.join(os.tmpdir(), "export-"));
    const result = await exportReviewed({ outDir: out });
    expect(result).toMatchObject({ reviewed: 2, photos: 5 });
    expect(result.skipped).toEqual([{ reason: "currency is not EUR", count: 1 }]);

    const items = await loadManifest(out, { checkFiles: true });
    const byId = Object.fromEntries(items.map((i) => [i.itemId, i]));
    expect(byId[`rv-${overridden.id}`]).toMatchObject({ category: "tablet", price: 199.99, currency: "EUR" });
    expect(byId[`rv-${overridden.id}`].photos.map((p) => p.slot)).toEqual([0, 1, 2]);
    expect(byId[`rv-${accepted.id}`]).toMatchObject({ category: "laptop", price: 480 });
    const meta = await sharp(path.join(out, byId[`rv-${overridden.id}`].photos[0].path)).metadata();
    expect(meta).toMatchObject({ format: "webp", width: 40, height: 30 });
  });

  it("--base combines the export with a base dataset in one manifest", async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), "base-"));
    fs.mkdirSync(path.join(base, "photos"));
    fs.writeFileSync(
      path.join(base, "photos", "b0.png"),
      await sharp({ create: { width: 8, height: 8, channels: 3, background: "red" } })
        .png()
        .toBuffer(),
    );
    await writeManifest(base, [
      {
        itemId: "base-1",
        category: "smartphone",
        price: 100,
        currency: "EUR",
        split: "train",
        photos: [{ path: "photos/b0.png", slot: 0 }],
      },
    ]);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "export-"));
    const result = await exportReviewed({ outDir: out, baseDir: base });
    expect(result.baseItems).toBe(1);
    const items = await loadManifest(out, { checkFiles: true });
    expect(items.find((i) => i.itemId === "base-1")?.photos[0].path).toBe("base/photos/b0.png");
    expect(items.length).toBe(result.reviewed + 1);
  });
});
