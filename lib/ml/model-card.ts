import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { AppError } from "../errors";

/** The model card: `models/<name>/model.json`, everything needed to load, run and judge a trained model. */

export const MODEL_CARD_FILE = "model.json";
export const MODEL_CARD_FORMAT = "appraise-model/1";
export const VIEW_CLASSES = ["front", "back", "side", "detail"] as const;
export type ViewClass = (typeof VIEW_CLASSES)[number];

const weightSpecSchema = z.object({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.enum(["float32", "int32"]),
});

const headSchema = z.object({
  config: z.object({
    featureDim: z.number().int().positive(),
    categories: z.number().int().positive(),
    slots: z.number().int().positive(),
    views: z.number().int().positive(),
    hidden: z.number().int().positive(),
    slotDim: z.number().int().positive(),
    fusion: z.enum(["concat", "film", "none"]),
    seed: z.number().int(),
  }),
  weightsPath: z.string().min(1),
  weightSpecs: z.array(weightSpecSchema).min(1),
});

const metricsSchema = z.record(z.string(), z.union([z.number(), z.string(), z.null()]));

export const modelCardSchema = z
  .object({
    format: z.literal(MODEL_CARD_FORMAT),
    version: z.string().min(1),
    createdAt: z.string().min(1),
    categories: z.array(z.string().min(1)).min(2),
    currency: z.string().regex(/^[A-Z]{3}$/),
    inputSize: z.number().int().min(32).max(1024),
    /** Model input = pixel (uint8 RGB, from toModelInput) × scale + offset. */
    normalization: z.object({ scale: z.number().positive(), offset: z.number() }),
    slots: z.object({
      /** Slot ids at or above cap − 1 share the last embedding. */
      cap: z.number().int().min(2),
      vocabulary: z.array(z.string()).min(2),
      maxPhotos: z.number().int().min(1),
    }),
    views: z.array(z.enum(VIEW_CLASSES)).min(2),
    backbone: z.object({
      kind: z.enum(["nasnet", "custom"]),
      path: z.string().min(1),
      featureDim: z.number().int().positive(),
      config: z.record(z.string(), z.unknown()).optional(),
    }),
    head: headSchema,
    /** The position-blind head trained the same way on the same features, kept for the ablation. */
    ablationHead: headSchema.optional(),
    price: z.object({ logMean: z.number(), logStd: z.number().positive() }),
    calibration: z.object({
      temperature: z.number().positive(),
      /**
       * Log-price margin added below p10 and above p90 so the quoted range holds the true price for 80% of
       * validation items (lib/ml/fit-calibration.ts). Absent on cards written before it existed: no margin.
       */
      priceMargin: z.number().finite().optional(),
    }),
    /** Thresholds the seller flow's decision rule reads: auto-quote only when both hold. */
    review: z.object({
      minConfidence: z.number().min(0).max(1),
      maxRelativeRange: z.number().positive(),
      targetAccuracy: z.number().min(0).max(1),
    }),
    training: z.object({
      dataHash: z.string().min(1),
      items: z.number().int().nonnegative(),
      photos: z.number().int().nonnegative(),
      seed: z.number().int(),
      config: z.record(z.string(), z.unknown()),
    }),
    metrics: metricsSchema,
  })
  .superRefine((card, ctx) => {
    if (card.head.config.categories !== card.categories.length)
      ctx.addIssue({ code: "custom", path: ["head", "config", "categories"], message: "must equal categories.length" });
    if (card.head.config.featureDim !== card.backbone.featureDim)
      ctx.addIssue({
        code: "custom",
        path: ["head", "config", "featureDim"],
        message: "must equal backbone.featureDim",
      });
    if (card.head.config.slots !== card.slots.cap)
      ctx.addIssue({ code: "custom", path: ["head", "config", "slots"], message: "must equal slots.cap" });
    if (card.head.config.views !== card.views.length)
      ctx.addIssue({ code: "custom", path: ["head", "config", "views"], message: "must equal views.length" });
  });

export type ModelCard = z.infer<typeof modelCardSchema>;
export type HeadEntry = z.infer<typeof headSchema>;

/** Validates a parsed model card, throwing an AppError("invalid") that names the first bad field. */
export function parseModelCard(json: unknown, source = MODEL_CARD_FILE): ModelCard {
  const result = modelCardSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue.path.map(String).join(".");
    throw new AppError("invalid", `model card ${source}: ${field ? `${field}: ` : ""}${issue.message}`, { field });
  }
  return result.data;
}

/** Reads and validates `<dir>/model.json`. */
export async function readModelCard(dir: string): Promise<ModelCard> {
  const file = path.join(dir, MODEL_CARD_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (err) {
    throw new AppError("not_found", `no model card at ${file}`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AppError("invalid", `model card ${file} is not valid JSON`, { cause: err });
  }
  return parseModelCard(json, file);
}

/** Writes the card after validating it, so a trainer can never write a card the loader rejects. */
export async function writeModelCard(dir: string, card: ModelCard): Promise<void> {
  const valid = parseModelCard(card);
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, MODEL_CARD_FILE), `${JSON.stringify(valid, null, 2)}\n`);
}
