import * as tf from "@tensorflow/tfjs";
import { initBackend } from "@/lib/ml/backend";

// Shared helpers: run the same computation on cpu and on wasm from plain arrays, and compare.

export type Backend = "cpu" | "wasm";

/** Runs `fn` on a backend and returns its outputs as plain arrays, leaving no tensors behind. */
export async function runOn(backend: Backend, fn: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await initBackend({ backend, log: () => {} });
  const outputs = tf.tidy(fn);
  const list = Array.isArray(outputs) ? outputs : [outputs];
  const values = list.map((t) => t.dataSync() as Float32Array);
  tf.dispose(list);
  return values;
}

/** max |a − b| / max(max |b|, floor): error relative to the reference's scale, robust to near-zero entries. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>, floor = 0): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  scale = Math.max(scale, floor);
  return scale === 0 ? diff : diff / scale;
}

/** Deterministic pseudo-random values in [-1, 1). */
export function randomValues(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 2 ** 32) * 2 - 1;
  }
  return out;
}

/** Tensors and data ids alive on the current backend, to check a block for leaks. */
export function liveCounts(): { tensors: number; dataIds: number } {
  return { tensors: tf.memory().numTensors, dataIds: tf.engine().backend.numDataIds() };
}
