import "server-only";
import fs from "node:fs";
import path from "node:path";
import { pingDatabase } from "@/lib/db";
import { getEnv } from "@/lib/env";

export interface Health {
  status: "ok" | "degraded";
  db: "ok" | "unreachable";
  /** "ok" when a model card is present in MODEL_DIR; the model itself is loaded by lib/ml. */
  model: "ok" | "missing";
}

/** Database reachability decides the status: without it nothing works; without a model, quotes wait. */
export async function getHealth(): Promise<Health> {
  const dbOk = await pingDatabase();
  const modelOk = fs.existsSync(path.join(getEnv().MODEL_DIR, "model.json"));
  return { status: dbOk ? "ok" : "degraded", db: dbOk ? "ok" : "unreachable", model: modelOk ? "ok" : "missing" };
}
