// npm run evaluate -- --model models/NAME --data DIR: metrics, calibration, review threshold and the slot ablation.
import { parseArgs } from "node:util";
import { createCliReporter } from "../lib/ml/cli-reporter";
import { evaluateModel, formatReport } from "../lib/ml/evaluate";
import { ensureBackend } from "../lib/ml/runtime";

const { values } = parseArgs({
  options: {
    model: { type: "string", default: "models/default" },
    data: { type: "string" },
    split: { type: "string", default: "all" },
    target: { type: "string", default: "0.99" },
    out: { type: "string" },
    seed: { type: "string", default: "1" },
    backend: { type: "string" },
    help: { type: "boolean", default: false },
  },
});

if (values.help || !values.data) {
  process.stderr.write(`usage: npm run evaluate -- --model models/NAME --data DIR
  --split all|train|validation|test   items to score (default all: a dataset from a held-out seed)
  --target 0.99                       auto-quote category accuracy the review threshold must reach
  --out DIR                           where evaluation.json and the PNG plots go (default MODEL/eval)
  --seed N                            seed of the shuffled upload orders (default 1)
`);
  process.exit(values.help ? 0 : 2);
}

const split = values.split as "all" | "train" | "validation" | "test";
if (!["all", "train", "validation", "test"].includes(split)) {
  process.stderr.write(`--split must be all, train, validation or test\n`);
  process.exit(2);
}
await ensureBackend(values.backend as Parameters<typeof ensureBackend>[0], (line) => process.stderr.write(`${line}\n`));
const report = await evaluateModel(
  {
    model: values.model,
    data: values.data,
    split,
    targetAccuracy: Number(values.target),
    out: values.out,
    seed: Number.parseInt(values.seed, 10),
  },
  createCliReporter(),
);
process.stdout.write(`${formatReport(report)}\n`);
