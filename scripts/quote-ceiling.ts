// npm run dataset:ceiling -- --data DIR [--split test|validation|train|all] – the best quote accuracy any model can reach on generated data
import { parseArgs } from "node:util";
import { loadManifest } from "../lib/dataset/manifest";
import {
  type BrandKnowledge,
  generatedPriceNoise,
  hasGeneratedAttributes,
  quoteCeiling,
} from "../lib/dataset/quote-ceiling";

const { values } = parseArgs({
  options: { data: { type: "string" }, split: { type: "string", default: "all" } },
});
if (!values.data) {
  console.error("usage: npm run dataset:ceiling -- --data DIR [--split all|train|validation|test]");
  process.exit(2);
}
const split = values.split;
if (!["all", "train", "validation", "test"].includes(split)) {
  console.error("--split must be all, train, validation or test");
  process.exit(2);
}
const all = await loadManifest(values.data);
const items = split === "all" ? all : all.filter((i) => i.split === split);
if (items.length === 0) {
  console.error(`${values.data}: no items in split "${split}"`);
  process.exit(2);
}
if (!hasGeneratedAttributes(items)) {
  console.error(`${values.data}: the ceiling needs generated data (views and attributes in every manifest line)`);
  process.exit(2);
}
const sigma = await generatedPriceNoise(values.data);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

const brands: [BrandKnowledge, string][] = [
  ["always", "brand read from every photo"],
  ["label-or-box", "brand read only from label and packaging photos"],
  ["never", "brand never read"],
];
console.log(`${items.length} items (${split}), price noise σ = ${sigma ?? "default"}; category taken as known`);
const results = brands.map(([brand, label]) => ({ label, result: quoteCeiling(items, { brand, sigma }) }));
const [upper] = results;
console.log("\nwhat the photos leave hidden (brand read from every photo) | items | ceiling");
for (const [hidden, row] of Object.entries(upper.result.byHidden).sort((a, b) => b[1].items - a[1].items))
  console.log(`  ${hidden.padEnd(44)} ${String(row.items).padStart(5)}   ${pct(row.quoteAccuracy)}`);
console.log("\nper category | brand from every photo | brand from label/box only");
for (const category of Object.keys(upper.result.byCategory).sort())
  console.log(
    `  ${category.padEnd(12)} ${pct(upper.result.byCategory[category].quoteAccuracy).padStart(8)}   ${pct(results[1].result.byCategory[category].quoteAccuracy).padStart(8)}`,
  );
console.log("");
for (const { label, result } of results) console.log(`quote accuracy ceiling, ${label}: ${pct(result.quoteAccuracy)}`);
