import fs from "node:fs/promises";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";

/** File I/O for tfjs artifacts without tfjs-node (whose file:// handler is not available here). */

export type WeightSpec = { name: string; shape: number[]; dtype: "float32" | "int32" };

interface LayersModelJson {
  modelTopology: object;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/** Saves a LayersModel as `<dir>/model.json` + `<dir>/weights.bin` (the tfjs LayersModel format). */
export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0);
      const json: LayersModelJson = {
        modelTopology: artifacts.modelTopology as object,
        format: "layers-model",
        generatedBy: artifacts.generatedBy,
        convertedBy: null,
        weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs ?? [] }],
      };
      await fs.writeFile(path.join(dir, "weights.bin"), Buffer.from(data));
      await fs.writeFile(path.join(dir, "model.json"), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
}

/** Loads a LayersModel from a `model.json` path (weights files resolved next to it). */
export async function loadLayersModelFile(modelJsonPath: string): Promise<tf.LayersModel> {
  const json = JSON.parse(await fs.readFile(modelJsonPath, "utf8")) as LayersModelJson;
  if (!json.modelTopology || !Array.isArray(json.weightsManifest))
    throw new Error(`${modelJsonPath} is not a tfjs LayersModel (needs modelTopology and weightsManifest)`);
  const dir = path.dirname(modelJsonPath);
  const buffers: Buffer[] = [];
  const specs: tf.io.WeightsManifestEntry[] = [];
  for (const group of json.weightsManifest) {
    for (const p of group.paths) buffers.push(await fs.readFile(path.join(dir, p)));
    specs.push(...group.weights);
  }
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData }));
}

/** Writes named tensors to one binary file and returns their specs (for the model card). */
export async function saveNamedWeights(file: string, tensors: Record<string, tf.Tensor>): Promise<WeightSpec[]> {
  const { data, specs } = await tf.io.encodeWeights(tensors);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, Buffer.from(tf.io.CompositeArrayBuffer.join(data)));
  return specs.map((s) => ({ name: s.name, shape: s.shape, dtype: s.dtype as WeightSpec["dtype"] }));
}

/** Reads tensors written by saveNamedWeights; the caller owns (and disposes) them. */
export async function loadNamedWeights(file: string, specs: WeightSpec[]): Promise<Record<string, tf.Tensor>> {
  const buf = await fs.readFile(file);
  const expected = specs.reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
  if (buf.byteLength !== expected)
    throw new Error(`${file} holds ${buf.byteLength} bytes, its specs describe ${expected}`);
  return tf.io.decodeWeights(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength), specs);
}
