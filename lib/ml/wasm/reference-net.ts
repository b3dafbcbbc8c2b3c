import * as tf from "@tensorflow/tfjs";

// The 266k-parameter separable-conv net behind the baseline figures (/work/shared/reference), rebuilt
// layer for layer so benchmark numbers compare with the quoted cpu (162 s/step) and wasm inference (9.8 ms/image).

export const REFERENCE_INPUT_SIZE = 128;
export const REFERENCE_CLASSES = 8;

/** Builds the reference baseline net (input 128×128×3, 8-way softmax). */
export function buildReferenceNet(): tf.LayersModel {
  const sep = (x: tf.SymbolicTensor, filters: number, strides: number) =>
    tf.layers.separableConv2d({ filters, kernelSize: 3, strides, padding: "same" }).apply(x) as tf.SymbolicTensor;
  const bn = (x: tf.SymbolicTensor) => tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
  const relu = (x: tf.SymbolicTensor) => tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  const input = tf.input({ shape: [REFERENCE_INPUT_SIZE, REFERENCE_INPUT_SIZE, 3] });
  let x = relu(
    bn(tf.layers.conv2d({ filters: 24, kernelSize: 3, strides: 2, padding: "same" }).apply(input) as tf.SymbolicTensor),
  );
  for (const [filters, strides] of [
    [32, 1],
    [48, 2],
    [48, 1],
    [96, 2],
    [96, 1],
    [192, 2],
    [192, 1],
  ]) {
    const a = relu(bn(sep(x, filters, strides)));
    const b = bn(sep(a, filters, 1));
    const shortcut = tf.layers
      .conv2d({ filters, kernelSize: 1, strides, padding: "same" })
      .apply(x) as tf.SymbolicTensor;
    x = relu(tf.layers.add().apply([b, shortcut]) as tf.SymbolicTensor);
  }
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: REFERENCE_CLASSES, activation: "softmax" }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}
