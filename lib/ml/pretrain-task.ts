import * as tf from "@tensorflow/tfjs";
import { type BackboneConfig, buildBackbone } from "./backbone";
import type { TrainingTask } from "./parallel/task";
import { createParallelTrainer } from "./parallel/trainer";
import {
  buildPretrainModel,
  type PretrainLabels,
  type PretrainOptions,
  pretrainLoss,
  type StepRunner,
} from "./train-backbone";

/** Backbone pretraining on the data-parallel trainer (lib/ml/parallel): one wasm instance per worker thread. */

export interface PretrainTaskOptions {
  backbone: BackboneConfig;
  categories: number;
  views: number;
  seed: number;
  viewWeight: number;
  auxWeight: number;
  damageWeight: number;
  brandWeight?: number;
  variantWeight?: number;
}

/** Task factory imported inside each trainer worker: the same seeded pretraining model and loss as in-process. */
export function createPretrainTask(options: PretrainTaskOptions): TrainingTask {
  const model = buildPretrainModel(buildBackbone(options.backbone), options.categories, options.views, options.seed);
  return {
    model,
    loss: (batch) => pretrainLoss(model, batch.x, batch as unknown as PretrainLabels, options),
  };
}

/** A StepRunner over `workers` threads that keeps `model` (the local copy) in sync at every checkpoint. */
export async function createParallelRunner(
  model: tf.LayersModel,
  task: PretrainTaskOptions,
  options: PretrainOptions,
  workers: number,
): Promise<StepRunner> {
  const trainer = await createParallelTrainer({
    workers,
    task: {
      module: new URL("./pretrain-task.ts", import.meta.url).href,
      exportName: "createPretrainTask",
      options: task,
    },
    optimizer: { kind: "adam", learningRate: options.learningRate },
  });
  // On --resume the local model holds the checkpoint; the workers start from it.
  await trainer.setWeights(model.weights.map((w) => w.read().dataSync() as Float32Array));
  return {
    step: (batch, learningRate) => trainer.step(batch, { learningRate }),
    async sync() {
      const weights = await trainer.getWeights();
      model.weights.forEach((w, i) => {
        if (weights[i].data.length !== w.read().size)
          throw new Error(`parallel trainer weight ${weights[i].name} does not match local ${w.name}`);
      });
      const tensors = weights.map((w) => tf.tensor(w.data, w.shape));
      model.setWeights(tensors);
      for (const t of tensors) t.dispose();
    },
    dispose: () => trainer.dispose(),
  };
}
