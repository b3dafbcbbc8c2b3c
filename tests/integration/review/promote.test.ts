// model:promote refuses a model that scores worse on held-out data; promotion is one transaction.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { promoteModel } from "@/lib/review/promote-model";
import { writeTinyModel } from "@/tests/integration/appraisals/tiny-model";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "promote-"));
const dirs = { a: path.join(root, "a"), b: path.join(root, "b"), worse: path.join(root, "worse") };
// Held-out quote accuracy per model directory, standing in for lib/ml's evaluation.
const scores: Record<string, number> = { [dirs.a]: 0.7, [dirs.b]: 0.75, [dirs.worse]: 0.6 };
const evaluate = async (dir: string) => scores[path.resolve(dir)];

beforeAll(async () => {
  await writeTinyModel(dirs.a, { version: "model-a" });
  await writeTinyModel(dirs.b, { version: "model-b" });
  await writeTinyModel(dirs.worse, { version: "model-worse" });
});

describe("model promotion", () => {
  it("promotes the first model when none is active", async () => {
    const r = await promoteModel({ modelDir: dirs.a, evaluate, heldOut: "test split" });
    expect(r).toMatchObject({ promoted: "model-a", previous: null, quoteAccuracy: 0.7 });
    const row = await db().modelVersion.findUniqueOrThrow({ where: { id: "model-a" } });
    expect(row).toMatchObject({ status: "active", dir: dirs.a });
    expect(row.cardSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("promotes a better model: the old one is retired, the switch is audited", async () => {
    const r = await promoteModel({ modelDir: dirs.b, evaluate, heldOut: "test split" });
    expect(r.previous).toEqual({ id: "model-a", quoteAccuracy: 0.7 });
    const rows = await db().modelVersion.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((m) => [m.id, m.status])).toEqual([
      ["model-a", "retired"],
      ["model-b", "active"],
    ]);
    const event = await db().auditEvent.findFirstOrThrow({
      where: { action: "model.promote", modelVersion: "model-b" },
    });
    expect(event.before).toMatchObject({ modelVersion: "model-a", quoteAccuracy: 0.7 });
    expect(event.after).toMatchObject({ modelVersion: "model-b", quoteAccuracy: 0.75 });
  });

  it("refuses a model that evaluates worse than the active one, and changes nothing", async () => {
    const before = await db().modelVersion.findMany({ orderBy: { id: "asc" } });
    const err = await promoteModel({ modelDir: dirs.worse, evaluate, heldOut: "test split" }).catch((e) => e);
    expect(isAppError(err) && err.code).toBe("invalid");
    expect(err.message).toMatch(
      /Refusing to promote model-worse: quote accuracy 60\.0% .* worse than the active model-b \(75\.0%\)/,
    );
    expect(await db().modelVersion.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });

  it("refuses to promote the model that is already active", async () => {
    await expect(promoteModel({ modelDir: dirs.b, evaluate, heldOut: "t" })).rejects.toThrow(
      /already the active model/,
    );
  });
});
