// npm run dataset -- --items 200 --seed 1 --out /tmp/ds [--split] [--size 640x480] [--shuffle-rate 0.01] [--price-noise 0.05] [--categories a,b] [--sheet] – generate a synthetic dataset
import path from "node:path";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { CATEGORIES, type Category, isCategory } from "../lib/dataset/categories";
import { writeContactSheet } from "../lib/dataset/contact-sheet";
import { generateDataset } from "../lib/dataset/generate";

const USAGE = `usage: npm run dataset -- --items N --seed S --out DIR [--split] [--size WxH] [--shuffle-rate R] [--price-noise SIGMA]
                        [--categories ${CATEGORIES.slice(0, 2).join(",")},...] [--sheet] [--sheet-rows N] [--sheet-items ID,ID]
                        [--concurrency C]`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function toInt(value: string | undefined, name: string, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) fail(`--${name} is required`);
    return fallback;
  }
  const n = Number(value);
  if (!Number.isInteger(n)) fail(`--${name} must be an integer, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      items: { type: "string" },
      seed: { type: "string" },
      out: { type: "string" },
      split: { type: "boolean", default: false },
      size: { type: "string", default: "640x480" },
      "shuffle-rate": { type: "string" },
      "price-noise": { type: "string" },
      categories: { type: "string" },
      sheet: { type: "boolean", default: false },
      "sheet-rows": { type: "string" },
      "sheet-items": { type: "string" },
      concurrency: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.out) fail("--out is required");
  const categories = values.categories?.split(",").map((c) => c.trim());
  const unknown = categories?.filter((c) => !isCategory(c));
  if (unknown?.length) fail(`unknown categories: ${unknown.join(", ")} (known: ${CATEGORIES.join(", ")})`);
  const shuffleRate = values["shuffle-rate"] === undefined ? undefined : Number(values["shuffle-rate"]);
  if (shuffleRate !== undefined && !(shuffleRate >= 0 && shuffleRate <= 1)) fail("--shuffle-rate must be within 0..1");
  const priceNoise = values["price-noise"] === undefined ? undefined : Number(values["price-noise"]);
  if (priceNoise !== undefined && !(priceNoise >= 0 && priceNoise <= 1)) fail("--price-noise must be within 0..1");

  const bar = new cliProgress.SingleBar(
    { format: "photos {bar} {percentage}% {value}/{total} | {eta_buffer}s left | {rate}/s", etaBuffer: 200 },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  let barStarted = false;
  const result = await generateDataset({
    items: toInt(values.items, "items"),
    seed: toInt(values.seed, "seed", 1),
    out: values.out,
    size: values.size,
    shuffleRate,
    priceNoise,
    categories: categories as Category[] | undefined,
    split: values.split,
    concurrency: values.concurrency ? toInt(values.concurrency, "concurrency") : undefined,
    onProgress: (done, total) => {
      if (!barStarted) {
        bar.start(total, 0, { rate: "0" });
        barStarted = true;
      }
      const rate = (done / ((performance.now() - started) / 1000)).toFixed(0);
      bar.update(done, { rate });
    },
  }).finally(() => bar.stop());
  const seconds = result.elapsedMs / 1000;
  console.log(
    `${result.items.length} items, ${result.photos} photos in ${seconds.toFixed(1)} s (${(result.photos / seconds).toFixed(0)} photos/s) → ${result.dir}`,
  );
  if (values.sheet) {
    const file = path.join(result.dir, "contact-sheet.png");
    const wanted = values["sheet-items"]?.split(",").map((id) => id.trim());
    const rows = wanted
      ? wanted.map((id) => result.items.find((item) => item.itemId === id) ?? fail(`no item ${id}`))
      : result.items;
    await writeContactSheet(result.dir, rows, file, {
      rows: values["sheet-rows"] ? toInt(values["sheet-rows"], "sheet-rows") : undefined,
      palette: true,
    });
    console.log(`contact sheet → ${file}`);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
