import fs from "node:fs/promises";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCustomBackbone } from "@/lib/ml/custom-backbone";
import { ensureBackend } from "@/lib/ml/runtime";
import { saveLayersModel } from "@/lib/ml/weights-io";
import { tempDir } from "./helpers";

/** A small Keras-style conv net with a spatial output, like include_top=False backbones. */
function smallConvNet(size: number): tf.LayersModel {
  const input = tf.input({ shape: [size, size, 3] });
  const x = tf.layers
    .conv2d({
      filters: 8,
      kernelSize: 3,
      strides: 2,
      activation: "relu",
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
    })
    .apply(input) as tf.SymbolicTensor;
  const y = tf.layers
    .separableConv2d({
      filters: 12,
      kernelSize: 3,
      padding: "same",
      depthwiseInitializer: tf.initializers.glorotUniform({ seed: 2 }),
      pointwiseInitializer: tf.initializers.glorotUniform({ seed: 3 }),
    })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: y });
}

let dir: string;
beforeAll(async () => {
  await ensureBackend("wasm");
  dir = await tempDir("byo");
  await saveLayersModel(smallConvNet(40), path.join(dir, "ok"));
  const flat = tf.sequential({ layers: [tf.layers.dense({ inputShape: [10], units: 4 })] });
  await saveLayersModel(flat, path.join(dir, "flat"));
});

describe("bring your own backbone", () => {
  it("loads a saved LayersModel by path and pools a spatial output to features", async () => {
    const { model, inputSize, featureDim } = await loadCustomBackbone(path.join(dir, "ok", "model.json"));
    expect([inputSize, featureDim]).toEqual([40, 12]);
    const out = tf.tidy(() => (model.predict(tf.ones([2, 40, 40, 3])) as tf.Tensor).shape);
    expect(out).toEqual([2, 12]);
    model.dispose();
  });

  it.each([
    [{ inputSize: 96 }, /input size 40 does not match the model card's 96/],
    [{ featureDim: 192 }, /feature size 12 does not match the head's 192/],
  ])("rejects a mismatch with the model card: %o", async (expectation, message) => {
    await expect(loadCustomBackbone(path.join(dir, "ok", "model.json"), expectation)).rejects.toThrow(message);
  });

  it("rejects a model that does not take images", async () => {
    await expect(loadCustomBackbone(path.join(dir, "flat", "model.json"))).rejects.toThrow(
      /input must be \[batch, S, S, 3\]/,
    );
  });

  it("rejects a missing or corrupt file", async () => {
    await expect(loadCustomBackbone(path.join(dir, "missing.json"))).rejects.toThrow(/does not exist/);
    await fs.writeFile(path.join(dir, "bad.json"), JSON.stringify({ hello: 1 }));
    await expect(loadCustomBackbone(path.join(dir, "bad.json"))).rejects.toThrow(/not a loadable tfjs LayersModel/);
  });
});
