import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { TensorInfo } from "../kernel-utils";
import { KERNELS_WASM_BASE64 } from "./kernels-wasm";

// Our SIMD loops (kernels.wat), instantiated on tfjs-backend-wasm's own memory so they read and write its tensors in
// place: a JS loop over the same data runs 5–10× slower (scalar, float64), and a copy into a separate wasm memory
// would cost about as much as the loop itself.

/** Pointers are byte offsets into the backend's heap, counts are floats; see kernels.wat. */
export interface SimdKernels {
  spanSum(x: number, groups: number, span: number, acc: number): void;
  spanSquaredDeviation(x: number, groups: number, span: number, centre: number, acc: number): void;
  spanGradientSums(
    dy: number,
    x: number,
    groups: number,
    span: number,
    centre: number,
    sumDy: number,
    sumDyDev: number,
  ): void;
  spanAffine(x: number, out: number, groups: number, span: number, a: number, b: number): void;
  spanAffine2(dy: number, x: number, out: number, groups: number, span: number, a: number, k: number, d: number): void;
  reluGrad(dy: number, x: number, out: number, n: number): void;
  copyRows(src: number, srcStride: number, dst: number, dstStride: number, rows: number, width: number): void;
  addRows(src: number, srcStride: number, dst: number, dstStride: number, rows: number, width: number): void;
  outerProductSum(a: number, b: number, acc: number, rows: number, aCols: number, bCols: number): void;
  matrixRows(a: number, m: number, out: number, rows: number, aCols: number, mCols: number): void;
  matrixRows4(a: number, m: number, out: number, rows: number, aCols: number): void;
  matrixRows8(a: number, m: number, out: number, rows: number, aCols: number): void;
  matrixRows16(a: number, m: number, out: number, rows: number, aCols: number): void;
  depthwiseForwardImage(
    padded: number,
    filter: number,
    out: number,
    outHeight: number,
    outWidth: number,
    paddedWidth: number,
    channels: number,
    kernelHeight: number,
    kernelWidth: number,
    rowFloats: number,
    strideHeight: number,
    strideWidth: number,
  ): void;
  depthwiseFilterGradImage(
    padded: number,
    dy: number,
    acc: number,
    outHeight: number,
    outWidth: number,
    paddedWidth: number,
    channels: number,
    kernelHeight: number,
    rowFloats: number,
    strideHeight: number,
    strideWidth: number,
  ): void;
  depthwiseInputGradImage(
    padded: number,
    dy: number,
    filter: number,
    outHeight: number,
    outWidth: number,
    paddedWidth: number,
    channels: number,
    kernelHeight: number,
    rowFloats: number,
    strideHeight: number,
    strideWidth: number,
  ): void;
}

let compiled: WebAssembly.Module | null = null;
const instances = new WeakMap<WebAssembly.Memory, SimdKernels>();

function heapMemory(backend: BackendWasm): WebAssembly.Memory {
  const memory = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) throw new Error("tfjs-backend-wasm does not expose its memory");
  return memory;
}

/** The SIMD kernels bound to this backend's heap; compiled once per process, instantiated once per backend. */
export function simdKernels(backend: BackendWasm): SimdKernels {
  const memory = heapMemory(backend);
  const existing = instances.get(memory);
  if (existing) return existing;
  compiled ??= new WebAssembly.Module(Buffer.from(KERNELS_WASM_BASE64, "base64"));
  const instance = new WebAssembly.Instance(compiled, { env: { memory } });
  const kernels = instance.exports as unknown as SimdKernels;
  instances.set(memory, kernels);
  return kernels;
}

/** Byte offset of a tensor's data in the backend's heap. */
export function pointer(backend: BackendWasm, info: TensorInfo): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (!data) throw new Error("tensor is not on the wasm backend");
  return data.memoryOffset;
}

/**
 * A channels-last activation as whole rows of `span` floats: span is a multiple of 4 (one SIMD vector) and of the
 * channel count, about 256 floats; `groups` full spans, then `tail` floats that JS finishes.
 */
export interface SpanLayout {
  channels: number;
  span: number;
  groups: number;
  tail: number;
  size: number;
}

const TARGET_SPAN = 256;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

export function spanLayout(size: number, channels: number): SpanLayout {
  const unit = (channels * 4) / gcd(channels, 4);
  const span = unit * Math.max(1, Math.floor(TARGET_SPAN / unit));
  const groups = Math.floor(size / span);
  return { channels, span, groups, tail: size - groups * span, size };
}

/** Output columns whose whole KW-wide window lies inside a row of `width` pixels: [start, end). */
export function interiorColumns(
  outWidth: number,
  width: number,
  kernelWidth: number,
  stride: number,
  left: number,
): [number, number] {
  const start = Math.min(outWidth, Math.ceil(left / stride));
  const end = Math.max(start, Math.min(outWidth, Math.floor((width - kernelWidth + left) / stride) + 1));
  return [start, end];
}

/** out = a·m for a [rows, aCols] and m [aCols, mCols] (mCols a multiple of 4), register-resident for 4, 8 or 16 columns. */
export function multiplyRows(
  simd: SimdKernels,
  a: number,
  m: number,
  out: number,
  rows: number,
  aCols: number,
  mCols: number,
): void {
  if (mCols === 4) simd.matrixRows4(a, m, out, rows, aCols);
  else if (mCols === 8) simd.matrixRows8(a, m, out, rows, aCols);
  else if (mCols === 16) simd.matrixRows16(a, m, out, rows, aCols);
  else simd.matrixRows(a, m, out, rows, aCols, mCols);
}
