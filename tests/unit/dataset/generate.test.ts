import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATEGORIES } from "@/lib/dataset/categories";
import { writeContactSheet } from "@/lib/dataset/contact-sheet";
import { generateDataset, parseSize } from "@/lib/dataset/generate";
import { loadManifest } from "@/lib/dataset/manifest";
import { PRICE_NOISE_SIGMA } from "@/lib/dataset/price";
import { rasterizeScene } from "@/lib/dataset/render/rasterize";
import { buildScene } from "@/lib/dataset/render/scene";
import { sampleItem } from "@/lib/dataset/sample";
import { toModelInput } from "@/lib/images/model-input";

let root: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "dataset-test-"));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** sha256 of every file under `dir`, keyed by relative path. */
async function hashTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = createHash("sha256")
      .update(await fs.readFile(file))
      .digest("hex");
  }
  return out;
}

const small = { size: "160x120", split: true } as const;

describe("generateDataset", () => {
  it("is byte-identical for the same seed, whatever the concurrency", async () => {
    const a = path.join(root, "a");
    const b = path.join(root, "b");
    await generateDataset({ items: 16, seed: 42, out: a, concurrency: 1, ...small });
    await generateDataset({ items: 16, seed: 42, out: b, concurrency: 8, ...small });
    const [ha, hb] = [await hashTree(a), await hashTree(b)];
    expect(Object.keys(ha).length).toBeGreaterThan(16);
    expect(ha).toEqual(hb);
  });

  it("gives an item the same photos however many items are generated", async () => {
    const few = path.join(root, "few");
    const many = path.join(root, "many");
    await generateDataset({ items: 3, seed: 9, out: few, ...small });
    await generateDataset({ items: 6, seed: 9, out: many, ...small });
    const [hf, hm] = [await hashTree(path.join(few, "photos")), await hashTree(path.join(many, "photos"))];
    for (const [file, hash] of Object.entries(hf)) expect(hm[file]).toBe(hash);
  });

  it("changes with the seed", async () => {
    const c = path.join(root, "c");
    await generateDataset({ items: 16, seed: 43, out: c, ...small });
    expect(await hashTree(c)).not.toEqual(await hashTree(path.join(root, "a")));
  });

  it("writes a manifest whose photos exist, are JPEGs of the requested size, and never cross splits", async () => {
    const dir = path.join(root, "a");
    const items = await loadManifest(dir, { checkFiles: true });
    expect(items).toHaveLength(16);
    const info = JSON.parse(await fs.readFile(path.join(dir, "dataset.json"), "utf8"));
    expect(info.priceNoise).toBe(PRICE_NOISE_SIGMA);
    const splitOfPhoto = new Map<string, string>();
    const splitOfHash = new Map<string, string>();
    for (const item of items) {
      expect(item.split).toBeDefined();
      for (const photo of item.photos) {
        expect(photo.path.startsWith(`photos/${item.itemId}/`)).toBe(true);
        expect(splitOfPhoto.has(photo.path)).toBe(false);
        splitOfPhoto.set(photo.path, item.split as string);
        const bytes = await fs.readFile(path.join(dir, photo.path));
        const meta = await sharp(bytes).metadata();
        expect([meta.format, meta.width, meta.height]).toEqual(["jpeg", 160, 120]);
        // Identical bytes in two splits would leak an item across the split boundary.
        const hash = createHash("sha256").update(bytes).digest("hex");
        const seen = splitOfHash.get(hash);
        if (seen) expect(seen).toBe(item.split);
        splitOfHash.set(hash, item.split as string);
      }
    }
  });

  it("produces a contact sheet", async () => {
    const dir = path.join(root, "a");
    const file = path.join(root, "sheet.png");
    await writeContactSheet(dir, await loadManifest(dir), file, { rows: 4, thumbWidth: 80, thumbHeight: 60 });
    const meta = await sharp(file).metadata();
    expect(meta.format).toBe("png");
    expect(meta.height).toBeGreaterThan(4 * 60);
  });

  it("rejects bad options", async () => {
    await expect(generateDataset({ items: 0, seed: 1, out: path.join(root, "x") })).rejects.toThrow(/items/);
    await expect(generateDataset({ items: 1, seed: 1, out: path.join(root, "x"), shuffleRate: 2 })).rejects.toThrow(
      /shuffleRate/,
    );
    await expect(generateDataset({ items: 1, seed: 1, out: path.join(root, "x"), priceNoise: -0.1 })).rejects.toThrow(
      /priceNoise/,
    );
    await expect(
      generateDataset({ items: 1, seed: 1, out: path.join(root, "x"), categories: ["bicycle" as never] }),
    ).rejects.toThrow(/unknown categories: bicycle/);
    expect(() => parseSize("640*480")).toThrow(/640x480/);
    expect(parseSize("320x240")).toEqual({ width: 320, height: 240 });
  });
});

describe("the price-relevant marks survive the model's resize", () => {
  // Same item, same photo seeds, only the front damage differs: the difference must show at 96 px.
  it.each(CATEGORIES)("front damage on a %s is visible at 96×96", async (category) => {
    const plan = sampleItem(0, { seed: 5, categories: [category] });
    const photo = { slot: 0, view: "front" as const, seed: 777 };
    const render = async (front: 0 | 3) => {
      const scene = buildScene({ ...plan, condition: { ...plan.condition, front } }, photo, 640, 480);
      return (await toModelInput(await rasterizeScene({ ...scene, noise: 0, jpegQuality: 95 }), 96)).data;
    };
    const [clean, damaged] = [await render(0), await render(3)];
    let changed = 0;
    for (let i = 0; i < clean.length; i += 3) {
      const d =
        Math.abs(clean[i] - damaged[i]) +
        Math.abs(clean[i + 1] - damaged[i + 1]) +
        Math.abs(clean[i + 2] - damaged[i + 2]);
      if (d > 60) changed++;
    }
    // At least ~1 % of the 96×96 pixels clearly change (a crack is a few px wide, many px long).
    expect(changed).toBeGreaterThan(90);
  });
});
