import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { TensorInfo } from "./kernel-utils";

// tfjs-backend-wasm has no UnsortedSegmentSum, which is gather's gradient: without it any model that gathers rows
// (embeddings, batch selection inside a loss) cannot train on wasm. Rows with an id outside [0, numSegments) are
// dropped, as on cpu.

const NAME = "UnsortedSegmentSum";

function unsortedSegmentSum(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, segmentIds } = args.inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = args.attrs as { numSegments: number };
  if (x.dtype !== "float32" && x.dtype !== "int32") {
    throw new Error(`${NAME} on wasm: unsupported dtype ${x.dtype} (only float32 and int32)`);
  }
  if (segmentIds.shape.length !== 1 || segmentIds.shape[0] !== x.shape[0]) {
    throw new Error(`${NAME} on wasm: segmentIds must be one id per row of x`);
  }
  const width = tf.util.sizeFromShape(x.shape.slice(1));
  const out = backend.makeOutput([numSegments, ...x.shape.slice(1)], x.dtype);
  const src = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
  const ids = backend.typedArrayFromHeap(segmentIds) as Int32Array | Float32Array;
  const dst = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
  dst.fill(0);
  for (let row = 0; row < ids.length; row++) {
    const segment = ids[row];
    if (segment < 0 || segment >= numSegments) continue;
    const from = row * width;
    const to = segment * width;
    for (let j = 0; j < width; j++) dst[to + j] += src[from + j];
  }
  return out;
}

export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: NAME,
  backendName: "wasm",
  kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc,
};
