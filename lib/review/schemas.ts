import { z } from "zod";
import { REVIEW_REASONS } from "@/lib/appraisals/decide-review";
import { CATEGORIES } from "@/lib/dataset/categories";

/** Currencies a reviewer may quote in (ISO 4217). */
export const CURRENCIES = ["EUR", "USD", "GBP", "CHF", "SEK", "DKK", "NOK", "PLN", "CZK"] as const;

/** Why a reviewer turns an item down; the seller's page shows the label. */
export const REJECT_REASONS = [
  "not_buyable",
  "unusable_photos",
  "prohibited_item",
  "duplicate_submission",
  "other",
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];
export const REJECT_REASON_LABELS: Record<RejectReason, string> = {
  not_buyable: "Not an item we buy",
  unusable_photos: "Photos are unusable",
  prohibited_item: "Prohibited item",
  duplicate_submission: "Duplicate submission",
  other: "Other (see note)",
};

export const MAX_PRICE = 1_000_000;

const dateParam = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2026-11-28")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), "must be a real date");

const emptyToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

/** Queue filters and pagination as they appear in the URL (`/admin?reason=…&page=2`). */
export const queueQuerySchema = z.object({
  reason: z.preprocess(emptyToUndefined, z.enum(REVIEW_REASONS).optional()),
  category: z.preprocess(emptyToUndefined, z.enum(CATEGORIES).optional()),
  from: z.preprocess(emptyToUndefined, dateParam.optional()),
  to: z.preprocess(emptyToUndefined, dateParam.optional()),
  sort: z.preprocess(emptyToUndefined, z.enum(["oldest", "newest"]).default("oldest")),
  page: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100_000).default(1)),
  pageSize: z.preprocess(emptyToUndefined, z.coerce.number().int().min(5).max(100).default(25)),
});
export type QueueQuery = z.infer<typeof queueQuerySchema>;

const note = z.string().trim().max(2000, "must be at most 2000 characters");

const priceSchema = z
  .number({ error: "must be a number" })
  .finite()
  .positive("must be more than 0")
  .max(MAX_PRICE, `must be at most ${MAX_PRICE}`)
  .refine((n) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-6, "must have at most 2 decimals");

/** A reviewer's decision on one appraisal. */
export const decisionSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("accept"), note: note.optional() }),
  z.object({
    action: z.literal("override"),
    category: z.enum(CATEGORIES, { error: "choose a category" }),
    price: priceSchema,
    currency: z.enum(CURRENCIES, { error: "choose a currency" }),
    note: note.min(3, "explain the override in a few words"),
  }),
  z.object({
    action: z.literal("reject"),
    reason: z.enum(REJECT_REASONS, { error: "choose a reason" }),
    note: note.optional(),
  }),
]);
export type DecisionInput = z.infer<typeof decisionSchema>;

export const auditQuerySchema = z.object({
  appraisalId: z.preprocess(emptyToUndefined, z.string().max(100).optional()),
  actorId: z.preprocess(emptyToUndefined, z.string().max(100).optional()),
  action: z.preprocess(emptyToUndefined, z.string().max(50).optional()),
  page: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100_000).default(1)),
  pageSize: z.preprocess(emptyToUndefined, z.coerce.number().int().min(10).max(200).default(50)),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const metricsQuerySchema = z.object({
  days: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(365).default(30)),
});

/** URLSearchParams (or Next's searchParams object) as a plain record for the schemas above. */
export function searchParamsToRecord(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
): Record<string, string | undefined> {
  if (params instanceof URLSearchParams) return Object.fromEntries(params.entries());
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
}
