import "server-only";
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { MODEL_CARD_FILE, readModelCard } from "@/lib/ml/model-card";

/** Scores a model directory on the held-out data; returns quote accuracy in [0, 1]. */
export type HeldOutEvaluator = (modelDir: string) => Promise<number>;

export interface PromoteOptions {
  modelDir: string;
  evaluate: HeldOutEvaluator;
  /** Names the held-out data in the audit trail. */
  heldOut: string;
}

export interface PromoteResult {
  promoted: string;
  previous: { id: string; quoteAccuracy: number } | null;
  quoteAccuracy: number;
}

/**
 * Promotes a trained model to active after scoring it and the current active model on the same held-out
 * data: a candidate that scores worse is refused (invalid, nothing changes). The switch is one
 * transaction (candidate → active, previous → retired, an audit event); running app instances notice the
 * new active row and swap models without dropping requests (lib/review/model-switcher.ts).
 */
export async function promoteModel(options: PromoteOptions): Promise<PromoteResult> {
  const modelDir = path.resolve(options.modelDir);
  const card = await readModelCard(modelDir);
  const cardSha256 = createHash("sha256")
    .update(await fs.readFile(path.join(modelDir, MODEL_CARD_FILE)))
    .digest("hex");
  const active = await db().modelVersion.findFirst({ where: { status: "active" }, orderBy: { promotedAt: "desc" } });
  if (active?.id === card.version) throw new AppError("conflict", `${card.version} is already the active model.`);

  const quoteAccuracy = await options.evaluate(modelDir);
  let previous: PromoteResult["previous"] = null;
  if (active) {
    const previousAccuracy = await options.evaluate(active.dir);
    previous = { id: active.id, quoteAccuracy: previousAccuracy };
    if (quoteAccuracy < previousAccuracy) {
      throw new AppError(
        "invalid",
        `Refusing to promote ${card.version}: quote accuracy ${(quoteAccuracy * 100).toFixed(1)}% on ${options.heldOut} is worse than the active ${active.id} (${(previousAccuracy * 100).toFixed(1)}%).`,
      );
    }
  }

  const now = new Date();
  const metrics = { ...card.metrics, heldOutQuoteAccuracy: quoteAccuracy, heldOut: options.heldOut };
  await db().$transaction(async (tx) => {
    await tx.modelVersion.updateMany({
      where: { status: "active", id: { not: card.version } },
      data: { status: "retired" },
    });
    await tx.modelVersion.upsert({
      where: { id: card.version },
      create: { id: card.version, dir: modelDir, cardSha256, status: "active", promotedAt: now, metrics },
      update: { dir: modelDir, cardSha256, status: "active", promotedAt: now, metrics },
    });
    await tx.auditEvent.create({
      data: {
        actorKind: "system",
        action: "model.promote",
        before: previous ? { modelVersion: previous.id, quoteAccuracy: previous.quoteAccuracy } : undefined,
        after: { modelVersion: card.version, quoteAccuracy, dir: modelDir },
        modelVersion: card.version,
        reason: `held-out quote accuracy on ${options.heldOut}`,
      },
    });
  });
  return { promoted: card.version, previous, quoteAccuracy };
}

/** The default evaluator: lib/ml's evaluation on a dataset split, plots written to a temporary directory. */
export function mlEvaluator(dataDir: string, split: "test" | "validation" | "all"): HeldOutEvaluator {
  return async (modelDir) => {
    const { evaluateModel } = await import("@/lib/ml/evaluate");
    const out = await fs.mkdtemp(path.join(os.tmpdir(), "promote-eval-"));
    try {
      const report = await evaluateModel({ model: modelDir, data: dataDir, split, targetAccuracy: 0.99, seed: 1, out });
      return report.canonical.positionAware.quoteAccuracy;
    } finally {
      await fs.rm(out, { recursive: true, force: true });
    }
  };
}
