// npm run bench:infer [-- --model models/default --runs 20 --cpu-runs 5]: ms per photo on wasm beside cpu, same model.
import { parseArgs } from "node:util";
import { benchInference } from "../lib/ml/bench-infer";

const { values } = parseArgs({
  options: {
    model: { type: "string", default: "models/default" },
    runs: { type: "string", default: "20" },
    "cpu-runs": { type: "string", default: "5" },
    photos: { type: "string", default: "4" },
  },
});

const results = await benchInference(
  values.model,
  [
    { backend: "wasm", runs: Number(values.runs) },
    { backend: "cpu", runs: Number(values["cpu-runs"]) },
  ],
  Number(values.photos),
);
process.stdout.write("| backend | ms/photo (median) | runs | photos per call |\n|---|---|---|---|\n");
for (const r of results)
  process.stdout.write(`| ${r.backend} | ${r.msPerPhoto.toFixed(2)} | ${r.runs} | ${r.photosPerCall} |\n`);
const wasm = results.find((r) => r.backend === "wasm");
const cpu = results.find((r) => r.backend === "cpu");
if (wasm && cpu)
  process.stdout.write(
    `wasm ms/photo: ${wasm.msPerPhoto.toFixed(2)}\nwasm-vs-cpu inference speedup: ${(cpu.msPerPhoto / wasm.msPerPhoto).toFixed(1)}x\n`,
  );
