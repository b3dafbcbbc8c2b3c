import { z } from "zod";
import { CATEGORIES } from "@/lib/dataset/categories";

/** Upload positions: 0 front, 1 back, 2..7 other (the form shows Front, Back, Other 1–6). */
export const SLOT_COUNT = 8;

/** 128 random bits, base64url: unguessable, so ids in URLs reveal nothing. */
export const appraisalIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, "is not an appraisal id");

/** Client-chosen retry key (a UUID from the browser); printable, bounded, no spaces. */
export const idempotencyKeySchema = z
  .string()
  .min(8, "must be at least 8 characters")
  .max(128, "must be at most 128 characters")
  .regex(/^[A-Za-z0-9._:-]+$/, "may only contain letters, digits and . _ : -");

/** The optional category the seller says the item is; "" (the select's placeholder) means none. */
export const declaredCategorySchema = z
  .enum(["", ...CATEGORIES], { error: "is not a category we quote" })
  .transform((v) => (v === "" ? undefined : v));

/** The multipart file field name of a photo: `photos[<slot>]`. */
export const photoFieldSchema = z
  .string()
  .regex(/^photos\[(0|[1-9][0-9]?)\]$/, 'must be named "photos[<slot>]" with a slot number 0–7')
  .transform((name) => Number(name.slice(7, -1)))
  .pipe(
    z
      .number()
      .int()
      .min(0)
      .max(SLOT_COUNT - 1, `slot must be 0–${SLOT_COUNT - 1}`),
  );

/** The text fields of the upload form; anything else is refused so typos surface. */
export const appraisalFieldsSchema = z.strictObject({
  declaredCategory: declaredCategorySchema.optional(),
});

export type AppraisalFields = z.infer<typeof appraisalFieldsSchema>;

/** Sizes a photo is served at. The raw upload is never kept, so "display" is the largest. */
export const photoSizeSchema = z.enum(["thumb", "display"]);
export type PhotoSize = z.infer<typeof photoSizeSchema>;

export const photoIdSchema = z.uuid({ error: "is not a photo id" });
