import fs from "node:fs";
import pg from "pg";

// Drop what the run created: its PGlite directory and, on PostgreSQL, its schema.
export default async function globalTeardown() {
  const dataDir = process.env.E2E_DATA_DIR;
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  const url = process.env.E2E_DATABASE_URL;
  if (url) {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get("schema");
    parsed.searchParams.delete("schema");
    if (schema?.startsWith("e2e_")) {
      const client = new pg.Client({ connectionString: parsed.toString() });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  }
}
