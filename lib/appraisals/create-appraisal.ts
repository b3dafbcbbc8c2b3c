import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { assessPhotoSet, getPhotoStorage, type ProcessedPhoto } from "@/lib/images";
import { logger } from "@/lib/log";
import { decideReview } from "./decide-review";
import type { ServedModel } from "./model-service";
import { QUOTE_INCLUDE } from "./queries";
import { type Quote, toQuote } from "./quote";
import { keysOf, type StoredKeys, storePhoto } from "./store-photos";
import { deleteUnreferencedKeys } from "./sweep-orphan-photos";

export interface CreateAppraisalInput {
  /** Ingested photos, slots already normalized (Front present, Others contiguous). */
  photos: ProcessedPhoto[];
  declaredCategory?: string;
  sellerTokenHash: string;
  idempotencyKey?: string;
}

export interface CreatedAppraisal {
  quote: Quote;
  /** True when an earlier request with the same Idempotency-Key had already created it. */
  replayed: boolean;
  /** Milliseconds per stage, sent as Server-Timing so benchmarks can say where the time goes. */
  timings?: Record<string, number>;
}

/** 128 random bits, base64url (22 characters): ids in URLs cannot be guessed or enumerated. */
export function newAppraisalId(): string {
  return randomBytes(16).toString("base64url");
}

const slotKind = (slot: number) => (slot === 0 ? "front" : slot === 1 ? "back" : "other");

/**
 * Inference and file writes side by side → decision → one transaction (appraisal, photos,
 * prediction, "created" audit event). Files are written before the rows: if the transaction fails, no row exists and the files this
 * request wrote are deleted unless another appraisal shares them (the hourly sweep catches crashes).
 */
export async function createAppraisal(input: CreateAppraisalInput, model: ServedModel): Promise<CreatedAppraisal> {
  const photos = assessPhotoSet(input.photos).sort((a, b) => a.slot - b.slot);
  const storage = await getPhotoStorage();
  const written: StoredKeys[] = [];
  const id = newAppraisalId();
  const timings: Record<string, number> = {};
  try {
    const started = performance.now();
    // Inference (in a worker thread) and file writes (libuv) are independent: run them side by
    // side, and wait for both so a failure never leaves a write running after the cleanup below.
    const [inferred, stored] = await Promise.allSettled([
      model.service
        .predict(photos.map((p) => ({ pixels: p.modelInput.data, slot: p.slot, checksum: p.pixelSha256 })))
        .finally(() => {
          timings.inference = performance.now() - started;
        }),
      Promise.all(
        photos.map(async (p, i) => {
          written[i] = await storePhoto(storage, p);
        }),
      ).finally(() => {
        timings.store = performance.now() - started;
      }),
    ]);
    if (inferred.status === "rejected") throw inferred.reason;
    if (stored.status === "rejected") throw stored.reason;
    const prediction = inferred.value;
    const latencyMs = Math.round(timings.inference);
    const decision = decideReview({
      ...prediction,
      photos,
      declaredCategory: input.declaredCategory,
      thresholds: model.service.card.review,
    });
    const mark = performance.now();
    await db().$transaction([
      db().appraisal.create({
        data: {
          id,
          status: decision.status,
          declaredCategory: input.declaredCategory ?? null,
          sellerTokenHash: input.sellerTokenHash,
          idempotencyKey: input.idempotencyKey ?? null,
          currency: prediction.price.currency,
          photos: {
            create: photos.map((p, i) => ({
              slot: p.slot,
              kind: slotKind(p.slot),
              originalSha256: p.originalSha256,
              pixelSha256: p.pixelSha256,
              ...written[i],
              format: p.format,
              byteSize: p.byteSize,
              width: p.width,
              height: p.height,
              qualityFlags: p.quality as object[],
            })),
          },
          prediction: {
            create: {
              modelVersionId: model.modelVersionId,
              topCategories: prediction.topCategories,
              category: prediction.category,
              confidence: prediction.confidence,
              priceP10: prediction.price.p10,
              priceP50: prediction.price.p50,
              priceP90: prediction.price.p90,
              currency: prediction.price.currency,
              perPhoto: prediction.perPhoto,
              reviewReasons: decision.reasons,
              latencyMs,
            },
          },
        },
      }),
      db().auditEvent.create({
        data: {
          appraisalId: id,
          actorKind: "seller",
          action: "created",
          after: {
            status: decision.status,
            category: prediction.category,
            confidence: prediction.confidence,
            priceP50: prediction.price.p50,
            photos: photos.length,
          },
          modelVersion: model.modelVersionId,
          reason: decision.reasons.length ? decision.reasons.join(",") : null,
        },
      }),
    ]);
    timings.commit = performance.now() - mark;
    logger().info(
      {
        appraisal: id,
        status: decision.status,
        reasons: decision.reasons,
        photos: photos.length,
        inferenceMs: latencyMs,
      },
      "appraisal created",
    );
  } catch (err) {
    await deleteUnreferencedKeys(storage, written.filter(Boolean).flatMap(keysOf)).catch((cleanupErr) =>
      logger().warn({ err: cleanupErr }, "could not delete the files of a failed appraisal; the sweep will"),
    );
    if (input.idempotencyKey && isUniqueViolation(err)) {
      // A concurrent retry with the same key won the race: answer with its result.
      const prior = await findByIdempotencyKey(input.idempotencyKey, input.sellerTokenHash);
      if (prior) return { quote: prior, replayed: true };
    }
    throw err;
  }
  const row = await db().appraisal.findUniqueOrThrow({ where: { id }, include: QUOTE_INCLUDE });
  return { quote: toQuote(row), replayed: false, timings };
}

/** The quote created earlier with this Idempotency-Key; a key used by another seller is a conflict. */
export async function findByIdempotencyKey(key: string, sellerTokenHash: string): Promise<Quote | undefined> {
  const row = await db().appraisal.findUnique({ where: { idempotencyKey: key }, include: QUOTE_INCLUDE });
  if (!row) return undefined;
  if (row.sellerTokenHash !== sellerTokenHash) {
    throw new AppError("conflict", "This Idempotency-Key was already used for another upload — send a new key.", {
      field: "Idempotency-Key",
    });
  }
  return toQuote(row);
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";
}
