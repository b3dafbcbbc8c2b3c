import "server-only";
import type { Viewer } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/db/generated/client";
import { liveClaim } from "./claims";
import { categoryLabel, reasonLabel } from "./labels";
import type { QueueQuery } from "./schemas";

/** One row of the review queue: what a reviewer needs to pick the next item, nothing more. */
export interface QueueRow {
  id: string;
  createdAt: string;
  reasons: { code: string; label: string }[];
  category: string;
  categoryLabel: string;
  declaredCategory: string | null;
  confidence: number;
  price: { p10: number; p50: number; p90: number; currency: string };
  photoCount: number;
  frontPhotoId: string | null;
  claim: { reviewerName: string; expiresAt: string; mine: boolean } | null;
}

export interface QueuePage {
  rows: QueueRow[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function queueWhere(query: Pick<QueueQuery, "reason" | "category" | "from" | "to">): Prisma.AppraisalWhereInput {
  const createdAt: Prisma.DateTimeFilter = {};
  if (query.from) createdAt.gte = new Date(`${query.from}T00:00:00Z`);
  // "to" is inclusive: the whole day.
  if (query.to) createdAt.lt = new Date(Date.parse(`${query.to}T00:00:00Z`) + DAY_MS);
  const prediction: Prisma.PredictionWhereInput = {};
  if (query.category) prediction.category = query.category;
  if (query.reason) prediction.reviewReasons = { has: query.reason };
  return {
    status: "needs_review",
    ...(query.from || query.to ? { createdAt } : {}),
    ...(query.category || query.reason ? { prediction: { is: prediction } } : {}),
  };
}

/** Appraisals waiting for review, oldest first by default, filtered and paginated on the server. */
export async function listQueue(query: QueueQuery, viewer: Viewer, now = new Date()): Promise<QueuePage> {
  const where = queueWhere(query);
  const [total, rows] = await Promise.all([
    db().appraisal.count({ where }),
    db().appraisal.findMany({
      where,
      orderBy: [{ createdAt: query.sort === "newest" ? "desc" : "asc" }, { id: "asc" }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      select: {
        id: true,
        createdAt: true,
        declaredCategory: true,
        claimedById: true,
        claimExpiresAt: true,
        claimedBy: { select: { name: true } },
        photos: { select: { id: true, slot: true }, orderBy: { slot: "asc" } },
        prediction: {
          select: {
            category: true,
            confidence: true,
            priceP10: true,
            priceP50: true,
            priceP90: true,
            currency: true,
            reviewReasons: true,
          },
        },
      },
    }),
  ]);
  return {
    total,
    page: query.page,
    pageSize: query.pageSize,
    pageCount: Math.max(1, Math.ceil(total / query.pageSize)),
    rows: rows.map((r) => {
      const p = r.prediction;
      const claim = liveClaim(r.claimedById, r.claimExpiresAt, now);
      return {
        id: r.id,
        createdAt: r.createdAt.toISOString(),
        reasons: (p?.reviewReasons ?? []).map((code) => ({ code, label: reasonLabel(code) })),
        category: p?.category ?? "",
        categoryLabel: categoryLabel(p?.category),
        declaredCategory: r.declaredCategory,
        confidence: p?.confidence ?? 0,
        price: { p10: p?.priceP10 ?? 0, p50: p?.priceP50 ?? 0, p90: p?.priceP90 ?? 0, currency: p?.currency ?? "EUR" },
        photoCount: r.photos.length,
        frontPhotoId: r.photos[0]?.id ?? null,
        claim: claim
          ? {
              reviewerName: r.claimedBy?.name ?? "someone",
              expiresAt: claim.expiresAt.toISOString(),
              mine: claim.reviewerId === viewer.id,
            }
          : null,
      };
    }),
  };
}

/** The next item this reviewer can take: oldest first, not held by anyone else, optionally skipping one. */
export async function findNextQueueItem(viewer: Viewer, exceptId?: string, now = new Date()): Promise<string | null> {
  const row = await db().appraisal.findFirst({
    where: {
      status: "needs_review",
      ...(exceptId ? { id: { not: exceptId } } : {}),
      OR: [{ claimedById: null }, { claimedById: viewer.id }, { claimExpiresAt: { lt: now } }],
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true },
  });
  return row?.id ?? null;
}
