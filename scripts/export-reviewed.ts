// npm run export:reviewed -- --out DIR [--base DATASET] [--currency EUR] [--since 2026-11-01]
// Reviewed appraisals as a training manifest (photos + the reviewer's category and price).
import { parseArgs } from "node:util";
import { closeDatabase, migrateDatabase } from "../lib/db";
import { exportReviewed } from "../lib/review/export-reviewed";

const { values } = parseArgs({
  options: {
    out: { type: "string" },
    base: { type: "string" },
    currency: { type: "string", default: "EUR" },
    since: { type: "string" },
    help: { type: "boolean", default: false },
  },
});

if (values.help || !values.out) {
  process.stderr.write(`usage: npm run export:reviewed -- --out DIR
  --base DIR        also include this dataset (linked as DIR/base), so "npm run train -- --data OUT" trains on both
  --currency EUR    only reviewer prices in this currency (default EUR)
  --since DATE      only items decided on or after this date (YYYY-MM-DD)
`);
  process.exit(values.help ? 0 : 2);
}

const since = values.since ? new Date(`${values.since}T00:00:00Z`) : undefined;
if (since && Number.isNaN(since.getTime())) {
  process.stderr.write(`--since must be a date like 2026-11-01\n`);
  process.exit(2);
}

let failed = false;
try {
  await migrateDatabase();
  const result = await exportReviewed({ outDir: values.out, baseDir: values.base, currency: values.currency, since });
  for (const s of result.skipped) process.stdout.write(`skipped ${s.count}: ${s.reason}\n`);
  process.stdout.write(
    `wrote ${result.manifest}: ${result.reviewed} reviewed items (${result.photos} photos)` +
      (values.base ? ` + ${result.baseItems} items from ${values.base}` : "") +
      "\n",
  );
} catch (err) {
  process.stderr.write(`export failed: ${(err as Error).message}\n`);
  failed = true;
} finally {
  await closeDatabase();
}
// Explicit: closing the embedded database resets process.exitCode.
process.exit(failed ? 1 : 0);
