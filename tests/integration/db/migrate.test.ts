// The migration runner: ordered, recorded, idempotent, all-or-nothing per migration, tamper-evident.
import { describe, expect, it } from "vitest";
import { getDatabase, migrateDatabase } from "@/lib/db";
import { applyMigrations, type Migration, readMigrations } from "@/lib/db/migrate";

const migration = (name: string, sql: string): Migration => ({ name, sql, checksum: `sum-${sql.length}-${name}` });

describe("applyMigrations", () => {
  it("is a no-op when rerun", async () => {
    const result = await migrateDatabase();
    expect(result.applied).toEqual([]);
    expect(result.alreadyApplied).toEqual(readMigrations().map((m) => m.name));
  });

  it("applies in order and records each migration once", async () => {
    const { sql } = getDatabase();
    const list = [
      migration("29990101000000_a", `CREATE TABLE "mig_a" (id INT)`),
      migration("29990101000001_b", `INSERT INTO "mig_a" VALUES (1), (2)`),
    ];
    expect((await applyMigrations(sql, list)).applied).toEqual(["29990101000000_a", "29990101000001_b"]);
    expect((await applyMigrations(sql, list)).applied).toEqual([]);
    expect(await sql.query(`SELECT count(*)::int AS n FROM "mig_a"`)).toEqual([{ n: 2 }]);
  });

  it("rolls back a failing migration entirely and keeps the ones before it", async () => {
    const { sql } = getDatabase();
    const list = [
      migration("29990102000000_ok", `CREATE TABLE "mig_ok" (id INT)`),
      migration("29990102000001_bad", `CREATE TABLE "mig_half" (id INT); SELECT no_such_function();`),
    ];
    await expect(applyMigrations(sql, list)).rejects.toThrow(/29990102000001_bad failed/);
    const tables = await sql.query<{ t: string }>(
      `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'mig_%'`,
    );
    expect(tables.map((r) => r.t)).toContain("mig_ok");
    expect(tables.map((r) => r.t)).not.toContain("mig_half");
    const recorded = await sql.query<{ name: string }>(
      `SELECT name FROM "_app_migrations" WHERE name LIKE '2999010200%'`,
    );
    expect(recorded.map((r) => r.name)).toEqual(["29990102000000_ok"]);
  });

  it("refuses to run when an applied migration was edited", async () => {
    const { sql } = getDatabase();
    await applyMigrations(sql, [migration("29990103000000_x", `CREATE TABLE "mig_x" (id INT)`)]);
    const edited = { name: "29990103000000_x", sql: `CREATE TABLE "mig_x" (id BIGINT)`, checksum: "different" };
    await expect(applyMigrations(sql, [edited])).rejects.toThrow(/was changed after it was applied/);
  });
});
