// npm run bench:ingest [-- --runs N --model DIR] – photo ingestion speed and decompression-bomb refusal.
import { availableParallelism, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { type BombResult, benchmarkDerivatives, refuseBomb } from "../lib/images/benchmark";
import { DERIVATIVE_SIZES } from "../lib/images/derivatives";
import { readModelCard } from "../lib/ml/model-card";
import { pngBomb } from "../tests/fixtures/images/png";
import { sceneJpeg } from "../tests/fixtures/images/scene";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "31" }, model: { type: "string", default: "models/default" } },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs must be a positive integer");

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(0)} MB`;
const peakRss = () => process.resourceUsage().maxRSS * 1024;

// Bombs first, in a process that has decoded nothing yet, so the peak RSS is the refusal's own.
const side = 16384;
const bombs: [string, Buffer, number][] = [
  ["1-bit grey", await pngBomb(side, 1, 0), 1],
  ["8-bit RGB", await pngBomb(side, 8, 2), 3],
];
const results: BombResult[] = [];
for (const [label, bomb, channels] of bombs) {
  const result = await refuseBomb(bomb, side, side, channels);
  results.push(result);
  console.log(
    `256-MP PNG bomb (${label}, ${(bomb.length / 1024).toFixed(0)} KB file, ${mb(result.decodedBytes)} decoded): ` +
      `refused ${result.code} in ${result.refusedMs.toFixed(1)} ms — "${result.message}"`,
  );
}
const bombPeak = peakRss();
console.log(`peak RSS of the process while refusing the bombs: ${mb(bombPeak)} (target < 300 MB)`);

// Grain and surface texture make the file as large as a real phone photo (~2.7 MB, so entropy
// decoding costs what it does on one) and keep detail at display size, so the WebP encoder works
// as hard as on a photo (grain alone averages away and left a 9-KB, unrealistically cheap copy).
const jpeg = await sceneJpeg(4000, 3000, { grain: 14, texture: 48 });
console.log(`12 MP test JPEG: 4000×3000, ${(jpeg.length / (1024 * 1024)).toFixed(1)} MB, ${runs} runs interleaved`);
// The model input is made at the size the served model takes, as in the app.
const { inputSize } = await readModelCard(values.model);
const t = await benchmarkDerivatives(jpeg, runs, inputSize);
console.log(`full decode of every pixel (reference):  ${t.fullDecodeMs.toFixed(1)} ms median`);
console.log(`naive derivatives (full decode, effort 4): ${t.naiveMs.toFixed(1)} ms median`);
console.log(`1600-px display copy (no shrink-on-load): ${t.largerCopiesMs.toFixed(1)} ms median`);
console.log(`1280-px display copy (half-resolution decode): ${t.halfDecodeMs.toFixed(1)} ms median`);
console.log(`${DERIVATIVE_SIZES.display}-px display copy, derivatives only: ${t.derivativesMs.toFixed(1)} ms median`);
console.log(`floor: decode + display WebP only (1 pipeline): ${t.displayOnlyMs.toFixed(1)} ms median`);
console.log(
  `Display P3-tagged photo: processPhoto ${t.p3IngestMs.toFixed(1)} ms median; 1280-px copies ${t.p3HalfDecodeMs.toFixed(1)} ms median`,
);
console.log(
  `as the upload page sends it (${DERIVATIVE_SIZES.display} px, JPEG q90, ${(t.uploadPageBytes / 1024).toFixed(0)} KB): ` +
    `processPhoto ${t.uploadPageMs.toFixed(1)} ms median, CPU ${t.uploadPageCpuMs.toFixed(1)} ms`,
);
console.log(
  `stored copies: display ${(t.bytes.display / 1024).toFixed(0)} KB, thumb ${(t.bytes.thumb / 1024).toFixed(0)} KB`,
);
console.log(
  `ratio naive / processPhoto: ${(t.naiveMs / t.ingestMs).toFixed(2)}×; full decode / processPhoto: ${(t.fullDecodeMs / t.ingestMs).toFixed(2)}×`,
);
console.log(
  `CPU time per run (all threads, independent of other load): processPhoto ${t.ingestCpuMs.toFixed(1)} ms, full decode ${t.fullDecodeCpuMs.toFixed(1)} ms`,
);
console.log(`load average during the run: ${loadavg()[0].toFixed(2)} on ${availableParallelism()} cores`);
console.log(`ratio 1280-px copies / processPhoto: ${(t.halfDecodeMs / t.ingestMs).toFixed(2)}×`);
console.log(`12MP JPEG to derivatives: ${t.ingestMs.toFixed(1)} ms median`);
