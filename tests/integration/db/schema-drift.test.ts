// The hand-written SQL migrations must build exactly the database schema.prisma describes:
// tables, columns, types, nullability, database defaults, enums, indexes and foreign keys.
import { describe, expect, it } from "vitest";
import { getDatabase } from "@/lib/db";
import { type DmmfField, readDatamodel } from "../../fixtures/dmmf";

const datamodel = readDatamodel();
const sql = () => getDatabase().sql;

const SCALAR_TYPES: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Boolean: "boolean",
  DateTime: "timestamp(3) without time zone",
  Json: "jsonb",
};

function expectedType(field: DmmfField): string {
  const base = field.kind === "enum" ? `"${field.type}"` : SCALAR_TYPES[field.type];
  if (!base) throw new Error(`no SQL type mapping for ${field.type}`);
  return field.isList ? `${base}[]` : base;
}

/** Prisma computes uuid()/cuid()/@updatedAt in the client; everything else is a database default. */
function hasDatabaseDefault(field: DmmfField): boolean {
  if (!field.hasDefaultValue) return false;
  const d = field.default;
  return !(typeof d === "object" && d && ["uuid", "cuid", "nanoid", "ulid"].includes(d.name));
}

const columnName = (f: DmmfField) => f.dbName ?? f.name;

describe("migrations match schema.prisma", () => {
  it("has a table for every model and no other (besides the migrations ledger)", async () => {
    const rows = await sql().query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
    );
    const tables = rows.map((r) => r.table_name).filter((t) => t !== "_app_migrations");
    expect(tables.sort()).toEqual(datamodel.models.map((m) => m.dbName ?? m.name).sort());
  });

  for (const model of datamodel.models) {
    it(`${model.name}: columns, types, nullability and defaults`, async () => {
      const rows = await sql().query<{ column_name: string; type: string; nullable: boolean; has_default: boolean }>(
        `SELECT a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
                a.atthasdef AS has_default
           FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = current_schema() AND c.relname = $1 AND a.attnum > 0 AND NOT a.attisdropped`,
        [model.dbName ?? model.name],
      );
      const actual = Object.fromEntries(
        rows.map((r) => [r.column_name, { type: r.type, nullable: r.nullable, dbDefault: r.has_default }]),
      );
      const expected = Object.fromEntries(
        model.fields
          .filter((f) => f.kind !== "object")
          .map((f) => [
            columnName(f),
            {
              // format_type quotes enum names only when needed; compare unquoted.
              type: expectedType(f).replaceAll('"', ""),
              // Prisma creates list columns nullable (it never writes NULL to them).
              nullable: !f.isRequired || f.isList,
              dbDefault: hasDatabaseDefault(f),
            },
          ]),
      );
      for (const value of Object.values(actual)) value.type = value.type.replaceAll('"', "");
      expect(actual).toEqual(expected);
    });
  }

  it("has exactly the enums and values of the schema", async () => {
    const rows = await sql().query<{ name: string; value: string }>(
      `SELECT t.typname AS name, e.enumlabel AS value FROM pg_type t
         JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = current_schema() ORDER BY t.typname, e.enumsortorder`,
    );
    const actual: Record<string, string[]> = {};
    for (const r of rows) {
      actual[r.name] ??= [];
      actual[r.name].push(r.value);
    }
    const expected = Object.fromEntries(datamodel.enums.map((e) => [e.name, e.values.map((v) => v.name)]));
    expect(actual).toEqual(expected);
  });

  it("has exactly the primary keys, unique and plain indexes of the schema", async () => {
    const rows = await sql().query<{ table: string; unique: boolean; primary: boolean; columns: string }>(
      `SELECT t.relname AS table, ix.indisunique AS unique, ix.indisprimary AS primary,
              (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) AS columns
         FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = current_schema() AND t.relname <> '_app_migrations'`,
    );
    const kind = (r: { unique: boolean; primary: boolean }) => (r.primary ? "id" : r.unique ? "unique" : "normal");
    const actual = rows.map((r) => `${r.table}:${kind(r)}:${r.columns}`).sort();
    const modelTable = new Map(datamodel.models.map((m) => [m.name, m.dbName ?? m.name]));
    const expected = datamodel.indexes
      .map((i) => `${modelTable.get(i.model)}:${i.type}:${i.fields.map((f) => f.name).join(",")}`)
      .sort();
    expect(actual).toEqual(expected);
  });

  it("has exactly the foreign keys and delete rules of the schema's relations", async () => {
    const rows = await sql().query<{ table: string; columns: string; target: string; on_delete: string }>(
      `SELECT c.conrelid::regclass::text AS table, c.confrelid::regclass::text AS target,
              (SELECT string_agg(a.attname, ',') FROM unnest(c.conkey) k(attnum)
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns,
              CASE c.confdeltype WHEN 'a' THEN 'NoAction' WHEN 'r' THEN 'Restrict' WHEN 'c' THEN 'Cascade'
                                 WHEN 'n' THEN 'SetNull' WHEN 'd' THEN 'SetDefault' END AS on_delete
         FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
        WHERE c.contype = 'f' AND n.nspname = current_schema()`,
    );
    const unq = (s: string) => s.replace(/^.*\./, "").replaceAll('"', "");
    const actual = rows.map((r) => `${unq(r.table)}(${r.columns})->${unq(r.target)}:${r.on_delete}`).sort();
    const expected = datamodel.models
      .flatMap((m) =>
        m.fields
          .filter((f) => f.kind === "object" && f.relationFromFields && f.relationFromFields.length > 0)
          .map((f) => {
            // Prisma's default: Restrict for required relations, SetNull for optional ones.
            const optional = m.fields.some((g) => g.name === f.relationFromFields?.[0] && !g.isRequired);
            const onDelete = f.relationOnDelete ?? (optional ? "SetNull" : "Restrict");
            return `${m.dbName ?? m.name}(${f.relationFromFields?.join(",")})->${f.type}:${onDelete}`;
          }),
      )
      .sort();
    expect(actual).toEqual(expected);
  });
});
