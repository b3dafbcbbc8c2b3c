// npm run model:promote -- models/NAME --data DIR [--split test]
// Makes a trained model the one the app serves, unless it scores worse than the current one on held-out data.
import path from "node:path";
import { parseArgs } from "node:util";
import { closeDatabase, migrateDatabase } from "../lib/db";
import { ensureBackend } from "../lib/ml/runtime";
import { mlEvaluator, promoteModel } from "../lib/review/promote-model";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    data: { type: "string" },
    split: { type: "string", default: "test" },
    help: { type: "boolean", default: false },
  },
});

const modelDir = positionals[0];
if (values.help || !modelDir || !values.data) {
  process.stderr.write(`usage: npm run model:promote -- models/NAME --data DIR [--split test|validation|all]
Scores models/NAME and the active model on the same held-out items (default: the dataset's test split)
and refuses to promote a model with lower quote accuracy. Running servers switch to it within seconds.
`);
  process.exit(values.help ? 0 : 2);
}
const split = values.split as "test" | "validation" | "all";
if (!["test", "validation", "all"].includes(split)) {
  process.stderr.write("--split must be test, validation or all\n");
  process.exit(2);
}

let failed = false;
try {
  await ensureBackend();
  await migrateDatabase();
  const heldOut = `${path.resolve(values.data)} (${split})`;
  const result = await promoteModel({ modelDir, evaluate: mlEvaluator(values.data, split), heldOut });
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  if (result.previous)
    process.stdout.write(`active ${result.previous.id}: quote accuracy ${pct(result.previous.quoteAccuracy)}\n`);
  process.stdout.write(`promoted ${result.promoted}: quote accuracy ${pct(result.quoteAccuracy)} on ${heldOut}\n`);
} catch (err) {
  process.stderr.write(`model:promote: ${(err as Error).message}\n`);
  failed = true;
} finally {
  await closeDatabase();
}
process.exit(failed ? 1 : 0);
