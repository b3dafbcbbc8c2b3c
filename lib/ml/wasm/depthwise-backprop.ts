import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { assertFloat32, assertSupported, heapView, type Shape4, type TensorInfo } from "./kernel-utils";

// Depthwise gradients as direct loops over the wasm heap: with 9 taps per channel there is no matmul to hand off to,
// and a loop that runs channels innermost (NHWC-contiguous) beats composing wasm kernels for these shapes.

type Padding = "valid" | "same" | number | tf.backend_util.ExplicitPadding;

interface FilterAttrs {
  strides: number | [number, number];
  dilations?: number | [number, number];
  pad: Padding;
  dimRoundingMode?: "floor" | "round" | "ceil";
  dataFormat?: string;
  filterShape: Shape4;
}

interface InputAttrs extends Omit<FilterAttrs, "filterShape"> {
  inputShape: Shape4;
}

const FILTER_NAME = "DepthwiseConv2dNativeBackpropFilter";
const INPUT_NAME = "DepthwiseConv2dNativeBackpropInput";

function depthwiseInfo(inShape: Shape4, filterShape: Shape4, attrs: FilterAttrs | InputAttrs) {
  return tf.backend_util.computeConv2DInfo(
    inShape,
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
}

function depthwiseBackpropFilter(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs: unknown;
}): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const attrs = args.attrs as FilterAttrs;
  assertSupported(FILTER_NAME, attrs);
  assertFloat32(FILTER_NAME, x, dy);
  const info = depthwiseInfo(x.shape as Shape4, attrs.filterShape, attrs);
  const out = backend.makeOutput(attrs.filterShape, "float32");
  accumulateFilterGrad(heapView(backend, x), heapView(backend, dy), heapView(backend, out), info);
  return out;
}

function depthwiseBackpropInput(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const attrs = args.attrs as InputAttrs;
  assertSupported(INPUT_NAME, attrs);
  assertFloat32(INPUT_NAME, dy, filter);
  const info = depthwiseInfo(attrs.inputShape, filter.shape as Shape4, attrs);
  const out = backend.makeOutput(attrs.inputShape, "float32");
  accumulateInputGrad(heapView(backend, dy), heapView(backend, filter), heapView(backend, out), info);
  return out;
}

/** dW[kh,kw,c,q] = Σ_{n,oh,ow} x[n, oh·s+kh−top, ow·s+kw−left, c] · dy[n,oh,ow,c·mult+q]; accumulated in float64. */
function accumulateFilterGrad(x: Float32Array, dy: Float32Array, dw: Float32Array, info: tf.backend_util.Conv2DInfo) {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW } = info;
  const mult = info.outChannels / C;
  const CO = C * mult;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const acc = new Float64Array(KH * KW * CO);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < Ho; oh++) {
      const ih0 = oh * SH - top;
      for (let ow = 0; ow < Wo; ow++) {
        const iw0 = ow * SW - left;
        const dyBase = ((n * Ho + oh) * Wo + ow) * CO;
        for (let kh = 0; kh < KH; kh++) {
          const ih = ih0 + kh;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = iw0 + kw;
            if (iw < 0 || iw >= W) continue;
            const xBase = ((n * H + ih) * W + iw) * C;
            const wBase = (kh * KW + kw) * CO;
            if (mult === 1) {
              for (let c = 0; c < C; c++) acc[wBase + c] += x[xBase + c] * dy[dyBase + c];
            } else {
              for (let c = 0; c < C; c++) {
                const xv = x[xBase + c];
                for (let q = 0; q < mult; q++) acc[wBase + c * mult + q] += xv * dy[dyBase + c * mult + q];
              }
            }
          }
        }
      }
    }
  }
  dw.set(acc);
}

/** dx[n,ih,iw,c] = Σ over the taps that read it of dy[n,oh,ow,c·mult+q] · W[kh,kw,c,q]. */
function accumulateInputGrad(dy: Float32Array, w: Float32Array, dx: Float32Array, info: tf.backend_util.Conv2DInfo) {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW } = info;
  const mult = info.outChannels / C;
  const CO = C * mult;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  dx.fill(0);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < Ho; oh++) {
      const ih0 = oh * SH - top;
      for (let ow = 0; ow < Wo; ow++) {
        const iw0 = ow * SW - left;
        const dyBase = ((n * Ho + oh) * Wo + ow) * CO;
        for (let kh = 0; kh < KH; kh++) {
          const ih = ih0 + kh;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = iw0 + kw;
            if (iw < 0 || iw >= W) continue;
            const xBase = ((n * H + ih) * W + iw) * C;
            const wBase = (kh * KW + kw) * CO;
            if (mult === 1) {
              for (let c = 0; c < C; c++) dx[xBase + c] += dy[dyBase + c] * w[wBase + c];
            } else {
              for (let c = 0; c < C; c++) {
                let sum = 0;
                for (let q = 0; q < mult; q++) sum += dy[dyBase + c * mult + q] * w[wBase + c * mult + q];
                dx[xBase + c] += sum;
              }
            }
          }
        }
      }
    }
  }
}

export const depthwiseBackpropFilterConfig: tf.KernelConfig = {
  kernelName: FILTER_NAME,
  backendName: "wasm",
  kernelFunc: depthwiseBackpropFilter as unknown as tf.KernelFunc,
};

export const depthwiseBackpropInputConfig: tf.KernelConfig = {
  kernelName: INPUT_NAME,
  backendName: "wasm",
  kernelFunc: depthwiseBackpropInput as unknown as tf.KernelFunc,
};
