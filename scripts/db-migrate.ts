// npm run db:migrate – apply pending SQL migrations to the configured database.
import { closeDatabase, getDatabase, migrateDatabase } from "../lib/db";

const database = getDatabase();
try {
  const { applied, alreadyApplied } = await migrateDatabase();
  console.log(
    `${database.kind} ${database.location}: applied ${applied.length} migration(s)${applied.length ? ` (${applied.join(", ")})` : ""}, ${alreadyApplied.length} already applied`,
  );
} finally {
  await closeDatabase();
}
