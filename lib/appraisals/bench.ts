// The seller-flow benchmark behind `npm run bench:appraise`: real HTTP POSTs against `next start`.
// No "server-only": a CLI imports it, and it never touches the database or the model itself.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface BenchOptions {
  /**
   * Photo sets; each is one appraisal's Front, Back, Other 1. Used in order across all levels and
   * cycled only when exhausted: with as many distinct sets as requests, no photo ever hits the
   * model's feature cache (keyed by pixel hash), so inference is measured, not skipped.
   */
  sets: Buffer[][];
  modelDir: string;
  port: number;
  /** Requests measured at concurrency 1 (after warm-up). */
  sequential: number;
  /** Requests per concurrent level. */
  concurrent: number;
  levels: number[];
  /** Optional second workload run at concurrency 1 and 8 on the same server (e.g. what browsers send). */
  secondary?: { label: string; sets: Buffer[][] };
  /** Extra node flags for the server process, e.g. `--cpu-prof` to see where its CPU goes. */
  serverNodeArgs?: string[];
  log: (line: string) => void;
}

export interface LevelResult {
  /** Which workload: "primary" or the secondary's label. */
  workload: string;
  concurrency: number;
  requests: number;
  errors: number;
  p50: number;
  p95: number;
  perSecond: number;
  /** Median of each Server-Timing stage, ms. */
  stages: Record<string, number>;
  /**
   * CPU time (all threads of the server's process tree) per successful appraisal, ms: what one
   * appraisal costs whatever else the machine runs, so `cores × 1000 / serverCpuMs` bounds throughput.
   */
  serverCpuMs: number;
}

const quantile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : Number.NaN;

/** One multipart body, built once per set so the client spends no CPU per request. */
export function multipartBody(files: Buffer[]): { body: Uint8Array<ArrayBuffer>; contentType: string } {
  const boundary = `----bench${randomBytes(8).toString("hex")}`;
  const parts: Buffer[] = [];
  files.forEach((file, slot) => {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="photos[${slot}]"; filename="IMG_${slot}.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
      ),
      file,
      Buffer.from("\r\n"),
    );
  });
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: new Uint8Array(Buffer.concat(parts)), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Starts the production server on a throwaway DATA_DIR; resolves once /api/health answers. */
async function startServer(
  port: number,
  modelDir: string,
  dataDir: string,
  nodeArgs: string[] = [],
): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [...nodeArgs, path.join("node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port)],
    {
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        MODEL_DIR: modelDir,
        LOG_LEVEL: "warn",
        DATABASE_URL: "",
        NODE_ENV: "production",
      },
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  child.kill();
  throw new Error("the server did not become healthy within 120 s");
}

interface Workload {
  bodies: { body: Uint8Array<ArrayBuffer>; contentType: string }[];
  /** Next body to send; shared by every level of one workload. */
  cursor: number;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** user + system CPU seconds of `pid` and all its descendants (Linux /proc); NaN elsewhere. */
function processTreeCpuSeconds(pid: number): number {
  if (!fs.existsSync("/proc/self/stat")) return Number.NaN;
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name may contain spaces and parentheses: fields start after the last ")".
      const raw = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = raw.slice(raw.lastIndexOf(")") + 2).split(" ");
      stats.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // the process exited while we listed /proc
    }
  }
  let ticks = 0;
  const pending = [pid];
  while (pending.length) {
    const current = pending.pop() as number;
    ticks += stats.get(current)?.ticks ?? 0;
    for (const [child, s] of stats) if (s.ppid === current) pending.push(child);
  }
  return ticks / CLOCK_TICKS_PER_SECOND;
}

async function runLevel(
  url: string,
  workload: Workload,
  concurrency: number,
  requests: number,
  serverPid: number,
): Promise<LevelResult> {
  const cpuBefore = processTreeCpuSeconds(serverPid);
  const latencies: number[] = [];
  const stages: Record<string, number[]> = {};
  let errors = 0;
  let sent = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < requests) {
        sent++;
        const { body, contentType } = workload.bodies[workload.cursor++ % workload.bodies.length];
        const t0 = performance.now();
        try {
          const res = await fetch(url, { method: "POST", body, headers: { "content-type": contentType } });
          await res.arrayBuffer();
          if (res.status !== 201) errors++;
          for (const part of (res.headers.get("server-timing") ?? "").split(",")) {
            const m = part.trim().match(/^(\w+);dur=([\d.]+)$/);
            if (!m) continue;
            stages[m[1]] ??= [];
            stages[m[1]].push(Number(m[2]));
          }
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const serverCpuMs = ((processTreeCpuSeconds(serverPid) - cpuBefore) * 1000) / Math.max(1, requests - errors);
  const sorted = latencies.sort((a, b) => a - b);
  return {
    workload: "primary",
    concurrency,
    requests,
    errors,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    perSecond: (requests - errors) / seconds,
    serverCpuMs,
    stages: Object.fromEntries(
      Object.entries(stages).map(([name, values]) => [
        name,
        quantile(
          values.sort((a, b) => a - b),
          0.5,
        ),
      ]),
    ),
  };
}

/** Runs the benchmark: warm-up, concurrency 1 latency, then throughput at each level. */
export async function benchAppraise(options: BenchOptions): Promise<LevelResult[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "appraise-bench-"));
  const server = await startServer(options.port, options.modelDir, dataDir, options.serverNodeArgs);
  const url = `http://127.0.0.1:${options.port}/api/appraisals`;
  const primary: Workload = { bodies: options.sets.map(multipartBody), cursor: 0 };
  try {
    // Warm-up: model workers, route compilation caches, the database connection.
    const pid = server.pid as number;
    const warm = await runLevel(url, primary, 1, 2, pid);
    if (warm.errors) {
      const [first] = primary.bodies;
      const res = await fetch(url, {
        method: "POST",
        body: first.body,
        headers: { "content-type": first.contentType },
      });
      throw new Error(`warm-up request failed: ${res.status} ${await res.text()}`);
    }
    const results = [await runLevel(url, primary, 1, options.sequential, pid)];
    for (const level of options.levels) results.push(await runLevel(url, primary, level, options.concurrent, pid));
    if (options.secondary) {
      const more: Workload = { bodies: options.secondary.sets.map(multipartBody), cursor: 0 };
      for (const level of [1, 8]) {
        const r = await runLevel(url, more, level, level === 1 ? options.sequential : options.concurrent, pid);
        results.push({ ...r, workload: options.secondary.label });
      }
    }
    return results;
  } finally {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
