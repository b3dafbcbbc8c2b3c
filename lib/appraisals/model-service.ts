import "server-only";
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { createInferenceService, type InferenceService } from "@/lib/ml/inference-service";
import { MODEL_CARD_FILE, type ModelCard, parseModelCard } from "@/lib/ml/model-card";
import { createModelSwitcher } from "@/lib/review/model-switcher";
import { findActiveModelVersion } from "@/lib/review/model-versions";

/** One loaded model: inference in worker threads, and the ModelVersion id its predictions record. */
export interface ServedModel {
  service: InferenceService;
  modelVersionId: string;
}

/** The process's models: `use` pins the current one for a whole request, even across a promotion. */
export interface ModelService {
  use<T>(fn: (model: ServedModel) => Promise<T>): Promise<T>;
  /** Looks for a newly promoted model now instead of at the next poll. */
  refresh(): Promise<void>;
  stop(): Promise<void>;
}

// One per process, kept on globalThis so Next's dev reloads don't start a second set of workers.
const CACHE = Symbol.for("appraise.modelService");
type Cache = { [CACHE]?: Promise<ModelService> };

// Inference workers per model: one warm model each. Two cores also serve sharp, the database and
// Node, and the model batches concurrent requests itself (see bench:appraise).
const WORKERS = 1;
/** How often each instance looks for a model promoted by `npm run model:promote`. */
const PROMOTION_POLL_MS = 30_000;

/** The process's model service, started on first use; a failed start is retried on the next call. */
export function getModelService(): Promise<ModelService> {
  const g = globalThis as Cache;
  if (!g[CACHE]) {
    const starting = startModelService(getEnv().MODEL_DIR);
    g[CACHE] = starting;
    starting.catch((err) => {
      if (g[CACHE] === starting) g[CACHE] = undefined;
      logger().error({ err }, "model failed to load");
    });
  }
  return g[CACHE].catch((err) => {
    throw new AppError(
      "unavailable",
      "Quotes are paused for a moment: the appraisal model is not available. Please try again in a few minutes.",
      { cause: err },
    );
  });
}

/**
 * Registers MODEL_DIR's model, then serves whichever version the ModelVersion table marks active
 * (MODEL_DIR's on a fresh database), switching without dropping requests when another is promoted.
 */
async function startModelService(modelDir: string): Promise<ModelService> {
  const cardText = await fs.readFile(path.join(modelDir, MODEL_CARD_FILE), "utf8");
  const card = parseModelCard(JSON.parse(cardText), path.join(modelDir, MODEL_CARD_FILE));
  await registerModelVersion(card, modelDir, cardText);
  const switcher = createModelSwitcher<InferenceService>({
    load: async (ref) => {
      const started = performance.now();
      const service = await createInferenceService(ref.dir, { workers: WORKERS });
      logger().info({ modelVersion: ref.id, ms: Math.round(performance.now() - started) }, "model loaded");
      return service;
    },
    findActive: async () => (await findActiveModelVersion()) ?? { id: card.version, dir: modelDir },
    pollMs: PROMOTION_POLL_MS,
    onSwap: (from, to) => logger().info({ from, to }, "serving model version"),
    onError: (err) => logger().warn({ err }, "could not switch to the promoted model; keeping the current one"),
  });
  try {
    // Load now: a broken model surfaces at start-up, and the first seller gets a warm model.
    await switcher.refresh();
    if (!switcher.currentVersion()) throw new Error("no model version could be loaded");
  } catch (err) {
    await switcher.stop();
    throw err;
  }
  return {
    use: (fn) => switcher.use((service, modelVersionId) => fn({ service, modelVersionId })),
    refresh: () => switcher.refresh(),
    stop: () => switcher.stop(),
  };
}

/** Upserts MODEL_DIR's ModelVersion row; the first model a database sees becomes active, later ones wait for model:promote. */
async function registerModelVersion(card: ModelCard, modelDir: string, cardText: string): Promise<void> {
  const cardSha256 = createHash("sha256").update(cardText).digest("hex");
  const hasActive = (await db().modelVersion.count({ where: { status: "active" } })) > 0;
  const upsert = db().modelVersion.upsert({
    where: { id: card.version },
    create: {
      id: card.version,
      dir: modelDir,
      cardSha256,
      status: hasActive ? "candidate" : "active",
      promotedAt: hasActive ? null : new Date(),
      metrics: card.metrics,
    },
    update: {},
  });
  // Two app instances starting together may both try to create the row; the loser finds it there.
  await upsert.catch((err: { code?: string }) => {
    if (err?.code !== "P2002") throw err;
  });
  // The same model (same card) moved to another directory: point the row at where it is now.
  await db().modelVersion.updateMany({ where: { id: card.version, cardSha256 }, data: { dir: modelDir } });
}

/** Warms the model at server start so the first seller does not wait for it (errors are logged, not fatal). */
export function preloadModelService(): void {
  getModelService().catch((err) =>
    logger().error(
      { err, modelDir: getEnv().MODEL_DIR },
      "model could not be loaded; appraisals will fail until it is",
    ),
  );
}

/** Stops the workers (tests and scripts; the server keeps them for its lifetime). */
export async function disposeModelService(): Promise<void> {
  const g = globalThis as Cache;
  const current = g[CACHE];
  g[CACHE] = undefined;
  const started = await current?.catch(() => undefined);
  await started?.stop();
}
