import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildBackbone } from "@/lib/ml/backbone";
import { ensureBackend } from "@/lib/ml/runtime";
import { TINY_SIZE, tinyBackbone } from "./helpers";

beforeAll(async () => {
  await ensureBackend("wasm");
});

describe("NASNet backbone", () => {
  it("maps [b, S, S, 3] images to [b, F] features", () => {
    const model = tinyBackbone();
    const out = tf.tidy(() => (model.predict(tf.zeros([2, TINY_SIZE, TINY_SIZE, 3])) as tf.Tensor).shape);
    expect(out).toEqual([2, 48]);
    expect(model.outputs[0].shape).toEqual([null, 48]);
    model.dispose();
  });

  it("is built from NASNet-A cells: separable convs, pooling and identity adds, concatenated", () => {
    const model = tinyBackbone();
    const names = model.layers.map((l) => l.getClassName());
    expect(names).toContain("SeparableConv2D");
    expect(names).toContain("AveragePooling2D");
    expect(names).toContain("MaxPooling2D");
    // 1 stem reduction + 3 stacks × 1 normal cell + 2 reductions, one concatenation each
    expect(names.filter((n) => n === "Concatenate")).toHaveLength(6);
    model.dispose();
  });

  it("gives identical weights for a seed and different ones across seeds", () => {
    const [a, b, c] = [tinyBackbone(3), tinyBackbone(3), tinyBackbone(4)];
    const x = tf.randomUniform([1, TINY_SIZE, TINY_SIZE, 3], 0, 1, "float32", 1);
    const [ya, yb, yc] = [a, b, c].map((m) => Array.from((m.predict(x) as tf.Tensor).dataSync()));
    expect(yb).toEqual(ya);
    expect(yc).not.toEqual(ya);
    for (const m of [a, b, c]) m.dispose();
    x.dispose();
  });

  it("with avg-max pooling gives the average and the maximum of the last map, 2F features", async () => {
    const config = {
      inputSize: TINY_SIZE,
      cells: 1,
      penultimateFilters: 48,
      stemFilters: 4,
      stemReductions: 1,
      seed: 2,
    };
    const avg = buildBackbone(config);
    const both = buildBackbone({ ...config, pooling: "avg-max" });
    expect(both.outputs[0].shape).toEqual([null, 96]);
    const x = tf.randomUniform([2, TINY_SIZE, TINY_SIZE, 3], 0, 1, "float32", 5);
    const ya = avg.predict(x) as tf.Tensor2D;
    const yb = both.predict(x) as tf.Tensor2D;
    // Same seed, same cells: the first half is the plain model's average, the second half bounds it from above.
    const [mean, max] = tf.split(yb, 2, 1);
    expect(Array.from(await mean.data())).toEqual(Array.from(await ya.data()));
    expect((await tf.sub(max, mean).min().data())[0]).toBeGreaterThanOrEqual(0);
    tf.dispose([x, ya, yb, mean, max]);
    avg.dispose();
    both.dispose();
  });

  it("rejects a penultimate size that the cells cannot split", () => {
    expect(() =>
      buildBackbone({ inputSize: 32, cells: 1, penultimateFilters: 50, stemFilters: 4, stemReductions: 1, seed: 1 }),
    ).toThrow(/divisible by 24/);
  });
});
