import { z } from "zod";
import { CATEGORIES, MAX_SLOTS, SPLITS, VIEWS } from "./categories";

/** Relative POSIX path inside the dataset directory: no absolute paths, drive letters, backslashes or `..`. */
export const relativePhotoPathSchema = z
  .string()
  .min(1, "must not be empty")
  .max(1024, "must be at most 1024 characters")
  .refine((p) => !p.startsWith("/") && !/^[A-Za-z]:/.test(p), "must be relative to the dataset directory")
  .refine((p) => !p.includes("\\"), "must use forward slashes")
  .refine((p) => !p.split("/").includes(".."), "must not contain '..'")
  .refine((p) => !p.includes("\0"), "must not contain NUL");

export const manifestPhotoSchema = z.object({
  path: relativePhotoPathSchema,
  /** Upload position as the seller's browser sent it: 0 front, 1 back, 2.. other. */
  slot: z
    .number()
    .int()
    .min(0)
    .max(MAX_SLOTS - 1),
  /** The true view, when known (always known for generated data). */
  view: z.enum(VIEWS).optional(),
});

export const DAMAGE_LEVELS = [0, 1, 2, 3] as const;
const damageLevelSchema = z.number().int().min(0).max(3);

/** Damage per face: 0 none, 1 light scratches/wear, 2 clear damage, 3 heavy (cracked, worn through). */
export const conditionSchema = z.object({
  front: damageLevelSchema.optional(),
  back: damageLevelSchema.optional(),
  sides: damageLevelSchema.optional(),
});

/**
 * Optional item attributes. Known keys are typed; anything else is kept as-is so users'
 * own data can carry extra columns through training and export.
 */
export const itemAttributesSchema = z.looseObject({
  brandTier: z.enum(["budget", "mid", "premium"]).optional(),
  condition: conditionSchema.optional(),
  variant: z.string().min(1).max(100).optional(),
  storage: z.string().min(1).max(100).optional(),
  colour: z.string().min(1).max(100).optional(),
  /** "shuffled" when the seller's upload order departed from front, back, others. */
  uploadOrder: z.enum(["canonical", "shuffled"]).optional(),
});

export const manifestItemSchema = z
  .object({
    itemId: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "must be letters, digits, '.', '_' or '-'"),
    category: z.enum(CATEGORIES),
    price: z.number().positive().finite(),
    currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as EUR"),
    split: z.enum(SPLITS).optional(),
    photos: z.array(manifestPhotoSchema).min(1).max(MAX_SLOTS),
    attributes: itemAttributesSchema.optional(),
  })
  .superRefine((item, ctx) => {
    const slots = new Set<number>();
    const paths = new Set<string>();
    item.photos.forEach((photo, i) => {
      if (slots.has(photo.slot)) {
        ctx.addIssue({ code: "custom", path: ["photos", i, "slot"], message: `slot ${photo.slot} is used twice` });
      }
      if (paths.has(photo.path)) {
        ctx.addIssue({ code: "custom", path: ["photos", i, "path"], message: "photo path is used twice" });
      }
      slots.add(photo.slot);
      paths.add(photo.path);
    });
  });

export type ManifestPhoto = z.infer<typeof manifestPhotoSchema>;
export type ManifestItem = z.infer<typeof manifestItemSchema>;
export type ItemAttributes = z.infer<typeof itemAttributesSchema>;
export type Condition = z.infer<typeof conditionSchema>;
