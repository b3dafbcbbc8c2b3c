import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "@/lib/ml/backend";
import { assembleKernels } from "@/lib/ml/wasm/simd/build";
import { KERNELS_WASM_BASE64 } from "@/lib/ml/wasm/simd/kernels-wasm";
import { type Backend, liveCounts, randomValues, relativeError } from "./parity";

// Batch normalization's training call on wasm (one fused SIMD kernel and its gradient) against tfjs-layers' own
// composition on cpu, over random shapes and channel counts (spans of 4-float vectors must cover any channel count).

const TOLERANCE = 1e-4;

interface Case {
  shape: [number, number, number, number];
  seed: number;
}

const caseArb = fc.record({
  shape: fc.tuple(
    fc.integer({ min: 1, max: 3 }),
    fc.integer({ min: 1, max: 9 }),
    fc.integer({ min: 1, max: 9 }),
    fc.integer({ min: 1, max: 40 }),
  ),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
});

interface Result {
  y: Float32Array;
  grads: Float32Array[];
  moving: Float32Array[];
}

async function run(backend: Backend, c: Case): Promise<Result> {
  await initBackend({ backend, log: () => {} });
  const C = c.shape[3];
  const size = c.shape.reduce((a, b) => a * b, 1);
  return tf.tidy(() => {
    const layer = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-3 });
    // An offset mean checks that the variance does not lose precision to the mean.
    const x = tf.variable(
      tf.tensor4d(
        randomValues(size, c.seed).map((v) => 3 + v * 2),
        c.shape,
      ),
    );
    layer.apply(x, { training: false });
    layer.setWeights([
      tf.tensor1d(randomValues(C, c.seed + 1).map((v) => 1 + v / 2)),
      tf.tensor1d(randomValues(C, c.seed + 2)),
      tf.tensor1d(randomValues(C, c.seed + 3)),
      tf.tensor1d(randomValues(C, c.seed + 4).map((v) => 1 + v / 2)),
    ]);
    const weights = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const r = tf.tensor4d(randomValues(size, c.seed + 5), c.shape);
    let y = new Float32Array(0);
    const { value, grads } = tf.variableGrads(() => {
      const out = layer.apply(x, { training: true }) as tf.Tensor;
      y = (out.dataSync() as Float32Array).slice();
      return tf.sum(tf.mul(out, r)) as tf.Scalar;
    }, [x, ...weights]);
    value.dispose();
    const out = {
      y,
      grads: [x, ...weights].map((v) => grads[v.name].dataSync() as Float32Array),
      moving: layer
        .getWeights()
        .slice(2)
        .map((w) => w.dataSync() as Float32Array),
    };
    tf.dispose([x, ...Object.values(grads)]);
    layer.dispose();
    return out;
  });
}

describe("batch normalization training on wasm", () => {
  beforeAll(async () => {
    await initBackend({ backend: "wasm", log: () => {} });
  });

  it("ships kernels-wasm.ts assembled from the current kernels.wat", async () => {
    expect((await assembleKernels()).toString("base64")).toBe(KERNELS_WASM_BASE64);
  });

  it("matches cpu: output, gradients of x, gamma and beta, moving statistics", async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const cpu = await run("cpu", c);
        const wasm = await run("wasm", c);
        expect(relativeError(wasm.y, cpu.y)).toBeLessThan(TOLERANCE);
        // A channel with one value (or identical values) has zero variance: dx is float32 noise around zero there.
        wasm.grads.forEach((g, i) => {
          expect(relativeError(g, cpu.grads[i], 1)).toBeLessThan(TOLERANCE);
        });
        wasm.moving.forEach((m, i) => {
          expect(relativeError(m, cpu.moving[i])).toBeLessThan(TOLERANCE);
        });
      }),
      { numRuns: 40 },
    );
  });

  it("leaves no tensors or wasm data behind", async () => {
    const c: Case = { shape: [2, 5, 5, 6], seed: 9 };
    await run("wasm", c);
    const before = liveCounts();
    await run("wasm", c);
    expect(liveCounts()).toEqual(before);
  });
});
