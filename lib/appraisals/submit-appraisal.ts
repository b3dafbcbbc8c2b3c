import "server-only";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { type ProcessedPhoto, processPhoto } from "@/lib/images";
import { type CreatedAppraisal, createAppraisal, findByIdempotencyKey } from "./create-appraisal";
import { getModelService, type ServedModel } from "./model-service";
import { readAppraisalUpload, type UploadLimits } from "./read-upload";
import { idempotencyKeySchema } from "./schemas";
import { hashSellerToken } from "./seller-token";
import { scheduleOrphanSweep } from "./sweep-orphan-photos";

export interface SubmitOptions {
  sellerToken: string;
  /** The raw Idempotency-Key header, if any. */
  idempotencyKey?: string | null;
  limits?: UploadLimits;
}

/** The configured upload caps (lib/env.ts). */
export function uploadLimitsFromEnv(): UploadLimits {
  const env = getEnv();
  return { maxPhotoBytes: env.MAX_PHOTO_BYTES, maxPhotos: env.MAX_PHOTOS, maxRequestBytes: env.MAX_REQUEST_BYTES };
}

/**
 * Handles one seller submit end to end: replay by Idempotency-Key, streamed upload, ingestion that
 * starts as each photo arrives, then createAppraisal.
 */
export async function submitAppraisal(req: Request, options: SubmitOptions): Promise<CreatedAppraisal> {
  scheduleOrphanSweep();
  const sellerTokenHash = hashSellerToken(options.sellerToken);
  let idempotencyKey: string | undefined;
  if (options.idempotencyKey != null) {
    const parsed = idempotencyKeySchema.safeParse(options.idempotencyKey);
    if (!parsed.success) {
      throw new AppError("validation", `Idempotency-Key ${parsed.error.issues[0].message}.`, {
        field: "Idempotency-Key",
      });
    }
    idempotencyKey = parsed.data;
    const prior = await findByIdempotencyKey(idempotencyKey, sellerTokenHash);
    if (prior) {
      await req.body?.cancel().catch(() => {});
      return { quote: prior, replayed: true };
    }
  }

  // Before reading the upload: if there is no model there is no quote, so say so straight away.
  const models = await getModelService();
  // The model is pinned for the whole request: the photos are prepared at its input size.
  return models.use((model) => receiveAndCreate(req, model, options, { sellerTokenHash, idempotencyKey }));
}

async function receiveAndCreate(
  req: Request,
  model: ServedModel,
  options: SubmitOptions,
  ids: { sellerTokenHash: string; idempotencyKey?: string },
): Promise<CreatedAppraisal> {
  const started = performance.now();
  const modelInputSize = model.service.card.inputSize;
  const abort = new AbortController();
  const jobs = new Map<number, Promise<ProcessedPhoto>>();
  const upload = await readAppraisalUpload(req, options.limits ?? uploadLimitsFromEnv(), {
    signal: abort.signal,
    onPhoto: (photo) => {
      const job = processPhoto(photo.bytes, { slot: photo.sentSlot, fileName: photo.fileName }, { modelInputSize });
      // A refused photo stops the upload: the seller hears about it before the rest arrives.
      job.catch((err) => abort.abort(err));
      jobs.set(photo.sentSlot, job);
    },
  });
  const received = performance.now();
  const processed = await Promise.all(
    upload.photos.map(async (photo) => {
      const job = jobs.get(photo.sentSlot);
      if (!job) throw new Error(`photo in slot ${photo.sentSlot} was never processed`);
      return { ...(await job), slot: photo.slot };
    }),
  );
  const ingested = performance.now();
  const created = await createAppraisal(
    {
      photos: processed,
      declaredCategory: upload.fields.declaredCategory,
      ...ids,
    },
    model,
  );
  // "receive" overlaps ingestion of earlier photos; "ingest" is what was left after the last byte.
  return { ...created, timings: { receive: received - started, ingest: ingested - received, ...created.timings } };
}
