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
  dx.fill(0);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < Ho; oh++) {
      const ih0 = oh * SH - top;
      const khStart = Math.max(0, -ih0);
      const khEnd = Math.min(KH, H - ih0);
      for (let ow = 0; ow < Wo; ow++) {
        const iw0 = ow * SW - left;
        const kwStart = Math.max(0, -iw0);
        const kwEnd = Math.min(KW, W - iw0);
        if (khEnd <= khStart || kwEnd <= kwStart) continue;
        const dyBase = ((n * Ho + oh) * Wo + ow) * C;
        const first = ((n * H + ih0 + khStart) * W + iw0 + kwStart) * C;
        // Per channel, the first strict maximum in row-major window order (cpu's rule); the window bounds are
        // clipped once per pixel instead of testing every tap.
        for (let c = 0; c < C; c++) {
          let where = first + c;
          let best = x[where];
          for (let kh = khStart; kh < khEnd; kh++) {
            let at = ((n * H + ih0 + kh) * W + iw0 + kwStart) * C + c;
            for (let kw = kwStart; kw < kwEnd; kw++, at += C) {
              if (x[at] > best) {
                best = x[at];
                where = at;
              }
            }
          }
          dx[where] += dy[dyBase + c];
        }
      }
    }
  }
}

export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: NAME,
  backendName: "wasm",
  kernelFunc: maxPoolGrad as unknown as tf.KernelFunc,
};
