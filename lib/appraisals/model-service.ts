import "server-only";
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { createInferenceService, type InferenceService } from "@/lib/ml/inference-service";
import { MODEL_CARD_FILE } from "@/lib/ml/model-card";

/** The served model: inference in worker threads, plus the ModelVersion row predictions point at. */
export interface ModelService {
  service: InferenceService;
  modelVersionId: string;
}

// One per process, kept on globalThis so Next's dev reloads don't start a second set of workers.
const CACHE = Symbol.for("appraise.modelService");
type Cache = { [CACHE]?: Promise<ModelService> };

// Inference workers: one warm model each. Two cores serve sharp, Postgres and Node too, and the
// model batches concurrent requests itself, so one worker is the best throughput here (bench:appraise).
const WORKERS = 1;

/** The process's model, loaded from MODEL_DIR on first use; a failed load is retried on the next call. */
export function getModelService(): Promise<ModelService> {
  const g = globalThis as Cache;
  if (!g[CACHE]) {
    const loading = loadModelService(getEnv().MODEL_DIR);
    g[CACHE] = loading;
    loading.catch((err) => {
      if (g[CACHE] === loading) g[CACHE] = undefined;
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

async function loadModelService(modelDir: string): Promise<ModelService> {
  const started = performance.now();
  const cardText = await fs.readFile(path.join(modelDir, MODEL_CARD_FILE), "utf8");
  const service = await createInferenceService(modelDir, { workers: WORKERS });
  try {
    const modelVersionId = await registerModelVersion(service, modelDir, cardText);
    logger().info(
      { modelVersion: modelVersionId, ms: Math.round(performance.now() - started), workers: WORKERS },
      "model loaded",
    );
    return { service, modelVersionId };
  } catch (err) {
    await service.dispose();
    throw err;
  }
}

/** Upserts the ModelVersion row; the first model a database sees becomes active, later ones wait for model:promote. */
async function registerModelVersion(service: InferenceService, modelDir: string, cardText: string): Promise<string> {
  const { card } = service;
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
  return card.version;
}

/** Stops the workers (tests and scripts; the server keeps them for its lifetime). */
export async function disposeModelService(): Promise<void> {
  const g = globalThis as Cache;
  const current = g[CACHE];
  g[CACHE] = undefined;
  const loaded = await current?.catch(() => undefined);
  await loaded?.service.dispose();
}
