// npm run bench:train [-- --quick]: wasm vs cpu training throughput on the backbone `npm run train` builds, per-kernel
// GFLOP/s, two-worker speed-up.
import * as tf from "@tensorflow/tfjs";
import { buildBackbone } from "../lib/ml/backbone";
import { measureTwoWorkerScaling } from "../lib/ml/parallel/measure";
import { DEFAULT_TRAIN_CONFIG } from "../lib/ml/train";
import {
  type KernelStat,
  type ModelSpec,
  machineLoad,
  machineSummary,
  measureMatmulPeak,
  profileTrainingStep,
  type StepTiming,
  timeModel,
} from "../lib/ml/wasm/benchmark";
import { buildReferenceNet, REFERENCE_CLASSES, REFERENCE_INPUT_SIZE } from "../lib/ml/wasm/reference-net";

// The backbone `npm run train` builds, i.e. the bundled model's (one stem reduction, first stack at 24×24).
const DEFAULT_BACKBONE = DEFAULT_TRAIN_CONFIG.backbone;

const quick = process.argv.includes("--quick");
const BATCH = 16;

const reference: ModelSpec = {
  name: "reference net (issue baseline)",
  inputSize: REFERENCE_INPUT_SIZE,
  classes: REFERENCE_CLASSES,
  build: buildReferenceNet,
};

const backbone: ModelSpec = {
  name: `NASNet backbone ${DEFAULT_BACKBONE.cells}@${DEFAULT_BACKBONE.penultimateFilters}`,
  inputSize: DEFAULT_BACKBONE.inputSize,
  classes: 8,
  build: () => {
    const features = buildBackbone(DEFAULT_BACKBONE);
    const out = tf.layers.dense({ units: 8, activation: "softmax" }).apply(features.outputs[0]) as tf.SymbolicTensor;
    return tf.model({ inputs: features.inputs, outputs: out });
  },
};

// cpu needs ~8 s per image and step on the reference net: --quick times cpu on one image of the backbone only, after
// a warm-up step (cpu kernels do no batching, so per-image throughput carries over), and skips cpu on the reference net.
const plan = quick
  ? {
      wasm: { inferReps: 2, trainSteps: 2 },
      cpuBatch: { reference: 0, backbone: 1 },
      parallel: { batches: [16], steps: 2, rounds: 1 },
    }
  : {
      wasm: { inferReps: 5, trainSteps: 5 },
      cpuBatch: { reference: BATCH, backbone: BATCH },
      parallel: { batches: [16, 32], steps: 4, rounds: 5 },
    };

// The measurement of the same reference net on the cpu backend (162.5 s for one step of 16 images).
const QUOTED_CPU_REFERENCE_STEP_MS = 162_500;

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "–");
const perSecond = (t: StepTiming) => (t.batch * 1000) / t.stepMs;
const perCpuSecond = (t: StepTiming) => (t.batch * 1000) / t.stepCpuMs;

function row(spec: ModelSpec, t: StepTiming): string {
  const ratio = Number.isFinite(t.inferCpuMs) ? `${fmt(t.stepCpuMs / t.inferCpuMs)}×` : "–";
  return [
    spec.name.padEnd(30),
    String(t.params).padStart(7),
    t.backend.padEnd(5),
    String(t.batch).padStart(5),
    `${fmt(t.inferMs)}/${fmt(t.inferCpuMs)}`.padStart(13),
    `${fmt(t.stepMs)}/${fmt(t.stepCpuMs)}`.padStart(17),
    `${fmt(perSecond(t), 2)}/${fmt(perCpuSecond(t), 2)}`.padStart(12),
    ratio.padStart(10),
  ].join("  ");
}

function kernelRow(k: KernelStat): string {
  const gflops = k.gflop > 0 ? fmt(k.gflop / (k.ms / 1000), 2) : "";
  return `  ${k.kernel.padEnd(38)} ${String(k.calls).padStart(5)} ${fmt(k.ms).padStart(8)} ${(k.gflop > 0 ? fmt(k.gflop, 3) : "").padStart(8)} ${gflops.padStart(8)}`;
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(`bench:train${quick ? " --quick" : ""} — ${machineSummary()}`);
  console.log("Training step = forward + backward + Adam (FastAdam) on one batch via trainOnBatch; medians.");
  console.log("Each time is wall / process-CPU milliseconds: CPU time is what one core spends, whatever else runs.\n");
  console.log(
    `${"model".padEnd(30)}  ${"params".padStart(7)}  backend  ${"batch".padStart(5)}  ${"infer ms".padStart(13)}  ${"step ms".padStart(17)}  ${"img-steps/s".padStart(12)}  ${"step/infer".padStart(10)}`,
  );
  const results = new Map<string, { wasm: StepTiming; cpu: StepTiming; cpuMeasured: boolean }>();
  for (const spec of [backbone, reference]) {
    const wasm = await timeModel(spec, "wasm", BATCH, plan.wasm);
    console.log(row(spec, wasm));
    if (spec === backbone && !quick) {
      const stock = await timeModel(spec, "wasm", BATCH, {
        inferReps: 0,
        trainSteps: 3,
        optimizer: () => tf.train.adam(1e-3),
      });
      console.log(`${row(spec, stock)}  (tf.train.adam instead of FastAdam)`);
    }
    const cpuBatch = spec === reference ? plan.cpuBatch.reference : plan.cpuBatch.backbone;
    if (cpuBatch > 0) {
      // The full batch takes minutes on cpu: no warm-up there; --quick's single image gets one, so it is not all overhead.
      const cpu = await timeModel(spec, "cpu", cpuBatch, { inferReps: 0, trainSteps: 1, warmup: quick });
      console.log(row(spec, cpu));
      results.set(spec.name, { wasm, cpu, cpuMeasured: true });
    } else {
      const cpu: StepTiming = {
        ...wasm,
        backend: "cpu",
        inferMs: Number.NaN,
        inferCpuMs: Number.NaN,
        stepMs: QUOTED_CPU_REFERENCE_STEP_MS,
        stepCpuMs: QUOTED_CPU_REFERENCE_STEP_MS,
      };
      console.log(`${row(spec, cpu)}  (quoted from the issue, not measured in --quick)`);
      results.set(spec.name, { wasm, cpu, cpuMeasured: false });
    }
  }
  console.log(
    quick
      ? "  (--quick: cpu timed for one step of one image after a warm-up step; without --quick cpu runs the full batch)"
      : "  (cpu: one step of the full batch, no warm-up)",
  );

  const peak = await measureMatmulPeak();
  const kernels = await profileTrainingStep(backbone, BATCH);
  const profiled = kernels.reduce((sum, k) => sum + k.ms, 0);
  console.log(
    `\nPer-kernel, one profiled wasm training step of ${backbone.name}, batch ${BATCH} (${fmt(profiled)} ms in kernels):`,
  );
  console.log(
    `  ${"kernel".padEnd(38)} ${"calls".padStart(5)} ${"ms".padStart(8)} ${"GFLOP".padStart(8)} ${"GFLOP/s".padStart(8)}`,
  );
  for (const k of kernels.slice(0, quick ? 14 : 24)) console.log(kernelRow(k));
  console.log(`  wasm matmul peak in this run: ${fmt(peak.gflops, 2)} GFLOP/s (${peak.shape})`);

  // The project's pretraining batch is 32; per-step costs that do not shrink with the shard weigh less there.
  const { batches, steps, rounds } = plan.parallel;
  for (const batch of batches) {
    const scaling = await measureTwoWorkerScaling(batch, steps, rounds, DEFAULT_BACKBONE);
    console.log(
      `\nData-parallel trainer, ${backbone.name}, batch ${batch}: median wall ms per step, ${rounds} interleaved round(s)`,
    );
    console.log("  round  1 worker  2 workers  2 without gradient exchange");
    for (const [i, r] of scaling.rounds.entries()) {
      const cells = [fmt(r.oneMs).padStart(8), fmt(r.twoMs).padStart(9), fmt(r.independentMs).padStart(9)];
      console.log(`  ${String(i + 1).padStart(5)}  ${cells.join("  ")}`);
    }
    console.log(
      `  two-worker speed-up: ${fmt(scaling.speedup, 2)}x (median of rounds; load average ${machineLoad()}); ` +
        `the second core gave ${fmt(scaling.ceiling, 2)}x to two workers exchanging nothing`,
    );
  }

  for (const spec of [backbone, reference]) {
    const r = results.get(spec.name);
    if (!r) continue;
    const quoted = r.cpuMeasured ? "" : " (cpu quoted from the issue)";
    console.log(
      `\n${spec.name}: wasm vs cpu, one core: ${fmt(perCpuSecond(r.wasm) / perCpuSecond(r.cpu))}x by CPU time, ${fmt(perSecond(r.wasm) / perSecond(r.cpu))}x by wall clock${quoted}; training step = ${fmt(r.wasm.stepCpuMs / r.wasm.inferCpuMs)}× wasm inference (CPU time)`,
    );
  }
  console.log(`\n(total ${fmt((performance.now() - started) / 1000)} s)`);
  const target = results.get(backbone.name);
  if (!target) throw new Error("backbone not measured");
  console.log(`wasm-vs-cpu training speedup: ${fmt(perCpuSecond(target.wasm) / perCpuSecond(target.cpu))}x`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
