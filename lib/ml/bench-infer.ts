import { load } from "./appraisal-model";
import { type BackendName, ensureBackend } from "./runtime";

/** Inference speed of one model on several backends, measured side by side in one process. */

export interface InferBenchResult {
  backend: BackendName;
  /** Median over runs of (time of one predict call / photos in it). */
  msPerPhoto: number;
  runs: number;
  photosPerCall: number;
}

function pixelsFor(seed: number, size: number): Uint8Array {
  const px = new Uint8Array(size * size * 3);
  let s = seed >>> 0;
  for (let i = 0; i < px.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    px[i] = s >>> 24;
  }
  return px;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Times predict() (backbone on every photo: no checksums, so no cache) on each backend. */
export async function benchInference(
  modelDir: string,
  backends: { backend: BackendName; runs: number }[],
  photosPerCall = 4,
): Promise<InferBenchResult[]> {
  const results: InferBenchResult[] = [];
  for (const { backend, runs } of backends) {
    await ensureBackend(backend, (line) => process.stderr.write(`${line}\n`));
    const model = await load(modelDir, { backend });
    const size = model.card.inputSize;
    const times: number[] = [];
    for (let r = 0; r < runs + 1; r++) {
      const photos = Array.from({ length: photosPerCall }, (_, j) => ({
        pixels: pixelsFor(r * 31 + j, size),
        slot: j,
      }));
      const started = performance.now();
      await model.predict(photos);
      // The first run after warm-up still pays one-off allocations; it is not counted.
      if (r > 0) times.push((performance.now() - started) / photosPerCall);
    }
    model.dispose();
    results.push({ backend, msPerPhoto: median(times), runs, photosPerCall });
  }
  return results;
}
