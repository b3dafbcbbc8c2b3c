import "server-only";
import type { Viewer } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { type AuditRow, auditRowFrom } from "./audit";
import { liveClaim } from "./claims";
import { categoryLabel, reasonLabel } from "./labels";
import { REJECT_REASON_LABELS, type RejectReason } from "./schemas";

export interface DetailPhoto {
  id: string;
  slot: number;
  kind: string;
  width: number;
  height: number;
  attention: number | null;
  viewGuess: string | null;
  viewProbability: number | null;
  qualityFlags: { code: string; severity: string; message?: string; value?: number }[];
}

export interface ReviewDetail {
  id: string;
  status: "auto_quoted" | "needs_review" | "reviewed" | "rejected";
  createdAt: string;
  decidedAt: string | null;
  declaredCategory: string | null;
  declaredCategoryLabel: string | null;
  currency: string;
  final: { category: string | null; categoryLabel: string | null; price: number | null } | null;
  prediction: {
    category: string;
    categoryLabel: string;
    confidence: number;
    topCategories: { category: string; label: string; probability: number }[];
    price: { p10: number; p50: number; p90: number; currency: string };
    reasons: { code: string; label: string }[];
    modelVersion: string;
    latencyMs: number | null;
  } | null;
  photos: DetailPhoto[];
  claim: { reviewerId: string; reviewerName: string; expiresAt: string; mine: boolean } | null;
  reviews: {
    id: string;
    action: string;
    reviewerName: string;
    category: string | null;
    price: number | null;
    currency: string;
    note: string | null;
    rejectReason: string | null;
    createdAt: string;
  }[];
  audit: AuditRow[];
}

type PerPhoto = { slot: number; attention?: number; viewGuess?: string; viewProbability?: number };

function asArray<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

/** Everything the detail page shows about one appraisal; not_found when it does not exist. */
export async function getReviewDetailOrThrow(id: string, viewer: Viewer, now = new Date()): Promise<ReviewDetail> {
  const row = await db().appraisal.findUnique({
    where: { id },
    select: {
      id: true,
      status: true,
      createdAt: true,
      decidedAt: true,
      declaredCategory: true,
      currency: true,
      finalCategory: true,
      finalPriceP50: true,
      claimedById: true,
      claimExpiresAt: true,
      claimedBy: { select: { name: true } },
      photos: {
        select: { id: true, slot: true, kind: true, width: true, height: true, qualityFlags: true },
        orderBy: { slot: "asc" },
      },
      prediction: true,
      reviews: {
        select: {
          id: true,
          action: true,
          category: true,
          price: true,
          currency: true,
          note: true,
          rejectReason: true,
          createdAt: true,
          reviewer: { select: { name: true } },
        },
        orderBy: { createdAt: "desc" },
      },
      auditEvents: {
        orderBy: { createdAt: "desc" },
        take: 50,
        include: { actor: { select: { name: true, email: true } } },
      },
    },
  });
  if (!row) throw new AppError("not_found", "No such appraisal.");
  const p = row.prediction;
  const perPhoto = asArray<PerPhoto>(p?.perPhoto);
  const decided = row.status === "reviewed" || row.status === "rejected";
  const claim = liveClaim(row.claimedById, row.claimExpiresAt, now);
  return {
    id: row.id,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
    declaredCategory: row.declaredCategory,
    declaredCategoryLabel: row.declaredCategory ? categoryLabel(row.declaredCategory) : null,
    currency: row.currency,
    final: decided
      ? {
          category: row.finalCategory,
          categoryLabel: row.finalCategory ? categoryLabel(row.finalCategory) : null,
          price: row.finalPriceP50,
        }
      : null,
    prediction: p
      ? {
          category: p.category,
          categoryLabel: categoryLabel(p.category),
          confidence: p.confidence,
          topCategories: asArray<{ category: string; probability: number }>(p.topCategories).map((t) => ({
            ...t,
            label: categoryLabel(t.category),
          })),
          price: { p10: p.priceP10, p50: p.priceP50, p90: p.priceP90, currency: p.currency },
          reasons: p.reviewReasons.map((code) => ({ code, label: reasonLabel(code) })),
          modelVersion: p.modelVersionId,
          latencyMs: p.latencyMs,
        }
      : null,
    photos: row.photos.map((photo) => {
      const view = perPhoto.find((v) => v.slot === photo.slot);
      return {
        ...photo,
        attention: view?.attention ?? null,
        viewGuess: view?.viewGuess ?? null,
        viewProbability: view?.viewProbability ?? null,
        qualityFlags: asArray(photo.qualityFlags),
      };
    }),
    claim: claim
      ? {
          reviewerId: claim.reviewerId,
          reviewerName: row.claimedBy?.name ?? "someone",
          expiresAt: claim.expiresAt.toISOString(),
          mine: claim.reviewerId === viewer.id,
        }
      : null,
    reviews: row.reviews.map((r) => ({
      id: r.id,
      action: r.action,
      reviewerName: r.reviewer.name,
      category: r.category,
      price: r.price,
      currency: r.currency,
      note: r.note,
      rejectReason: r.rejectReason ? (REJECT_REASON_LABELS[r.rejectReason as RejectReason] ?? r.rejectReason) : null,
      createdAt: r.createdAt.toISOString(),
    })),
    audit: row.auditEvents.map(auditRowFrom),
  };
}
