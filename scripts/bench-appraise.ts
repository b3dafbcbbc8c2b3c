// npm run bench:appraise [-- --model DIR --sequential N --concurrent N --sets N (base scenes) --cpu-prof DIR]
// End-to-end POST /api/appraisals of 3 × 12 MP JPEGs over loopback against the production build.
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import sharp from "sharp";
import { UPLOAD_MAX_SIDE } from "../components/seller/shrink";
import { benchAppraise } from "../lib/appraisals/bench";
import { sceneJpeg } from "../tests/fixtures/images/scene";

const scenePixelsJpeg = (seed: number) => sceneJpeg(4000, 3000, { seed, grain: 14, texture: 48 });

const { values } = parseArgs({
  options: {
    model: { type: "string", default: "models/default" },
    port: { type: "string", default: "3290" },
    sequential: { type: "string", default: "20" },
    concurrent: { type: "string", default: "40" },
    sets: { type: "string", default: "4" },
    // Writes the server's V8 CPU profile (.cpuprofile, open in Chrome DevTools) into DIR when it stops.
    "cpu-prof": { type: "string" },
  },
});
const int = (name: string, v: string | undefined) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
  return n;
};

execFileSync(process.execPath, ["scripts/ensure-build.mjs"], { stdio: "inherit" });

// Grain makes each file as large as a real phone photo (~2.5 MB). A few base scenes are rendered,
// then every request gets its own variant (all pixels shifted by a small offset, re-encoded), so
// no request hits the model's feature cache.
const sequential = int("sequential", values.sequential);
const concurrent = int("concurrent", values.concurrent);
const requests = 2 + sequential + 2 * concurrent;
const baseCount = int("sets", values.sets);
const bases = await Promise.all(
  Array.from({ length: baseCount }, (_, s) =>
    Promise.all([0, 1, 2].map((slot) => scenePixelsJpeg(1000 + s * 3 + slot))),
  ),
);
const started = performance.now();
const variant = (jpeg: Buffer, offset: number, size?: number) => {
  let img = sharp(jpeg).linear(1, offset);
  if (size) img = img.resize(size, size, { fit: "inside" });
  return img.jpeg({ quality: 90 }).toBuffer();
};
const sets: Buffer[][] = [];
for (let i = 0; i < requests; i++) {
  sets.push(await Promise.all(bases[i % baseCount].map((jpeg) => variant(jpeg, 1 + Math.floor(i / baseCount)))));
}
// What the upload page actually sends: the photos shrunk in the browser (components/seller/shrink.ts).
const browserSets: Buffer[][] = [];
for (let i = 0; i < 2 + sequential + concurrent; i++) {
  browserSets.push(
    await Promise.all(
      bases[i % baseCount].map((jpeg) => variant(jpeg, -1 - Math.floor(i / baseCount), UPLOAD_MAX_SIDE)),
    ),
  );
}
const mb = sets.flat().reduce((n, b) => n + b.length, 0) / sets.flat().length / (1024 * 1024);
console.log(
  `${requests} distinct photo sets × 3 JPEGs, 4000×3000 (12 MP), ${mb.toFixed(1)} MB each on average ` +
    `(prepared in ${((performance.now() - started) / 1000).toFixed(0)} s); ${os.availableParallelism()} CPUs, load ${os.loadavg()[0].toFixed(1)}`,
);

const results = await benchAppraise({
  sets,
  modelDir: path.resolve(values.model),
  port: int("port", values.port),
  sequential,
  concurrent,
  levels: [4, 8],
  serverNodeArgs: values["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(values["cpu-prof"])}`] : [],
  secondary: {
    label: `as the browser sends them (3 × ${UPLOAD_MAX_SIDE}×${(UPLOAD_MAX_SIDE * 3) / 4})`,
    sets: browserSets,
  },
  log: console.log,
});
const ms = (x: number) => `${x.toFixed(0)} ms`;
for (const r of results) {
  console.log(
    `${r.workload === "primary" ? "" : `${r.workload}, `}concurrency ${r.concurrency}: ${r.requests} requests, ${r.errors} errors, p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, ${r.perSecond.toFixed(2)} appraisals/s`,
  );
  const stages = Object.entries(r.stages).map(([name, v]) => `${name} ${ms(v)}`);
  if (stages.length) console.log(`  server stages (median): ${stages.join(", ")}`);
  console.log(
    `  server CPU per appraisal: ${ms(r.serverCpuMs)} (all threads; at most ${((os.availableParallelism() * 1000) / r.serverCpuMs).toFixed(1)} appraisals/s on ${os.availableParallelism()} cores)`,
  );
}
const c8 = results.find((r) => r.workload === "primary" && r.concurrency === 8);
console.log(`appraisals/s at concurrency 8: ${c8 ? c8.perSecond.toFixed(2) : "n/a"}`);
