import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { simdFits, simdInputGrad } from "./depthwise-backprop";
import { heapView, release, type Shape4, type TensorInfo } from "./kernel-utils";

// NASNet's "adjust" path subsamples the previous-previous output with a 1×1 average pool of stride 2. Its gradient
// just places each dy pixel on the input pixel it came from, but wasm's stock AvgPoolGrad runs its general windowed
// loop over the whole input (~3 ms per step on the stem's 48×48×16 map). Larger windows are a depthwise input
// gradient with a constant filter, 1/(KH·KW) as on cpu (which does not count padding out of the divisor), run by the
// depthwise SIMD loop for 1, 2 or 4k channels. Other cases keep the stock kernel.

interface Attrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: "floor" | "round" | "ceil";
}

/** AvgPoolGrad with a direct scatter for 1×1 windows; anything else goes to `stock`. */
export function makeAvgPoolGradConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }) => {
    const backend = args.backend as BackendWasm;
    const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
    const attrs = args.attrs as Attrs;
    const info = tf.backend_util.computePool2DInfo(
      input.shape as Shape4,
      attrs.filterSize,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    if (dy.dtype !== "float32") return stock.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]);
    const direct =
      info.filterHeight === 1 && info.filterWidth === 1 && info.padInfo.top === 0 && info.padInfo.left === 0;
    if (!direct) {
      if (!simdFits(info)) return stock.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]);
      const filter = backend.makeOutput([info.filterHeight, info.filterWidth, info.inChannels, 1], "float32");
      heapView(backend, filter).fill(1 / (info.filterHeight * info.filterWidth));
      const dx = simdInputGrad(backend, dy, filter, info);
      release(backend, filter);
      return dx;
    }
    const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo } = info;
    const dx = backend.makeOutput(input.shape, "float32");
    const src = heapView(backend, dy);
    const dst = heapView(backend, dx);
    dst.fill(0);
    for (let n = 0; n < N; n++) {
      for (let oh = 0; oh < Ho; oh++) {
        const ih = oh * info.strideHeight;
        for (let ow = 0; ow < Wo; ow++) {
          const from = ((n * Ho + oh) * Wo + ow) * C;
          const to = ((n * H + ih) * W + ow * info.strideWidth) * C;
          for (let c = 0; c < C; c++) dst[to + c] = src[from + c];
        }
      }
    }
    return dx;
  };
  return {
    kernelName: "AvgPoolGrad",
    backendName: "wasm",
    setupFunc: stock.setupFunc,
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
  };
}
