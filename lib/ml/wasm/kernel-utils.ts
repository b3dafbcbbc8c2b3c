import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

// Helpers shared by the wasm training kernels: calling wasm's own kernels, zero-copy heap views, attribute checks.

export type TensorInfo = tf.TensorInfo;
export type Shape4 = [number, number, number, number];

/** Runs another kernel registered for wasm (e.g. BatchMatMul, Transpose) on the same backend. */
export function callWasmKernel(
  backend: BackendWasm,
  kernelName: string,
  inputs: Record<string, TensorInfo>,
  attrs: Record<string, unknown> = {},
): TensorInfo {
  const kernel = tf.getKernel(kernelName, "wasm");
  if (!kernel) throw new Error(`wasm kernel ${kernelName} is not registered`);
  return kernel.kernelFunc({ inputs, backend, attrs: attrs as tf.NamedAttrMap }) as TensorInfo;
}

/** The same data seen with another shape; no copy and no reference counting, valid while `info` lives. */
export function viewAs(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

/** Float32 view of a tensor's bytes in the wasm heap. Take views only after the last allocation: growing the heap detaches them. */
export function heapView(backend: BackendWasm, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** Releases an intermediate produced inside a kernel. */
export function release(backend: BackendWasm, info: TensorInfo): void {
  backend.disposeData(info.dataId);
}

/** Fails with the attribute's name when a kernel is asked for something it does not implement. */
export function assertSupported(
  kernelName: string,
  attrs: { dataFormat?: string; dilations?: number | number[] },
): void {
  const format = attrs.dataFormat;
  if (format !== undefined && format !== "NHWC" && format !== "channelsLast") {
    throw new Error(`${kernelName} on wasm: unsupported attribute dataFormat=${format} (only NHWC)`);
  }
  const d = attrs.dilations;
  const dilations = d === undefined ? [1, 1] : typeof d === "number" ? [d, d] : d;
  if (dilations.some((v) => v !== 1)) {
    throw new Error(`${kernelName} on wasm: unsupported attribute dilations=${JSON.stringify(d)} (only 1)`);
  }
}

export function assertFloat32(kernelName: string, ...infos: TensorInfo[]): void {
  for (const info of infos) {
    if (info.dtype !== "float32")
      throw new Error(`${kernelName} on wasm: unsupported dtype ${info.dtype} (only float32)`);
  }
}

/** [rows, cols] → [cols, rows] in JS: reading strided and writing contiguously runs ~6× faster than wasm's Transpose. */
export function transpose2d(backend: BackendWasm, info: TensorInfo, rows: number, cols: number): TensorInfo {
  const out = backend.makeOutput([cols, rows], "float32");
  const src = heapView(backend, info);
  const dst = heapView(backend, out);
  for (let c = 0; c < cols; c++) {
    const base = c * rows;
    for (let r = 0, i = c; r < rows; r++, i += cols) dst[base + r] = src[i];
  }
  return out;
}
