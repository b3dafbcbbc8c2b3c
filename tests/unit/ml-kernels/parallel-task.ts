import * as tf from "@tensorflow/tfjs";
import type { TrainingTask } from "@/lib/ml/parallel/task";

// A small conv net without batch normalization, so data-parallel gradients equal whole-batch gradients exactly.

export const TASK_SIZE = 12;
export const TASK_CLASSES = 3;

/** Builds the same seeded model wherever it runs. */
export function buildTaskModel(): tf.LayersModel {
  let seed = 11;
  const init = () => tf.initializers.glorotUniform({ seed: seed++ });
  const input = tf.input({ shape: [TASK_SIZE, TASK_SIZE, 3] });
  let x = tf.layers
    .conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: "same", activation: "relu", kernelInitializer: init() })
    .apply(input) as tf.SymbolicTensor;
  const a = tf.layers
    .separableConv2d({
      filters: 4,
      kernelSize: 5,
      padding: "same",
      depthwiseInitializer: init(),
      pointwiseInitializer: init(),
    })
    .apply(x) as tf.SymbolicTensor;
  const b = tf.layers.maxPooling2d({ poolSize: 3, strides: 1, padding: "same" }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.add().apply([a, b]) as tf.SymbolicTensor;
  x = tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: "same" }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: TASK_CLASSES, kernelInitializer: init() }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

/** Mean softmax cross-entropy of the model's logits against integer labels `y`. */
export function taskLoss(model: tf.LayersModel, batch: Record<string, tf.Tensor>): tf.Scalar {
  return tf.tidy(() => {
    const labels = tf.oneHot(batch.y as tf.Tensor1D, TASK_CLASSES);
    return tf.losses.softmaxCrossEntropy(labels, model.apply(batch.x, { training: true }) as tf.Tensor) as tf.Scalar;
  });
}

export function createTestTask(): TrainingTask {
  const model = buildTaskModel();
  return { model, loss: (batch) => taskLoss(model, batch) };
}
