import { describe, expect, it } from "vitest";
import { DEFAULT_PHOTO_LIMITS, processPhoto } from "@/lib/images";
import { activeDecodes, MAX_CONCURRENT_DECODES, withDecodeSlot } from "@/lib/images/decode-slots";
import { sceneJpeg } from "@/tests/fixtures/images/scene";

const tick = () => new Promise((resolve) => setTimeout(resolve, 2));

describe("withDecodeSlot", () => {
  it("never runs more than the limit at once, and runs everything in arrival order", async () => {
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const jobs = Array.from({ length: 7 }, (_, i) =>
      withDecodeSlot(async () => {
        started.push(i);
        running++;
        peak = Math.max(peak, running);
        await tick();
        running--;
        return i;
      }, 2),
    );
    expect(await Promise.all(jobs)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(activeDecodes()).toBe(0);
  });

  it("frees the slot when the job fails", async () => {
    await expect(withDecodeSlot(() => Promise.reject(new Error("boom")), 1)).rejects.toThrow("boom");
    expect(activeDecodes()).toBe(0);
    expect(await withDecodeSlot(async () => "next", 1)).toBe("next");
  });

  it("bounds the decodes of a burst of uploads", async () => {
    const jpeg = await sceneJpeg(640, 480);
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, activeDecodes());
    }, 1);
    try {
      await Promise.all(
        Array.from({ length: 8 }, (_, slot) =>
          processPhoto(jpeg, { slot, fileName: "x.jpg" }, { modelInputSize: 32, limits: DEFAULT_PHOTO_LIMITS }),
        ),
      );
    } finally {
      clearInterval(sampler);
    }
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(MAX_CONCURRENT_DECODES);
    expect(activeDecodes()).toBe(0);
  });
});
