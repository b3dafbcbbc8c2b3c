// A promoted model is picked up by a running server without losing requests: real inference workers,
// real ModelVersion rows, promotion through model:promote's library function.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createInferenceService, type InferenceService } from "@/lib/ml/inference-service";
import { createModelSwitcher } from "@/lib/review/model-switcher";
import { findActiveModelVersion } from "@/lib/review/model-versions";
import { promoteModel } from "@/lib/review/promote-model";
import { writeTinyModel } from "@/tests/integration/appraisals/tiny-model";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "hot-swap-"));
const v1 = path.join(root, "v1");
const v2 = path.join(root, "v2");
const loaded: string[] = [];
const disposed: string[] = [];

const switcher = createModelSwitcher<InferenceService>({
  findActive: findActiveModelVersion,
  load: async (ref) => {
    const service = await createInferenceService(ref.dir, { workers: 1 });
    loaded.push(ref.id);
    return {
      card: service.card,
      predict: (photos) => service.predict(photos),
      dispose: async () => {
        disposed.push(ref.id);
        await service.dispose();
      },
    };
  },
});

afterAll(async () => {
  await switcher.stop();
});

function photos(size: number, n: number) {
  return Array.from({ length: n }, (_, slot) => ({
    pixels: new Uint8Array(size * size * 3).map((_, i) => (i * (slot + 7)) % 251),
    slot,
  }));
}

describe("hot pick-up of a promoted model", () => {
  it("requests in flight finish on the old model, later ones use the new one; the old workers stop afterwards", async () => {
    await writeTinyModel(v1, { version: "hot-v1" });
    await writeTinyModel(v2, { version: "hot-v2" });
    const scores: Record<string, number> = { [v1]: 0.5, [v2]: 0.6 };
    const evaluate = async (dir: string) => scores[path.resolve(dir)];
    await promoteModel({ modelDir: v1, evaluate, heldOut: "test" });

    const size = 32;
    const first = await switcher.use(async (s, version) => ({ version, p: await s.predict(photos(size, 2)) }));
    expect(first.version).toBe("hot-v1");

    // A burst of requests is in flight when the promotion lands and the switch happens.
    const inFlight = Array.from({ length: 12 }, () =>
      switcher.use(async (s, version) => ({ version, p: await s.predict(photos(size, 3)) })),
    );
    await promoteModel({ modelDir: v2, evaluate, heldOut: "test" });
    await switcher.refresh();
    const after = await switcher.use(async (s, version) => ({ version, p: await s.predict(photos(size, 1)) }));

    const results = await Promise.all(inFlight);
    expect(results.every((r) => r.version === "hot-v1" && r.p.topCategories.length > 0)).toBe(true);
    expect(after.version).toBe("hot-v2");
    expect(switcher.currentVersion()).toBe("hot-v2");
    expect(loaded).toEqual(["hot-v1", "hot-v2"]);
    await expect.poll(() => disposed).toEqual(["hot-v1"]);
  });
});
