// npm run calibrate -- --model models/NAME --data DIR: refit temperature, price-range margin and review rule.
import { parseArgs } from "node:util";
import { createCliReporter } from "../lib/ml/cli-reporter";
import { recalibrateModel } from "../lib/ml/recalibrate";
import { ensureBackend } from "../lib/ml/runtime";

const { values } = parseArgs({
  options: {
    model: { type: "string", default: "models/default" },
    data: { type: "string" },
    split: { type: "string", default: "validation" },
    target: { type: "string" },
    help: { type: "boolean", default: false },
  },
});

if (values.help || !values.data) {
  process.stderr.write(`usage: npm run calibrate -- --model models/NAME --data DIR
  --split validation|all|train|test   items to fit on (default: the validation split, as training does)
  --target 0.99                       auto-quote category accuracy (default: the card's)
Rewrites MODEL/model.json (temperature, price-range margin, review rule); the weights are untouched.
`);
  process.exit(values.help ? 0 : 2);
}
const split = values.split as "all" | "train" | "validation" | "test";
if (!["all", "train", "validation", "test"].includes(split)) {
  process.stderr.write("--split must be validation, all, train or test\n");
  process.exit(2);
}
const target = values.target === undefined ? undefined : Number(values.target);
if (target !== undefined && !(target > 0 && target < 1)) {
  process.stderr.write("--target must be a number between 0 and 1\n");
  process.exit(2);
}

await ensureBackend(undefined, (line) => process.stderr.write(`${line}\n`));
const { previous, card, fitted, outcome } = await recalibrateModel(
  { model: values.model, data: values.data, split, targetAccuracy: target },
  createCliReporter(),
);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const was = previous.calibration;
process.stdout.write(
  [
    `${values.model} (${card.version}) recalibrated on ${fitted.outcomes.length} items (${split})`,
    `temperature: ${was.temperature.toFixed(3)} → ${card.calibration.temperature.toFixed(3)}`,
    `price-range margin: ${(was.priceMargin ?? 0).toFixed(3)} → ${fitted.priceMargin.toFixed(3)} (log price); ` +
      `p10–p90 holds the price for ${pct(fitted.rangeCoverageBefore)} without, ${pct(fitted.rangeCoverageAfter)} with it`,
    `review rule: confidence ≥ ${card.review.minConfidence.toFixed(4)} and (p90 − p10)/p50 ≤ ` +
      `${card.review.maxRelativeRange.toFixed(3)} → auto-quotes ${pct(outcome.coverage)} at ${pct(outcome.categoryAccuracy)} category accuracy`,
    "",
  ].join("\n"),
);
