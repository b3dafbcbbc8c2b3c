import "server-only";
import busboy from "busboy";
import { AppError } from "@/lib/errors";
import { fromZodError } from "@/lib/http/respond";
import { checkPhotoByteSize, slotName } from "@/lib/images";
import { formatBytes, photoError } from "@/lib/images/describe";
import { type AppraisalFields, appraisalFieldsSchema, photoFieldSchema } from "./schemas";

/** One photo as it arrived: the slot the browser put it in and its bytes. */
export interface ReceivedPhoto {
  /** The slot after normalizeSlots; equals `sentSlot` except for renumbered Other photos. */
  slot: number;
  /** The slot the browser sent it in (what error messages about this file name). */
  sentSlot: number;
  fileName: string;
  bytes: Buffer;
}

export interface ReceivedUpload {
  /** Ordered by slot, Other slots renumbered to close gaps (see normalizeSlots). */
  photos: ReceivedPhoto[];
  fields: AppraisalFields;
}

export interface UploadLimits {
  maxPhotoBytes: number;
  maxPhotos: number;
  maxRequestBytes: number;
}

export interface ReadUploadOptions {
  /** Called as soon as each photo has fully arrived, so ingestion overlaps the rest of the upload. */
  onPhoto?: (photo: ReceivedPhoto) => void;
  /** Aborting stops reading (e.g. an earlier photo was already refused). */
  signal?: AbortSignal;
}

const MAX_TEXT_FIELDS = 8;
const MAX_FIELD_BYTES = 1024;

/**
 * Streams a multipart appraisal upload, refusing as early as possible: on Content-Length before a
 * byte is read, on a slot or count problem when a file part starts (before its bytes), and on the
 * per-photo and per-request caps while the bytes arrive. Photos are kept in memory (≤ caps).
 */
export async function readAppraisalUpload(
  req: Request,
  limits: UploadLimits,
  options: ReadUploadOptions = {},
): Promise<ReceivedUpload> {
  const contentType = req.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    throw new AppError("unsupported_media", "Send the photos as multipart/form-data.", { field: "photos" });
  }
  const declared = Number(req.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limits.maxRequestBytes) throw requestTooLarge(declared, limits);
  if (!req.body) throw new AppError("validation", "Add at least a Front photo of the item.", { field: "photos[0]" });

  const photos = new Map<number, ReceivedPhoto>();
  const text: Record<string, string> = {};
  let failure: unknown;
  let fileCount = 0;

  const parser = busboy({
    headers: { "content-type": contentType },
    limits: {
      // Our own counters produce the messages; these are a backstop one byte past them.
      fileSize: limits.maxPhotoBytes + 1,
      files: limits.maxPhotos + 1,
      fields: MAX_TEXT_FIELDS,
      fieldSize: MAX_FIELD_BYTES,
      fieldNameSize: 64,
    },
  });
  const fail = (err: unknown) => {
    failure ??= err;
  };

  parser.on("file", (name, stream, info) => {
    // Destroying the parser mid-file errors the file stream; the request has already failed by then.
    stream.on("error", () => {});
    if (failure) return void stream.resume();
    // Counted first: a ninth photo is "too many" whatever slot it claims.
    fileCount++;
    if (fileCount > limits.maxPhotos) {
      fail(
        new AppError("too_many", `An appraisal can have at most ${limits.maxPhotos} photos — remove the extra ones.`, {
          field: "photos",
        }),
      );
      return void stream.resume();
    }
    const parsedSlot = photoFieldSchema.safeParse(name);
    if (!parsedSlot.success) {
      fail(
        new AppError("validation", `File field "${name.slice(0, 40)}": ${parsedSlot.error.issues[0].message}.`, {
          field: "photos",
        }),
      );
      return void stream.resume();
    }
    const slot = parsedSlot.data;
    const ctx = { slot, fileName: info.filename ?? "" };
    if (photos.has(slot)) {
      fail(
        new AppError("validation", `Two photos were sent for the ${slotName(slot)} slot — each slot holds one photo.`, {
          field: `photos[${slot}]`,
        }),
      );
      return void stream.resume();
    }
    // Reserve the slot now so a second part for it is refused before its bytes are read.
    const chunks: Buffer[] = [];
    let size = 0;
    photos.set(slot, { slot, sentSlot: slot, fileName: ctx.fileName, bytes: Buffer.alloc(0) });
    stream.on("data", (chunk: Buffer) => {
      if (failure) return;
      size += chunk.length;
      if (size > limits.maxPhotoBytes) {
        // Only part of the file has arrived, so its full size is unknown: say "bigger than".
        const max = formatBytes(limits.maxPhotoBytes);
        fail(
          photoError(
            "too_large",
            ctx,
            `the file is bigger than ${max}, the most one photo can be — use a smaller photo.`,
          ),
        );
        return;
      }
      chunks.push(chunk);
    });
    stream.on("end", () => {
      if (failure) return;
      // An empty file input sends a nameless, empty part: that is "no photo", not a photo.
      if (size === 0 && !ctx.fileName) {
        photos.delete(slot);
        fileCount--;
        return;
      }
      try {
        checkPhotoByteSize(size, ctx, { maxBytes: limits.maxPhotoBytes });
      } catch (err) {
        fail(err);
        return;
      }
      const photo = { slot, sentSlot: slot, fileName: ctx.fileName, bytes: Buffer.concat(chunks, size) };
      photos.set(slot, photo);
      options.onPhoto?.(photo);
    });
  });
  parser.on("field", (name, value, info) => {
    if (failure) return;
    if (info.valueTruncated || info.nameTruncated) {
      fail(new AppError("validation", `Field "${name.slice(0, 40)}" is too long.`, { field: name.slice(0, 40) }));
    } else if (Object.hasOwn(text, name)) {
      fail(new AppError("validation", `Field "${name}" was sent twice.`, { field: name }));
    } else {
      text[name] = value;
    }
  });
  parser.on("fieldsLimit", () => fail(new AppError("validation", "Too many form fields.", { field: "fields" })));

  const finished = new Promise<void>((resolve, reject) => {
    parser.on("close", resolve);
    parser.on("error", (err: Error) =>
      reject(
        new AppError("validation", "The upload is not valid multipart/form-data.", { cause: err, field: "photos" }),
      ),
    );
  });
  finished.catch(() => {});

  const reader = req.body.getReader();
  let received = 0;
  try {
    for (;;) {
      if (failure) throw failure;
      if (options.signal?.aborted) throw options.signal.reason;
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > limits.maxRequestBytes) throw requestTooLarge(limits.maxRequestBytes, limits, true);
      // A parse error means no "drain" will ever come: race it with the parser finishing or failing.
      if (!parser.write(value)) await Promise.race([new Promise((resolve) => parser.once("drain", resolve)), finished]);
    }
    parser.end();
    await finished;
    if (failure) throw failure;
  } catch (err) {
    // Stop the client's upload instead of reading (and discarding) the rest of it.
    await reader.cancel().catch(() => {});
    parser.destroy();
    throw err;
  }

  const parsedFields = appraisalFieldsSchema.safeParse(text);
  if (!parsedFields.success) throw fromZodError(parsedFields.error);
  return { photos: normalizeSlots([...photos.values()]), fields: parsedFields.data };
}

/**
 * Slot rules, from the seller's point of view: Front is required; Back may be empty (a missing
 * back is not a gap to fill — the model treats slot 1 as "the back"); the Other photos are a list,
 * so gaps between them are closed by renumbering in order (Other 1, Other 3 → Other 1, Other 2).
 */
export function normalizeSlots<T extends { slot: number }>(photos: T[]): T[] {
  const sorted = [...photos].sort((a, b) => a.slot - b.slot);
  if (sorted.length === 0 || sorted[0].slot !== 0) {
    throw new AppError("validation", "Add a Front photo of the item — it is the one photo every appraisal needs.", {
      field: "photos[0]",
    });
  }
  let nextOther = 2;
  return sorted.map((p) => (p.slot < 2 ? p : { ...p, slot: nextOther++ }));
}

function requestTooLarge(bytes: number, limits: UploadLimits, streamed = false): AppError {
  const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;
  return new AppError(
    "too_large",
    `The upload is ${streamed ? "more than" : ""} ${mb(bytes)}; all photos together can be at most ${mb(limits.maxRequestBytes)}.`.replace(
      "  ",
      " ",
    ),
    { field: "photos" },
  );
}
