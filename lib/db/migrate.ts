import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { SqlRunner } from "./sql";

/**
 * Applies prisma/migrations/<timestamp>_<name>/migration.sql in order, each in its own transaction,
 * recording name and checksum so a rerun is a no-op. This replaces `prisma migrate deploy`, whose
 * schema engine binary cannot be downloaded offline; the SQL files keep Prisma's layout.
 */
export const MIGRATIONS_DIR = path.resolve(process.cwd(), "prisma", "migrations");
const TABLE = "_app_migrations";
// Any constant works: all app instances sharing one PostgreSQL serialize their migrations on it.
const ADVISORY_LOCK_ID = 727_001;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^\d{14}_[a-z0-9_]+$/.test(d.name))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(/*turbopackIgnore: true*/ path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

/** Applies pending migrations, each in its own transaction; fails if an applied migration's file was edited. */
export async function applyMigrations(
  runner: SqlRunner,
  migrations = readMigrations(),
  { usesAdvisoryLock = false } = {},
): Promise<MigrateResult> {
  await runner.exec(
    `CREATE TABLE IF NOT EXISTS "${TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
  );
  const result: MigrateResult = { applied: [], alreadyApplied: [] };
  for (const m of migrations) {
    const applied = await runner.transaction(async (tx) => {
      // Several app instances may start at once against one PostgreSQL: the lock serializes them,
      // and the re-read below sees what a concurrent instance just applied.
      if (usesAdvisoryLock) await tx.query("SELECT pg_advisory_xact_lock($1)", [ADVISORY_LOCK_ID]);
      const [previous] = await tx.query<{ checksum: string }>(`SELECT checksum FROM "${TABLE}" WHERE name = $1`, [
        m.name,
      ]);
      if (previous) {
        if (previous.checksum !== m.checksum) {
          throw new Error(
            `Migration ${m.name} was changed after it was applied. Add a new migration instead of editing an applied one.`,
          );
        }
        return false;
      }
      try {
        await tx.exec(m.sql);
      } catch (err) {
        throw new Error(`Migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      await tx.query(`INSERT INTO "${TABLE}" (name, checksum) VALUES ($1, $2)`, [m.name, m.checksum]);
      return true;
    });
    (applied ? result.applied : result.alreadyApplied).push(m.name);
  }
  return result;
}
