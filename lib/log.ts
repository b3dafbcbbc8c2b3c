import "server-only";
import pino from "pino";
import { getEnv } from "@/lib/env";

// Structured JSON logs on stdout; one logger per process.
const CACHE = Symbol.for("appraise.logger");
type Cache = { [CACHE]?: pino.Logger };

export function logger(): pino.Logger {
  const g = globalThis as Cache;
  g[CACHE] ??= pino({ level: getEnv().LOG_LEVEL, base: { app: "appraise" } });
  return g[CACHE];
}
