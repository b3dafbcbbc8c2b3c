import type * as tf from "@tensorflow/tfjs";

/**
 * What a training task module provides to the parallel trainer: the model to train and its loss. The module is
 * imported inside each worker thread, so it builds everything itself from JSON options (no closures cross threads).
 */
export interface TrainingTask {
  model: tf.LayersModel;
  /** Mean loss over the examples of `batch` (tensors keyed like the trainer's batch); called inside a gradient tape. */
  loss(batch: Record<string, tf.Tensor>): tf.Scalar;
}

export type TaskFactory = (options: unknown) => TrainingTask | Promise<TrainingTask>;
