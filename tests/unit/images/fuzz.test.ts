import fc from "fast-check";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import { DEFAULT_PHOTO_LIMITS, processPhoto } from "@/lib/images";
import { scene } from "@/tests/fixtures/images/scene";

const SEEDS = { jpeg: Buffer.alloc(0), png: Buffer.alloc(0), webp: Buffer.alloc(0) };

/** Corrupts a valid photo: overwrite bytes, cut it short, or splice in junk. */
const mutation = (length: number) =>
  fc.oneof(
    fc.record({
      kind: fc.constant("overwrite" as const),
      edits: fc.array(fc.tuple(fc.nat(length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 24 }),
    }),
    fc.record({ kind: fc.constant("truncate" as const), at: fc.nat(length - 1) }),
    fc.record({
      kind: fc.constant("splice" as const),
      at: fc.nat(length - 1),
      junk: fc.uint8Array({ minLength: 1, maxLength: 64 }),
    }),
  );

function apply(bytes: Buffer, m: MutationValue): Buffer {
  if (m.kind === "truncate") return bytes.subarray(0, m.at);
  if (m.kind === "splice") return Buffer.concat([bytes.subarray(0, m.at), Buffer.from(m.junk), bytes.subarray(m.at)]);
  const out = Buffer.from(bytes);
  for (const [i, v] of m.edits) out[i] = v;
  return out;
}

type MutationValue =
  | { kind: "overwrite"; edits: [number, number][] }
  | { kind: "truncate"; at: number }
  | { kind: "splice"; at: number; junk: Uint8Array };

describe("processPhoto on corrupted photos", () => {
  beforeAll(async () => {
    const base = scene(160, 120, { seed: 77 });
    SEEDS.jpeg = await base.clone().jpeg({ quality: 80 }).toBuffer();
    SEEDS.png = await base.clone().png().toBuffer();
    SEEDS.webp = await base.clone().webp().toBuffer();
  });

  it.each(["jpeg", "png", "webp"] as const)(
    "either accepts a corrupted %s or refuses it with an AppError — never crashes or throws anything else",
    async (format) => {
      const seed = SEEDS[format];
      const outcomes: Record<string, number> = { accepted: 0 };
      await fc.assert(
        fc.asyncProperty(mutation(seed.length), async (m) => {
          const bytes = apply(seed, m as MutationValue);
          try {
            const photo = await processPhoto(
              bytes,
              { slot: 0, fileName: `fuzz.${format}` },
              { modelInputSize: 16, limits: DEFAULT_PHOTO_LIMITS },
            );
            // Whatever got through is a normal photo.
            expect((await sharp(photo.display).metadata()).format).toBe("webp");
            outcomes.accepted++;
          } catch (err) {
            if (!isAppError(err)) throw err;
            outcomes[err.code] = (outcomes[err.code] ?? 0) + 1;
            expect(["invalid", "unsupported_media", "too_large"]).toContain(err.code);
            expect(err.message.startsWith(`Front photo "fuzz.${format}": `)).toBe(true);
          }
        }),
        { numRuns: 100, seed: 20261128 },
      );
      // Both branches must be exercised, or the property says nothing.
      expect(outcomes.accepted).toBeGreaterThan(0);
      expect(outcomes.invalid).toBeGreaterThan(0);
    },
  );
});
