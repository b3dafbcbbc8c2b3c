import fs from "node:fs/promises";
import * as tf from "@tensorflow/tfjs";
import { AppError } from "../errors";
import { loadLayersModelFile } from "./weights-io";

/**
 * Bring your own backbone: a tfjs LayersModel (`model.json` + weight files), e.g. Keras NASNetMobile
 * converted with `tensorflowjs_converter --input_format keras`. It must take [batch, S, S, 3] images and
 * return either [batch, D] features or a [batch, h, w, D] map (global-average-pooled here).
 */

export interface BackboneExpectation {
  /** The model card's input size, when loading into an existing model. */
  inputSize?: number;
  /** The head's feature size, when loading into an existing model. */
  featureDim?: number;
}

/** Loads and checks a user-supplied backbone; mismatches throw AppError("invalid") naming both shapes. */
export async function loadCustomBackbone(
  modelJsonPath: string,
  expect: BackboneExpectation = {},
): Promise<{ model: tf.LayersModel; inputSize: number; featureDim: number }> {
  try {
    await fs.access(modelJsonPath);
  } catch (err) {
    throw new AppError("not_found", `backbone ${modelJsonPath} does not exist`, { cause: err });
  }
  let model: tf.LayersModel;
  try {
    model = await loadLayersModelFile(modelJsonPath);
  } catch (err) {
    throw new AppError(
      "invalid",
      `backbone ${modelJsonPath} is not a loadable tfjs LayersModel: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  const fail = (message: string): never => {
    model.dispose();
    throw new AppError("invalid", `backbone ${modelJsonPath}: ${message}`);
  };
  if (model.inputs.length !== 1 || model.outputs.length !== 1)
    fail(`needs exactly one input and one output, has ${model.inputs.length} and ${model.outputs.length}`);
  const inShape = model.inputs[0].shape;
  if (inShape.length !== 4 || inShape[3] !== 3 || inShape[1] === null || inShape[1] !== inShape[2])
    fail(`input must be [batch, S, S, 3] with a fixed S, got [${inShape.map(String)}]`);
  const inputSize = inShape[1] as number;
  if (expect.inputSize !== undefined && inputSize !== expect.inputSize)
    fail(`input size ${inputSize} does not match the model card's ${expect.inputSize}`);

  let outShape = model.outputs[0].shape;
  if (outShape.length === 4) {
    const pooled = tf.layers
      .globalAveragePooling2d({ name: "byo_features" })
      .apply(model.outputs[0]) as tf.SymbolicTensor;
    model = tf.model({ inputs: model.inputs, outputs: pooled });
    outShape = pooled.shape;
  }
  if (outShape.length !== 2 || outShape[1] === null)
    fail(`output must be [batch, D] or [batch, h, w, D], got [${outShape.map(String)}]`);
  const featureDim = outShape[1] as number;
  if (expect.featureDim !== undefined && featureDim !== expect.featureDim)
    fail(`feature size ${featureDim} does not match the head's ${expect.featureDim}`);
  return { model, inputSize, featureDim };
}
