import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { parseModelCard, readModelCard } from "@/lib/ml/model-card";
import { tempDir, tinyCard } from "./helpers";

describe("model card", () => {
  it("accepts a complete card", () => {
    expect(parseModelCard(tinyCard()).version).toBe("tiny-test");
  });

  it.each([
    ["format", { format: "other/1" }, /format/],
    ["version", { version: "" }, /version/],
    ["input size", { inputSize: 8 }, /inputSize/],
    ["normalization", { normalization: { scale: -1, offset: 0 } }, /normalization\.scale/],
    ["calibration", { calibration: { temperature: 0 } }, /calibration\.temperature/],
    [
      "review threshold",
      { review: { minConfidence: 1.5, maxRelativeRange: 1, targetAccuracy: 0.99 } },
      /review\.minConfidence/,
    ],
    ["head/category count", { categories: ["a", "b"] }, /head\.config\.categories: must equal categories\.length/],
    [
      "head/feature size",
      { backbone: { kind: "nasnet", path: "b/model.json", featureDim: 7 } },
      /head\.config\.featureDim/,
    ],
  ] as const)("rejects a bad %s with the field named", (_name, patch, message) => {
    const card = { ...tinyCard(), ...patch };
    expect(() => parseModelCard(card)).toThrow(message);
    try {
      parseModelCard(card);
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe("invalid");
    }
  });

  it("rejects a card missing a required section", () => {
    const { training: _t, ...card } = tinyCard();
    expect(() => parseModelCard(card)).toThrow(/training/);
  });

  it("reads from disk and reports a missing or broken file clearly", async () => {
    const dir = await tempDir("card");
    await expect(readModelCard(dir)).rejects.toThrow(/no model card/);
    await fs.writeFile(path.join(dir, "model.json"), "{ not json");
    await expect(readModelCard(dir)).rejects.toThrow(/not valid JSON/);
    await fs.writeFile(path.join(dir, "model.json"), JSON.stringify(tinyCard()));
    expect((await readModelCard(dir)).categories).toEqual(["a", "b", "c"]);
  });
});
