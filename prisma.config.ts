import { defineConfig } from "prisma/config";

// The CLI only generates the client here; migrations are plain SQL applied by lib/db/migrate.ts,
// because Prisma's schema engine binary cannot be downloaded on offline machines.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
