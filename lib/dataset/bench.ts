import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { generateDataset } from "./generate";

export interface BenchRun {
  photos: number;
  wallMs: number;
  /** CPU time of this process (main thread + libuv/libvips threads). */
  cpuMs: number;
}

export interface BenchResult {
  runs: BenchRun[];
  /** Median wall-clock throughput: what this machine delivered right now, contention included. */
  photosPerSecond: number;
  /** Median CPU cost per photo: comparable across runs however busy the machine is. */
  cpuMsPerPhoto: number;
  /** What the CPU cost allows with every core to ourselves. */
  idleEstimatePhotosPerSecond: number;
  cores: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Generates `items` items `runs` times into a temporary directory and measures throughput. */
export async function benchmarkGeneration(options: {
  items: number;
  runs: number;
  size?: string;
  onRun?: (run: BenchRun, index: number) => void;
}): Promise<BenchResult> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "bench-dataset-"));
  const runs: BenchRun[] = [];
  try {
    // One small warm-up so librsvg/fontconfig initialisation is not billed to the first run.
    await generateDataset({ items: 4, seed: 0, out: dir, size: options.size });
    for (let i = 0; i < options.runs; i++) {
      const cpu0 = process.cpuUsage();
      const result = await generateDataset({ items: options.items, seed: 1000 + i, out: dir, size: options.size });
      const cpu = process.cpuUsage(cpu0);
      const run = { photos: result.photos, wallMs: result.elapsedMs, cpuMs: (cpu.user + cpu.system) / 1000 };
      runs.push(run);
      options.onRun?.(run, i);
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
  const cores = os.availableParallelism();
  const cpuMsPerPhoto = median(runs.map((r) => r.cpuMs / r.photos));
  return {
    runs,
    photosPerSecond: median(runs.map((r) => r.photos / (r.wallMs / 1000))),
    cpuMsPerPhoto,
    idleEstimatePhotosPerSecond: (cores * 1000) / cpuMsPerPhoto,
    cores,
  };
}
