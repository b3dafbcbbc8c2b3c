import * as tf from "@tensorflow/tfjs";
import { type BackboneConfig, buildBackbone, DEFAULT_BACKBONE } from "../backbone";
import type { TrainingTask } from "./task";

// A ready-made task: the NASNet backbone (or a given config) with a softmax classifier, trained with cross-entropy
// on integer labels. Batch inputs: `x` [n, S, S, 3] float32, `y` [n] int32.

export interface ClassifierTaskOptions {
  classes: number;
  backbone?: Partial<BackboneConfig>;
}

/** Builds the backbone + dense classifier task inside a worker. */
export function createClassifierTask(options: unknown): TrainingTask {
  const { classes, backbone } = options as ClassifierTaskOptions;
  const config = { ...DEFAULT_BACKBONE, ...backbone };
  const features = buildBackbone(config);
  const logits = tf.layers
    .dense({
      units: classes,
      kernelInitializer: tf.initializers.glorotUniform({ seed: config.seed }),
      name: "classifier",
    })
    .apply(features.outputs[0]) as tf.SymbolicTensor;
  const model = tf.model({ inputs: features.inputs, outputs: logits });
  return {
    model,
    loss: (batch) =>
      tf.tidy(() => {
        const labels = tf.oneHot(batch.y as tf.Tensor1D, classes);
        return tf.losses.softmaxCrossEntropy(
          labels,
          model.apply(batch.x, { training: true }) as tf.Tensor,
        ) as tf.Scalar;
      }),
  };
}
