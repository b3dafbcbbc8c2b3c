import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

type NamedTensor = { name: string; tensor: tf.Tensor };

// tfjs's Adam issues ~14 small kernels per variable per step; a NASNet backbone has ~450 variables, so on wasm the
// optimizer alone costs thousands of kernel dispatches per step, more than its arithmetic. Here the same update runs
// as one JS loop per variable over plain arrays, with moments kept outside the tensor engine (on wasm reading and
// writing the heap directly).

export interface AdamHyperparameters {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  /** Defaults to 1e-7, tfjs's float32 backend epsilon, so results match tf.train.adam. */
  epsilon?: number;
}

/** Adam's update rule over Float32Arrays, exactly as tf.train.adam computes it. */
export class AdamMath {
  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private accBeta1: number;
  private accBeta2: number;
  private readonly moments = new Map<string, { m: Float32Array; v: Float32Array }>();

  constructor(options: AdamHyperparameters) {
    this.learningRate = options.learningRate;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    this.accBeta1 = this.beta1;
    this.accBeta2 = this.beta2;
  }

  /** Updates `weights` in place from `grad` for the variable `name`; call endStep() after all variables of a step. */
  update(name: string, weights: Float32Array, grad: ArrayLike<number>): void {
    this.updateInto(name, weights, grad, weights);
  }

  /** As update(), reading the current weights from `from` and writing the new ones to `to` (may be the same array). */
  updateInto(name: string, from: ArrayLike<number>, grad: ArrayLike<number>, to: Float32Array): void {
    let state = this.moments.get(name);
    if (!state) {
      state = { m: new Float32Array(from.length), v: new Float32Array(from.length) };
      this.moments.set(name, state);
    }
    const { m, v } = state;
    const { beta1, beta2, epsilon } = this;
    const correction1 = 1 - this.accBeta1;
    const correction2 = 1 - this.accBeta2;
    const rate = this.learningRate;
    for (let i = 0; i < to.length; i++) {
      const g = grad[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      to[i] = from[i] - (rate * (m[i] / correction1)) / (Math.sqrt(v[i] / correction2) + epsilon);
    }
  }

  endStep(): void {
    this.accBeta1 *= this.beta1;
    this.accBeta2 *= this.beta2;
  }
}

/** Drop-in replacement for tf.train.adam (minimize, applyGradients, model.compile) with one JS pass per variable. */
export class FastAdamOptimizer extends tf.Optimizer {
  static get className(): string {
    return "FastAdam";
  }

  private readonly math: AdamMath;

  constructor(options: AdamHyperparameters) {
    super();
    this.math = new AdamMath(options);
  }

  get learningRate(): number {
    return this.math.learningRate;
  }

  /** Writable so learning-rate schedules can assign it, as they do on tfjs's Adam. */
  set learningRate(value: number) {
    this.math.learningRate = value;
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const entries: [string, tf.Tensor][] = Array.isArray(variableGradients)
      ? variableGradients.map((g) => [g.name, g.tensor])
      : Object.entries(variableGradients);
    for (const [name, gradient] of entries) {
      if (gradient == null) continue;
      const variable = tf.engine().registeredVariables[name];
      if (!variable) throw new Error(`FastAdam: no variable named ${name}`);
      if (tf.getBackend() === "wasm" && variable.dtype === "float32" && gradient.dtype === "float32") {
        this.applyOnWasmHeap(name, variable, gradient);
        continue;
      }
      // slice(): the cpu backend's dataSync hands out its own storage.
      const weights = (variable.dataSync() as Float32Array).slice();
      this.math.update(name, weights, gradient.dataSync() as Float32Array);
      const next = tf.tensor(weights, variable.shape, "float32");
      variable.assign(next);
      next.dispose();
    }
    this.math.endStep();
    this.incrementIterations();
  }

  /**
   * Reads weights and gradient straight from the wasm heap and writes the new weights into a fresh tensor there: no
   * JS copies. Never in place: wasm caches XNNPACK operators (with packed weights) per filter tensor, and other
   * tensors may share the data.
   */
  private applyOnWasmHeap(name: string, variable: tf.Variable, gradient: tf.Tensor): void {
    const backend = tf.backend() as BackendWasm;
    const info = backend.makeOutput(variable.shape, "float32");
    const next = tf.engine().makeTensorFromTensorInfo(info);
    this.math.updateInto(
      name,
      backend.typedArrayFromHeap(variable) as Float32Array,
      backend.typedArrayFromHeap(gradient) as Float32Array,
      backend.typedArrayFromHeap(info) as Float32Array,
    );
    variable.assign(next);
    next.dispose();
  }

  async getWeights(): Promise<NamedTensor[]> {
    return [await this.saveIterations()];
  }

  async setWeights(weightValues: NamedTensor[]): Promise<void> {
    await this.extractIterations(weightValues);
  }

  getConfig(): tf.serialization.ConfigDict {
    return {
      learningRate: this.math.learningRate,
      beta1: this.math.beta1,
      beta2: this.math.beta2,
      epsilon: this.math.epsilon,
    };
  }
}

/** tf.train.adam's signature, returning the fast optimizer. */
export function fastAdam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon?: number): FastAdamOptimizer {
  return new FastAdamOptimizer({ learningRate, beta1, beta2, epsilon });
}
