import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

// The only module that reads process.env (STYLE.md §9). Everything else calls getEnv().

const MB = 1024 * 1024;

const int = (def: number) => z.coerce.number().int().positive().default(def);

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** postgres://… selects PostgreSQL; unset means embedded PGlite under DATA_DIR/db. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  DATA_DIR: z.string().min(1).default("./data"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  MODEL_DIR: z.string().min(1).default("./models/default"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Bytes per photo. */
  MAX_PHOTO_BYTES: int(20 * MB),
  MAX_PHOTOS: int(8),
  /** Whole multipart request; photos plus form overhead. */
  MAX_REQUEST_BYTES: int(8 * 20 * MB + MB),
  /** Decoded pixels per photo (width × height); refused from the header before decoding. */
  MAX_PHOTO_PIXELS: int(50_000_000),
  MIN_PHOTO_SIDE: int(64),
  /** Object storage for photos; unset means a local directory under DATA_DIR/photos. */
  S3_ENDPOINT: z.string().url().optional(),
  S3_BUCKET: z.string().min(1).optional(),
  S3_REGION: z.string().default("us-east-1"),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  /** First admin, created once on a fresh install when no reviewer exists. */
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
  /** Chromium for end-to-end tests. */
  CHROMIUM_PATH: z.string().default("/usr/bin/chromium"),
});

export type Env = z.infer<typeof envSchema> & { SESSION_SECRET: string; DATA_DIR: string };

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Validates a raw environment; throws ConfigError naming each bad variable. */
export function parseEnv(raw: Record<string, string | undefined>): z.infer<typeof envSchema> {
  const result = envSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

/** Reads SESSION_SECRET from DATA_DIR, creating it on first run, so restarts keep sessions valid. */
function persistedSecret(dataDir: string): string {
  const file = path.join(dataDir, "session-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  try {
    fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
    return secret;
  } catch (err) {
    // Another process won the race: use its secret.
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return fs.readFileSync(file, "utf8").trim();
    throw err;
  }
}

let cached: Env | undefined;

/** The validated configuration, read once per process. */
export function getEnv(): Env {
  if (cached) return cached;
  const parsed = parseEnv(process.env);
  const dataDir = path.resolve(parsed.DATA_DIR);
  cached = {
    ...parsed,
    DATA_DIR: dataDir,
    MODEL_DIR: path.resolve(parsed.MODEL_DIR),
    SESSION_SECRET: parsed.SESSION_SECRET ?? persistedSecret(dataDir),
  };
  return cached;
}

/** Tests only: forget the cached configuration so the next getEnv() re-reads it. */
export function resetEnvForTests(): void {
  cached = undefined;
}
