// Messages between the parallel trainer (main thread) and its workers. Plain data only: typed arrays travel as
// transferables, so nothing here may hold a tensor.

export type NumericArray = Float32Array | Int32Array;

/** One named input of a batch, row-major, first axis = examples. */
export interface ArrayInput {
  data: NumericArray;
  shape: number[];
  dtype: "float32" | "int32";
}

export type Batch = Record<string, ArrayInput>;

/** Where a worker finds the model and loss: `exportName` in `module` is called with `options` (JSON). */
export interface TaskSpec {
  /** Absolute path or file: URL of a .ts/.js module, importable from a worker thread. */
  module: string;
  exportName: string;
  options?: unknown;
}

export interface AdamConfig {
  kind: "adam";
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export interface SgdConfig {
  kind: "sgd";
  learningRate: number;
}

export type OptimizerConfig = AdamConfig | SgdConfig;

export interface WeightValue {
  name: string;
  shape: number[];
  data: Float32Array;
}

export type Request =
  | { id: number; type: "init"; task: TaskSpec; backend: "wasm" | "cpu" }
  | { id: number; type: "grads"; batch: Batch }
  /** All trainable weights concatenated in gradient order: one transfer instead of one array per variable. */
  | { id: number; type: "setTrainable"; weights: Float32Array }
  | { id: number; type: "getWeights" }
  | { id: number; type: "setWeights"; weights: Float32Array[] };

export type Reply =
  | { id: number; type: "ready"; trainable: WeightValue[]; all: WeightValue[] }
  /** Gradients concatenated in trainable-weight order. */
  | { id: number; type: "grads"; loss: number; grads: Float32Array; computeMs: number }
  | { id: number; type: "ok" }
  | { id: number; type: "weights"; weights: WeightValue[] }
  | { id: number; type: "error"; message: string; stack?: string };
