import "server-only";
import { preloadModelService } from "@/lib/appraisals/model-service";
import { ensureFirstAdmin } from "@/lib/auth/reviewers";
import { getDatabase, migrateDatabase } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/log";

/** Server start-up: config, database lock, migrations. Exits the process on failure. */
export async function startServer(): Promise<void> {
  try {
    const env = getEnv();
    const database = getDatabase();
    const { applied } = await migrateDatabase();
    await ensureFirstAdmin();
    // Not awaited: the server answers health checks while the model warms up in its workers.
    preloadModelService();
    logger().info(
      { db: database.kind, location: database.location, migrationsApplied: applied, modelDir: env.MODEL_DIR },
      "server ready",
    );
  } catch (err) {
    // A plain message on stderr: this is what an operator reads when `npm start` refuses to run.
    console.error(`\nCannot start: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
