import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { assertFloat32, heapView, type Shape4, type TensorInfo } from "./kernel-utils";

// wasm's stock MaxPoolGrad routes gradients to the wrong pixels for some shapes (e.g. 3×3 stride 2 "same" on 8×8×24,
// 41% error against cpu), which silently corrupts every layer below a NASNet reduction cell. This follows the cpu
// backend's rule exactly: each window's gradient goes to its first maximum in row-major order, padding never wins.

const NAME = "MaxPoolGrad";

interface Attrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: "floor" | "round" | "ceil";
}

function maxPoolGrad(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
  const attrs = args.attrs as Attrs;
  assertFloat32(NAME, dy, input);
  const info = tf.backend_util.computePool2DInfo(
    input.shape as Shape4,
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const dx = backend.makeOutput(input.shape, "float32");
  routeToMaxima(heapView(backend, input), heapView(backend, dy), heapView(backend, dx), info);
  return dx;
}

function routeToMaxima(x: Float32Array, dy: Float32Array, dx: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const best = new Float32Array(C);
  const where = new Int32Array(C);
  dx.fill(0);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < Ho; oh++) {
      const ih0 = oh * SH - top;
      for (let ow = 0; ow < Wo; ow++) {
        const iw0 = ow * SW - left;
        // Plain loops: TypedArray.fill costs more than the 2–32 stores it does here.
        for (let c = 0; c < C; c++) {
          best[c] = Number.NEGATIVE_INFINITY;
          where[c] = -1;
        }
        for (let kh = 0; kh < KH; kh++) {
          const ih = ih0 + kh;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = iw0 + kw;
            if (iw < 0 || iw >= W) continue;
            const base = ((n * H + ih) * W + iw) * C;
            for (let c = 0; c < C; c++) {
              const v = x[base + c];
              if (v > best[c] || where[c] < 0) {
                best[c] = v;
                where[c] = base + c;
              }
            }
          }
        }
        const dyBase = ((n * Ho + oh) * Wo + ow) * C;
        for (let c = 0; c < C; c++) if (where[c] >= 0) dx[where[c]] += dy[dyBase + c];
      }
    }
  }
}

export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: NAME,
  backendName: "wasm",
  kernelFunc: maxPoolGrad as unknown as tf.KernelFunc,
};
