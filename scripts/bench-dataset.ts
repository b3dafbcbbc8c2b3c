// npm run bench:dataset [-- --items 150 --runs 3 --size 640x480] — dataset generation throughput; last line "photos/s: <n>"
import os from "node:os";
import { parseArgs } from "node:util";
import { benchmarkGeneration } from "../lib/dataset/bench";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      items: { type: "string", default: "150" },
      runs: { type: "string", default: "3" },
      size: { type: "string", default: "640x480" },
    },
  });
  const items = Number(values.items);
  const runs = Number(values.runs);
  if (!Number.isInteger(items) || items < 1 || !Number.isInteger(runs) || runs < 1) {
    throw new Error("--items and --runs must be positive integers");
  }
  console.log(
    `generating ${items} items × ${runs} runs at ${values.size}; load average ${os.loadavg()[0].toFixed(2)} on ${os.availableParallelism()} cores`,
  );
  const result = await benchmarkGeneration({
    items,
    runs,
    size: values.size,
    onRun: (run, i) =>
      console.log(
        `run ${i + 1}: ${run.photos} photos in ${(run.wallMs / 1000).toFixed(2)} s = ${(run.photos / (run.wallMs / 1000)).toFixed(1)} photos/s, ${(run.cpuMs / run.photos).toFixed(1)} CPU-ms/photo`,
      ),
  });
  console.log(
    `median CPU cost: ${result.cpuMsPerPhoto.toFixed(1)} ms/photo → ${result.idleEstimatePhotosPerSecond.toFixed(0)} photos/s if all ${result.cores} cores were ours`,
  );
  console.log(`load average after: ${os.loadavg()[0].toFixed(2)}`);
  console.log(`photos/s: ${result.photosPerSecond.toFixed(1)}`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
