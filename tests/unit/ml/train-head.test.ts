import { beforeAll, describe, expect, it } from "vitest";
import { ensureBackend } from "@/lib/ml/runtime";
import { SetHead } from "@/lib/ml/set-head";
import {
  computePriceStats,
  DEFAULT_HEAD_TRAINING,
  packItems,
  type SetExample,
  shuffleUploadOrder,
  trainHead,
} from "@/lib/ml/train-head";
import { tinyHeadConfig } from "./helpers";

const D = 48;

/** Items whose category shows in the front photo's features and whose price depends on which slot shows damage. */
function examples(n: number): SetExample[] {
  return Array.from({ length: n }, (_, i) => {
    const category = i % 3;
    const photos = 1 + (i % 3);
    const features = Array.from({ length: photos }, (_, j) => {
      const f = new Float32Array(D);
      for (let d = 0; d < D; d++) f[d] = Math.sin(i * 7.1 + j * 3.3 + d) * 0.3;
      if (j === 0) f[category] += 2;
      return f;
    });
    return {
      features,
      slots: features.map((_, j) => j),
      views: features.map((_, j) => Math.min(j, 3)),
      category,
      price: 100 * (1 + category),
    };
  });
}

beforeAll(async () => {
  await ensureBackend("wasm");
});

describe("trainHead", () => {
  const data = examples(60);
  const price = computePriceStats(data.map((e) => e.price));
  const packed = packItems(data, 8, D, price);
  const options = { ...DEFAULT_HEAD_TRAINING, epochs: 8, batchSize: 16 };

  it("is deterministic for a seed and lowers the loss", () => {
    const a = new SetHead(tinyHeadConfig("film", D, 2));
    const b = new SetHead(tinyHeadConfig("film", D, 2));
    const la = trainHead(a, packed, { ...options, seed: 4 });
    const lb = trainHead(b, packed, { ...options, seed: 4 });
    expect(lb).toEqual(la);
    expect(la.at(-1) as number).toBeLessThan(la[0]);
    a.dispose();
    b.dispose();
  });

  it("packs padding as masked and shuffles upload order without losing photos", () => {
    expect(Array.from(packed.mask.slice(0, 8))).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(packed.views.slice(8, 16))).toEqual([0, 1, -1, -1, -1, -1, -1, -1]);
    const shuffled = shuffleUploadOrder(data, 3);
    for (const [i, ex] of shuffled.entries()) {
      expect(ex.slots).toEqual(ex.features.map((_, j) => j));
      expect(new Set(ex.features)).toEqual(new Set(data[i].features));
    }
    expect(shuffled.some((ex, i) => ex.features[0] !== data[i].features[0])).toBe(true);
  });
});
