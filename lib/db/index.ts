import "server-only";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { getEnv } from "@/lib/env";
import { PrismaClient } from "./generated/client";
import { applyMigrations, type MigrateResult } from "./migrate";
import { lockDirectory } from "./pglite-lock";
import { pgliteRunner, pgRunner, type SqlRunner } from "./sql";

export type { PrismaClient } from "./generated/client";

export interface Database {
  kind: "pglite" | "postgres";
  /** Where the data lives, for logs and messages (never includes a password). */
  location: string;
  /** PostgreSQL schema when DATABASE_URL names one (`?schema=`), else the server's default. */
  schema?: string;
  prisma: PrismaClient;
  sql: SqlRunner;
  close(): Promise<void>;
}

/** PostgreSQL schema from `?schema=` in DATABASE_URL (tests use a fresh one per run). */
function schemaOf(url: URL): string | undefined {
  const schema = url.searchParams.get("schema") ?? undefined;
  if (schema && !/^[a-zA-Z_][a-zA-Z0-9_]{0,62}$/.test(schema)) throw new Error(`Invalid schema name in DATABASE_URL`);
  return schema;
}

function openPostgres(databaseUrl: string): Database {
  const url = new URL(databaseUrl);
  const schema = schemaOf(url);
  url.searchParams.delete("schema");
  const pool = new pg.Pool({
    connectionString: url.toString(),
    max: 10,
    // Raw SQL (migrations, health) and Prisma's queries must see the same schema.
    options: schema ? `-c search_path="${schema}"` : undefined,
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, schema ? { schema } : undefined) });
  url.password = "";
  return {
    kind: "postgres",
    schema,
    location: `${url.host}${url.pathname}${schema ? ` (schema ${schema})` : ""}`,
    prisma,
    sql: pgRunner(pool),
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

function openPglite(dataDir: string): Database {
  const dir = path.join(dataDir, "db");
  const release = lockDirectory(dir);
  try {
    const client = new PGlite(dir);
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(client) });
    return {
      kind: "pglite",
      location: dir,
      prisma,
      sql: pgliteRunner(client),
      close: async () => {
        await prisma.$disconnect();
        await client.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

// One client per process: Next dev reloads modules, so the cache lives on globalThis.
const CACHE = Symbol.for("appraise.database");
type Cache = { [CACHE]?: Database };

/** The process's database (PGlite under DATA_DIR by default, PostgreSQL when DATABASE_URL is set). */
export function getDatabase(): Database {
  const g = globalThis as Cache;
  if (!g[CACHE]) {
    const env = getEnv();
    g[CACHE] = env.DATABASE_URL ? openPostgres(env.DATABASE_URL) : openPglite(env.DATA_DIR);
  }
  return g[CACHE];
}

/** The Prisma client of the process's database. */
export function db(): PrismaClient {
  return getDatabase().prisma;
}

/** Applies pending SQL migrations to the process's database. */
export async function migrateDatabase(): Promise<MigrateResult> {
  const database = getDatabase();
  if (database.schema) await database.sql.exec(`CREATE SCHEMA IF NOT EXISTS "${database.schema}"`);
  return applyMigrations(database.sql, undefined, { usesAdvisoryLock: database.kind === "postgres" });
}

/** Closes the process's database (CLI scripts and tests; the server keeps it open). */
export async function closeDatabase(): Promise<void> {
  const g = globalThis as Cache;
  const database = g[CACHE];
  g[CACHE] = undefined;
  await database?.close();
}

/** Cheap liveness check for /api/health. */
export async function pingDatabase(): Promise<boolean> {
  try {
    await getDatabase().sql.query("SELECT 1");
    return true;
  } catch {
    return false;
  }
}
