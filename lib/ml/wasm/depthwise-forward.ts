import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { copyPadded, paddedGeometry, simdFits } from "./depthwise-backprop";
import { heapView, release, type Shape4, type TensorInfo } from "./kernel-utils";
import { pointer, simdKernels } from "./simd";

// The backbone's depthwise layers have 2–32 channels on maps of 3–48 pixels: wasm's stock kernel creates and packs
// an XNNPACK operator for every new filter tensor, and a training step gives it new weights every step. Our SIMD loop
// (kernels.wat) on a padded copy of the input runs the same arithmetic with no setup. Other channel counts and
// multipliers take a plain JS loop: the stock kernel returns zeros when the stride exceeds the kernel (e.g. 2×2
// stride 3 "same"). Only dilations and NCHW go to the stock kernel.

interface Attrs {
  strides: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dilations?: number | [number, number];
  dimRoundingMode?: "floor" | "round" | "ceil";
  dataFormat?: string;
}

function isOne(value: number | [number, number] | undefined): boolean {
  return value === undefined || (typeof value === "number" ? value === 1 : value.every((v) => v === 1));
}

/** DepthwiseConv2dNative with the SIMD path where it fits; anything else goes to `stock`. */
export function makeDepthwiseForwardConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }) => {
    const backend = args.backend as BackendWasm;
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs as Attrs;
    const nhwc = attrs.dataFormat === undefined || attrs.dataFormat === "NHWC";
    if (!nhwc || !isOne(attrs.dilations) || x.dtype !== "float32" || filter.dtype !== "float32") {
      return stock.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]);
    }
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as Shape4,
      filter.shape as Shape4,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      true,
    );
    if (simdFits(info)) return depthwiseForward(backend, x, filter, info);
    const y = backend.makeOutput([info.batchSize, info.outHeight, info.outWidth, info.outChannels], "float32");
    forwardLoop(heapView(backend, x), heapView(backend, filter), heapView(backend, y), info);
    return y;
  };
  return {
    kernelName: "DepthwiseConv2dNative",
    backendName: "wasm",
    setupFunc: stock.setupFunc,
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
  };
}

function depthwiseForward(
  backend: BackendWasm,
  x: TensorInfo,
  filter: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize: N, inChannels: C, outHeight: Ho, outWidth: Wo, filterHeight: KH, filterWidth: KW } = info;
  const geometry = paddedGeometry(info);
  const { rowFloats, imageFloats } = geometry;
  const y = backend.makeOutput([N, Ho, Wo, C], "float32");
  const padded = backend.makeOutput([N * imageFloats + geometry.slack], "float32");
  const rows = backend.makeOutput([KH * rowFloats], "float32");
  const paddedView = heapView(backend, padded);
  paddedView.fill(0);
  copyPadded(backend, x, padded, info, geometry, true);
  const rowsView = heapView(backend, rows);
  const w = heapView(backend, filter);
  rowsView.fill(0);
  for (let kh = 0; kh < KH; kh++) rowsView.set(w.subarray(kh * KW * C, (kh + 1) * KW * C), kh * rowFloats);
  const simd = simdKernels(backend);
  const pPadded = pointer(backend, padded);
  const pRows = pointer(backend, rows);
  const pY = pointer(backend, y);
  for (let n = 0; n < N; n++) {
    simd.depthwiseForwardImage(
      pPadded + n * imageFloats * 4,
      pRows,
      pY + n * Ho * Wo * C * 4,
      Ho,
      Wo,
      geometry.paddedWidth,
      C,
      KH,
      KW,
      rowFloats,
      info.strideHeight,
      info.strideWidth,
    );
  }
  release(backend, padded);
  release(backend, rows);
  return y;
}

/** y[n,oh,ow,c·mult+q] = Σ_{kh,kw} x[n, oh·SH+kh−top, ow·SW+kw−left, c]·W[kh,kw,c,q], taps outside the image skipped. */
function forwardLoop(x: Float32Array, w: Float32Array, y: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW, outChannels: CO } = info;
  const mult = CO / C;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  y.fill(0);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < Ho; oh++) {
      for (let ow = 0; ow < Wo; ow++) {
        const yBase = ((n * Ho + oh) * Wo + ow) * CO;
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * SH - top + kh;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * SW - left + kw;
            if (iw < 0 || iw >= W) continue;
            const xBase = ((n * H + ih) * W + iw) * C;
            const wBase = (kh * KW + kw) * CO;
            for (let c = 0; c < C; c++) {
              const xv = x[xBase + c];
              for (let q = 0; q < mult; q++) y[yBase + c * mult + q] += xv * w[wBase + c * mult + q];
            }
          }
        }
      }
    }
  }
}
