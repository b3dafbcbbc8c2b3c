import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import {
  assertFloat32,
  assertSupported,
  callWasmKernel,
  heapView,
  release,
  type Shape4,
  type TensorInfo,
} from "./kernel-utils";
import { pointer, simdKernels } from "./simd";

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
const MAX_TAPS_AS_FILTER = 24 * 24;
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
  if (simdFits(info)) return simdFilterGrad(backend, x, dy, info);
  // XNNPACK handles dy-as-filter well up to ~24×24 taps; beyond that its multipass path loses to the JS loop.
  if (attrs.filterShape[3] === 1 && info.outHeight * info.outWidth <= MAX_TAPS_AS_FILTER) {
    return correlateOverBatch(backend, x, dy, info);
  }
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
  if (simdFits(info)) return simdInputGrad(backend, dy, filter, info);
  if (filter.shape[3] === 1) return correlateRotated(backend, dy, filter, info);
  const out = backend.makeOutput(attrs.inputShape, "float32");
  accumulateInputGrad(heapView(backend, dy), heapView(backend, filter), heapView(backend, out), info);
  return out;
}

/**
 * The SIMD loops (kernels.wat) take one filter per channel and 1, 2 or a multiple of 4 channels: a pixel's channels
 * then tile a 4-float vector exactly. That covers every depthwise layer of the backbone.
 */
export function simdFits(info: tf.backend_util.Conv2DInfo): boolean {
  const C = info.inChannels;
  return info.outChannels === C && (C === 1 || C === 2 || C % 4 === 0);
}

/** Geometry of the input padded so that every tap of every output pixel lands inside it. */
export function paddedGeometry(info: tf.backend_util.Conv2DInfo) {
  const { inChannels: C, outHeight: Ho, outWidth: Wo, filterHeight: KH, filterWidth: KW } = info;
  const paddedHeight = (Ho - 1) * info.strideHeight + KH;
  const paddedWidth = (Wo - 1) * info.strideWidth + KW;
  const rowFloats = Math.ceil((KW * C) / 4) * 4;
  // The loops read and write whole 4-float vectors: a tap row may run up to 3 floats past the last pixel.
  const imageFloats = paddedHeight * paddedWidth * C;
  return { paddedHeight, paddedWidth, rowFloats, imageFloats, slack: rowFloats - KW * C };
}

/** Copies between an image and its padded version, row by row (`toPadded` false: crop back). */
export function copyPadded(
  backend: BackendWasm,
  image: TensorInfo,
  padded: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  geometry: ReturnType<typeof paddedGeometry>,
  toPadded: boolean,
): void {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C } = info;
  const { paddedHeight: HP, paddedWidth: WP } = geometry;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const iwStart = Math.max(0, -left);
  const iwEnd = Math.min(W, WP - left);
  const ihStart = Math.max(0, -top);
  const ihEnd = Math.min(H, HP - top);
  if (iwEnd <= iwStart || ihEnd <= ihStart) return;
  const simd = simdKernels(backend);
  const pImage = pointer(backend, image);
  const pPadded = pointer(backend, padded);
  for (let n = 0; n < N; n++) {
    const at = pImage + ((n * H + ihStart) * W + iwStart) * C * 4;
    const pat = pPadded + ((n * HP + ihStart + top) * WP + iwStart + left) * C * 4;
    const [src, srcStride, dst, dstStride] = toPadded ? [at, W * C, pat, WP * C] : [pat, WP * C, at, W * C];
    simd.copyRows(src, srcStride, dst, dstStride, ihEnd - ihStart, (iwEnd - iwStart) * C);
  }
}

/** dW per image in SIMD on the padded input (float32 over one image's pixels), summed over images in float64. */
function simdFilterGrad(backend: BackendWasm, x: TensorInfo, dy: TensorInfo, info: tf.backend_util.Conv2DInfo) {
  const { batchSize: N, inChannels: C, outHeight: Ho, outWidth: Wo, filterHeight: KH, filterWidth: KW } = info;
  const geometry = paddedGeometry(info);
  const { rowFloats, imageFloats } = geometry;
  const simd = simdKernels(backend);
  const dw = backend.makeOutput([KH, KW, C, 1], "float32");
  const padded = backend.makeOutput([N * imageFloats + geometry.slack], "float32");
  const acc = backend.makeOutput([KH * rowFloats], "float32");
  const paddedView = heapView(backend, padded);
  paddedView.fill(0);
  copyPadded(backend, x, padded, info, geometry, true);
  const pPadded = pointer(backend, padded);
  const pDy = pointer(backend, dy);
  const pAcc = pointer(backend, acc);
  const accView = heapView(backend, acc);
  const sums = new Float64Array(KH * KW * C);
  for (let n = 0; n < N; n++) {
    simd.depthwiseFilterGradImage(
      pPadded + n * imageFloats * 4,
      pDy + n * Ho * Wo * C * 4,
      pAcc,
      Ho,
      Wo,
      geometry.paddedWidth,
      C,
      KH,
      rowFloats,
      info.strideHeight,
      info.strideWidth,
    );
    for (let kh = 0; kh < KH; kh++) {
      for (let j = 0; j < KW * C; j++) sums[kh * KW * C + j] += accView[kh * rowFloats + j];
    }
  }
  heapView(backend, dw).set(sums);
  release(backend, padded);
  release(backend, acc);
  return dw;
}

/** dx scattered per image in SIMD into a padded buffer, then cropped. */
export function simdInputGrad(
  backend: BackendWasm,
  dy: TensorInfo,
  filter: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
) {
  const { batchSize: N, inChannels: C, outHeight: Ho, outWidth: Wo, filterHeight: KH, filterWidth: KW } = info;
  const geometry = paddedGeometry(info);
  const { rowFloats, imageFloats } = geometry;
  const simd = simdKernels(backend);
  const dx = backend.makeOutput([N, info.inHeight, info.inWidth, C], "float32");
  const padded = backend.makeOutput([N * imageFloats + geometry.slack], "float32");
  const rows = backend.makeOutput([KH * rowFloats], "float32");
  const paddedView = heapView(backend, padded);
  paddedView.fill(0);
  const rowsView = heapView(backend, rows);
  const w = heapView(backend, filter);
  rowsView.fill(0);
  for (let kh = 0; kh < KH; kh++) rowsView.set(w.subarray(kh * KW * C, (kh + 1) * KW * C), kh * rowFloats);
  const pPadded = pointer(backend, padded);
  const pDy = pointer(backend, dy);
  const pRows = pointer(backend, rows);
  for (let n = 0; n < N; n++) {
    simd.depthwiseInputGradImage(
      pPadded + n * imageFloats * 4,
      pDy + n * Ho * Wo * C * 4,
      pRows,
      Ho,
      Wo,
      geometry.paddedWidth,
      C,
      KH,
      rowFloats,
      info.strideHeight,
      info.strideWidth,
    );
  }
  const out = heapView(backend, dx);
  out.fill(0);
  copyPadded(backend, dx, padded, info, geometry, false);
  release(backend, padded);
  release(backend, rows);
  return dx;
}

/**
 * With one filter per channel, dW[kh,kw,c] = Σ_n correlate(x[n,:,:,c], dy[n,:,:,c]) is itself a depthwise convolution:
 * treat every (n, c) pair as a channel of a single image, use dy as the (Ho×Wo, dilated by the stride) filter, and
 * let XNNPACK compute the KH×KW output; JS only rearranges data and sums over n. 1.5–3× faster than the JS loop
 * on the backbone's small feature maps with 5×5 and 7×7 kernels.
 */
function correlateOverBatch(
  backend: BackendWasm,
  x: TensorInfo,
  dy: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW } = info;
  const NC = N * C;
  const PH = KH + (Ho - 1) * SH;
  const PW = KW + (Wo - 1) * SW;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const image = backend.makeOutput([1, PH, PW, NC], "float32");
  const taps = backend.makeOutput([Ho, Wo, NC, 1], "float32");
  const img = heapView(backend, image);
  const src = heapView(backend, x);
  img.fill(0);
  for (let r = 0; r < PH; r++) {
    const ih = r - top;
    if (ih < 0 || ih >= H) continue;
    for (let col = 0; col < PW; col++) {
      const iw = col - left;
      if (iw < 0 || iw >= W) continue;
      const to = (r * PW + col) * NC;
      for (let n = 0; n < N; n++) {
        const from = ((n * H + ih) * W + iw) * C;
        for (let c = 0; c < C; c++) img[to + n * C + c] = src[from + c];
      }
    }
  }
  const tap = heapView(backend, taps);
  const grad = heapView(backend, dy);
  for (let p = 0; p < Ho * Wo; p++) {
    for (let n = 0; n < N; n++) {
      const from = (n * Ho * Wo + p) * C;
      const to = p * NC + n * C;
      for (let c = 0; c < C; c++) tap[to + c] = grad[from + c];
    }
  }
  const perImage = callWasmKernel(
    backend,
    "DepthwiseConv2dNative",
    { x: image, filter: taps },
    { strides: 1, pad: "valid", dilations: [SH, SW], dataFormat: "NHWC" },
  );
  release(backend, image);
  release(backend, taps);
  const dw = backend.makeOutput([KH, KW, C, 1], "float32");
  const parts = heapView(backend, perImage);
  const out = heapView(backend, dw);
  for (let k = 0; k < KH * KW; k++) {
    for (let c = 0; c < C; c++) {
      let sum = 0;
      for (let n = 0; n < N; n++) sum += parts[k * NC + n * C + c];
      out[k * C + c] = sum;
    }
  }
  release(backend, perImage);
  return dw;
}

/** Rotates a [KH, KW, C, 1] filter by 180° in the spatial axes. */
function rotateFilter(w: Float32Array, rot: Float32Array, KH: number, KW: number, C: number): void {
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      const from = ((KH - 1 - kh) * KW + (KW - 1 - kw)) * C;
      rot.set(w.subarray(from, from + C), (kh * KW + kw) * C);
    }
  }
}

/**
 * With one filter per channel, dx is a stride-1 "valid" depthwise correlation of dy — spread out by the stride and
 * padded by (kernel − 1 − pad) — with the filter rotated 180°: wasm's forward DepthwiseConv2dNative (XNNPACK) then
 * does the arithmetic, ~5× faster than a JS loop.
 */
function correlateRotated(
  backend: BackendWasm,
  dy: TensorInfo,
  filter: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW } = info;
  const PH = H + KH - 1;
  const PW = W + KW - 1;
  const top = KH - 1 - info.padInfo.top;
  const left = KW - 1 - info.padInfo.left;
  const bottom = PH - top - Ho;
  const right = PW - left - Wo;
  const rotated = backend.makeOutput([KH, KW, C, 1], "float32");
  rotateFilter(heapView(backend, filter), heapView(backend, rotated), KH, KW, C);
  if (SH === 1 && SW === 1 && Math.min(top, left, bottom, right) >= 0) {
    // Stride 1 needs no spreading: XNNPACK pads dy itself.
    const dx = callWasmKernel(
      backend,
      "DepthwiseConv2dNative",
      { x: dy, filter: rotated },
      {
        strides: 1,
        pad: [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ],
        dilations: 1,
        dataFormat: "NHWC",
      },
    );
    release(backend, rotated);
    return dx;
  }
  const spread = backend.makeOutput([N, PH, PW, C], "float32");
  const dst = heapView(backend, spread);
  const src = heapView(backend, dy);
  dst.fill(0);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < Ho; oh++) {
      const r = top + oh * SH;
      if (r < 0 || r >= PH) continue;
      for (let ow = 0; ow < Wo; ow++) {
        const col = left + ow * SW;
        if (col < 0 || col >= PW) continue;
        const from = ((n * Ho + oh) * Wo + ow) * C;
        dst.set(src.subarray(from, from + C), ((n * PH + r) * PW + col) * C);
      }
    }
  }
  const dx = callWasmKernel(
    backend,
    "DepthwiseConv2dNative",
    { x: spread, filter: rotated },
    { strides: 1, pad: "valid", dilations: 1, dataFormat: "NHWC" },
  );
  release(backend, spread);
  release(backend, rotated);
  return dx;
}

/**
 * dW[kh,kw,c,q] = Σ_{n,oh,ow} x[n, oh·s+kh−top, ow·s+kw−left, c] · dy[n,oh,ow,c·mult+q].
 * Channels are few in the early cells (4–16), so a channels-innermost loop would be all overhead: instead each tap
 * keeps a whole output-row accumulator (ow, c) and, at stride 1, multiplies two contiguous spans of Wo·C floats.
 * The per-channel sums over ow come at the end; accumulation is float64.
 */
function accumulateFilterGrad(x: Float32Array, dy: Float32Array, dw: Float32Array, info: tf.backend_util.Conv2DInfo) {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW } = info;
  const mult = info.outChannels / C;
  if (mult !== 1) {
    accumulateFilterGradMultiplier(x, dy, dw, info);
    return;
  }
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const rowLength = Wo * C;
  const acc = new Float64Array(KH * KW * rowLength);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < Ho; oh++) {
      const dyRow = (n * Ho + oh) * Wo * C;
      for (let kh = 0; kh < KH; kh++) {
        const ih = oh * SH - top + kh;
        if (ih < 0 || ih >= H) continue;
        const xRow = (n * H + ih) * W * C;
        for (let kw = 0; kw < KW; kw++) {
          // Output columns whose tap kw lands inside the image.
          const owStart = Math.max(0, Math.ceil((left - kw) / SW));
          const owEnd = Math.min(Wo, Math.floor((W - 1 + left - kw) / SW) + 1);
          if (owEnd <= owStart) continue;
          const accRow = (kh * KW + kw) * rowLength;
          if (SW === 1) {
            const shift = xRow + (kw - left) * C;
            const end = owEnd * C;
            for (let j = owStart * C; j < end; j++) acc[accRow + j] += x[shift + j] * dy[dyRow + j];
          } else {
            for (let ow = owStart; ow < owEnd; ow++) {
              const xs = xRow + (ow * SW - left + kw) * C;
              const j0 = ow * C;
              for (let c = 0; c < C; c++) acc[accRow + j0 + c] += x[xs + c] * dy[dyRow + j0 + c];
            }
          }
        }
      }
    }
  }
  for (let tap = 0; tap < KH * KW; tap++) {
    for (let c = 0; c < C; c++) {
      let sum = 0;
      for (let j = tap * rowLength + c; j < (tap + 1) * rowLength; j += C) sum += acc[j];
      dw[tap * C + c] = sum;
    }
  }
}

/** The general case (channel multiplier > 1), channels innermost. */
function accumulateFilterGradMultiplier(
  x: Float32Array,
  dy: Float32Array,
  dw: Float32Array,
  info: tf.backend_util.Conv2DInfo,
) {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW } = info;
  const mult = info.outChannels / C;
  const CO = C * mult;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const acc = new Float64Array(KH * KW * CO);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < Ho; oh++) {
      for (let ow = 0; ow < Wo; ow++) {
        const dyBase = ((n * Ho + oh) * Wo + ow) * CO;
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
              for (let q = 0; q < mult; q++) acc[wBase + c * mult + q] += xv * dy[dyBase + c * mult + q];
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
