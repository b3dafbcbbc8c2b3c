// postinstall: generate the Prisma client without network access.
// `prisma generate` only needs the schema engine's path to exist, not a working binary; on machines
// where it cannot be downloaded we point it at a placeholder (migrations never use it: see lib/db/migrate.ts).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1" };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const placeholder = path.join(os.tmpdir(), "prisma-schema-engine-placeholder");
  fs.writeFileSync(placeholder, "");
  env.PRISMA_SCHEMA_ENGINE_BINARY = placeholder;
}
execFileSync(process.execPath, [path.join("node_modules", "prisma", "build", "index.js"), "generate"], {
  stdio: "inherit",
  env,
});
