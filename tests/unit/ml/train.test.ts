import fs from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { generateDataset } from "@/lib/dataset/generate";
import { toModelInput } from "@/lib/images/model-input";
import { load } from "@/lib/ml/appraisal-model";
import { loadDataset } from "@/lib/ml/data";
import { evaluateModel, formatReport } from "@/lib/ml/evaluate";
import { recalibrateModel } from "@/lib/ml/recalibrate";
import { ensureBackend } from "@/lib/ml/runtime";
import { DEFAULT_TRAIN_CONFIG, trainModel } from "@/lib/ml/train";
import { tempDir } from "./helpers";

const CATEGORIES = ["smartphone", "sneaker", "headphones"] as const;
const SIZE = 32;

let dataDir: string;
let heldOutDir: string;
beforeAll(async () => {
  await ensureBackend("wasm");
  dataDir = await tempDir("ml-train-data");
  heldOutDir = await tempDir("ml-heldout-data");
  await generateDataset({ items: 150, seed: 5, out: dataDir, split: true, size: "160x120", categories: CATEGORIES });
  await generateDataset({ items: 60, seed: 6, out: heldOutDir, size: "160x120", categories: CATEGORIES });
}, 120_000);

describe("train → evaluate → load on a tiny generated dataset", () => {
  it("lowers the loss, beats chance on a held-out seed, and writes a model that load() serves", async () => {
    const out = await tempDir("ml-train-model");
    const card = await trainModel({
      ...DEFAULT_TRAIN_CONFIG,
      data: dataDir,
      out,
      backbone: { inputSize: SIZE, cells: 1, penultimateFilters: 48, stemFilters: 8, stemReductions: 1, seed: 3 },
      pretrain: { ...DEFAULT_TRAIN_CONFIG.pretrain, epochs: 3, batchSize: 16, learningRate: 3e-3 },
      head: { ...DEFAULT_TRAIN_CONFIG.head, epochs: 40, hidden: 32, slotDim: 8, fusions: ["concat"] },
    });
    const m = card.metrics;
    expect(m.pretrain_final_loss as number).toBeLessThan(m.pretrain_first_loss as number);
    expect(m.head_final_loss as number).toBeLessThan(m.head_first_loss as number);
    expect(card.training.dataHash).toMatch(/^[0-9a-f]{64}$/);
    // The quoted price range is widened on validation until it holds at least 80% of the true prices.
    expect(m.validation_range_coverage_after as number).toBeGreaterThanOrEqual(0.8);
    // Recalibrating on the same validation split reproduces what training wrote.
    const again = await recalibrateModel({ model: out, data: dataDir });
    expect(again.card.calibration.temperature).toBeCloseTo(card.calibration.temperature, 6);
    expect(card.calibration.priceMargin).toBeTypeOf("number");
    expect(again.card.calibration.priceMargin).toBeCloseTo(card.calibration.priceMargin ?? Number.NaN, 6);
    expect(again.card.review.minConfidence).toBeCloseTo(card.review.minConfidence, 6);
    expect(again.card.review.maxRelativeRange).toBeCloseTo(card.review.maxRelativeRange, 5);

    const evalDir = await tempDir("ml-eval");
    const report = await evaluateModel({
      model: out,
      data: heldOutDir,
      split: "all",
      targetAccuracy: 0.99,
      seed: 1,
      out: evalDir,
    });
    // Three categories present: chance is 1/3.
    expect(report.canonical.positionAware.top1).toBeGreaterThan(0.45);
    expect(report.calibration.priceMargin).toBe(card.calibration.priceMargin);
    expect(report.calibration.rangeCoverageAfter).toBe(report.canonical.positionAware.intervalCoverage);
    // Generated data: the ceiling is reported beside the model, item by item in the same order as its outcomes.
    const ceiling = report.ceiling;
    if (!ceiling) throw new Error("no quote ceiling for generated data");
    expect(ceiling.upperBound).toBeGreaterThan(ceiling.brandFromLabels);
    expect(ceiling.byHidden.reduce((n, g) => n + g.items, 0)).toBe(report.items);
    const right = ceiling.byHidden.reduce((n, g) => n + g.quoteAccuracy * g.items, 0);
    expect(right / report.items).toBeCloseTo(report.canonical.positionAware.quoteAccuracy, 10);
    expect(formatReport(report)).toContain("quote accuracy ceiling of this data");
    const lines = formatReport(report).split("\n").slice(-3);
    expect(lines[0]).toMatch(/^quote accuracy: \d+\.\d%$/);
    expect(lines[1]).toMatch(/^position-blind quote accuracy: \d+\.\d%$/);
    expect(lines[2]).toMatch(/^auto-quote coverage at 99% accuracy: \d+\.\d%$/);
    expect((await fs.readdir(evalDir)).sort()).toEqual([
      "confusion.png",
      "coverage.png",
      "evaluation.json",
      "reliability.png",
    ]);

    const model = await load(out);
    const dataset = await loadDataset(heldOutDir);
    const item = dataset.items[0];
    const photos = await Promise.all(
      item.photos.map(async (p) => ({
        pixels: (await toModelInput(await fs.readFile(p.file), SIZE)).data,
        slot: p.slot,
      })),
    );
    const prediction = await model.predict(photos);
    expect(prediction.perPhoto).toHaveLength(item.photos.length);
    expect(card.categories).toContain(prediction.category);
    model.dispose();
  }, 240_000);
});
