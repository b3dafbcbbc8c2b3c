import cliProgress from "cli-progress";
import type { Reporter } from "./train";

/** A Reporter for the CLIs: log lines to stderr, progress bars when stderr is a terminal. */
export function createCliReporter(): Reporter {
  const tty = Boolean(process.stderr.isTTY);
  return {
    log: (line) => process.stderr.write(`${line}\n`),
    progress(label, total) {
      if (!tty) {
        // Without a terminal a bar would print thousands of lines; report the end instead.
        const started = performance.now();
        let nextReport = 0.25;
        return {
          update(done, info) {
            if (total < 20 || done / total < nextReport) return;
            nextReport += 0.25;
            process.stderr.write(
              `${label}: ${done}/${total} ${((performance.now() - started) / 1000).toFixed(0)} s ${info ?? ""}\n`,
            );
          },
          stop: () =>
            process.stderr.write(`${label}: ${total} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`),
        };
      }
      const bar = new cliProgress.SingleBar(
        { format: `${label.padEnd(28)} [{bar}] {value}/{total} {eta_formatted} {info}`, stream: process.stderr },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { info: "" });
      return {
        update: (done, info) => bar.update(done, { info: info ?? "" }),
        stop: () => bar.stop(),
      };
    },
  };
}
