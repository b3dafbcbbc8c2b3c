import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { TensorInfo } from "./kernel-utils";

// Batch norm's gradient tiles per-channel vectors to full activation size; wasm's Tile takes ~130 ms for
// [1,1,1,32] → [16,64,64,32] (a third of a training step). Tiling is pure copying: each axis repeats a contiguous
// block, which copyWithin doubles in O(log reps) memmoves.

const NAME = "Tile";

function tile(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x } = args.inputs as { x: TensorInfo };
  const { reps } = args.attrs as { reps: number[] };
  if (x.dtype === "string") throw new Error(`${NAME} on wasm: unsupported dtype string`);
  const shape = x.shape;
  const outShape = shape.map((d, i) => d * reps[i]);
  const out = backend.makeOutput(outShape, x.dtype);
  if (outShape.some((d) => d === 0)) return out;
  if (shape.length === 0) {
    backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(x));
    return out;
  }
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const rank = shape.length;
  const srcStrides = new Array<number>(rank);
  const dstStrides = new Array<number>(rank);
  srcStrides[rank - 1] = 1;
  dstStrides[rank - 1] = 1;
  for (let i = rank - 2; i >= 0; i--) {
    srcStrides[i] = srcStrides[i + 1] * shape[i + 1];
    dstStrides[i] = dstStrides[i + 1] * outShape[i + 1];
  }
  const fill = (axis: number, srcOffset: number, dstOffset: number): void => {
    if (axis === rank - 1) {
      dst.set(src.subarray(srcOffset, srcOffset + shape[axis]), dstOffset);
    } else {
      for (let i = 0; i < shape[axis]; i++)
        fill(axis + 1, srcOffset + i * srcStrides[axis], dstOffset + i * dstStrides[axis]);
    }
    repeatBlock(dst, dstOffset, shape[axis] * dstStrides[axis], reps[axis]);
  };
  fill(0, 0, 0);
  return out;
}

/** Repeats dst[start, start+size) `times` times in place, doubling the copied span each round. */
function repeatBlock(dst: tf.TypedArray, start: number, size: number, times: number): void {
  const total = size * times;
  for (let done = size; done < total; done *= 2) {
    const span = Math.min(done, total - done);
    dst.copyWithin(start + done, start, start + span);
  }
}

export const tileConfig: tf.KernelConfig = {
  kernelName: NAME,
  backendName: "wasm",
  kernelFunc: tile as unknown as tf.KernelFunc,
};
