import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { load } from "@/lib/ml/appraisal-model";
import { createInferenceService, type InferenceService } from "@/lib/ml/inference-service";
import { ensureBackend } from "@/lib/ml/runtime";
import { fakePixels, tempDir, writeTinyModel } from "./helpers";

let dir: string;
let service: InferenceService;

beforeAll(async () => {
  await ensureBackend("wasm");
  dir = await tempDir("inference-service");
  await writeTinyModel(dir, "concat");
  service = await createInferenceService(dir, { workers: 2 });
}, 120_000);
afterAll(async () => {
  await service?.dispose();
});

describe("createInferenceService (worker threads)", () => {
  it("answers like the in-process model, for concurrent requests spread over workers", async () => {
    const local = await load(dir);
    const requests = [1, 2, 3, 4].map((s) => [
      { pixels: fakePixels(s), slot: 0 },
      { pixels: fakePixels(s + 10), slot: 1 },
    ]);
    const remote = await Promise.all(requests.map((r) => service.predict(r)));
    for (const [i, r] of requests.entries()) {
      const expected = await local.predict(r);
      expect(remote[i].category).toBe(expected.category);
      expect(remote[i].confidence).toBeCloseTo(expected.confidence, 5);
      expect(remote[i].price).toEqual(expected.price);
    }
    local.dispose();
    expect(service.card.version).toBe("tiny-test");
  });

  it("passes validation errors back as AppError with their code", async () => {
    const err = await service.predict([{ pixels: new Uint8Array(3), slot: 0 }]).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("validation");
  });

  it("fails to start with a clear error for a missing model", async () => {
    await expect(createInferenceService(`${dir}/missing`)).rejects.toThrow(/no model card/);
  }, 60_000);
});
