import { CATEGORY_LABELS, isCategory } from "@/lib/dataset/categories";
import { slotName } from "@/lib/images/describe";
import type { QualityFlag } from "@/lib/images/quality";
import { REJECT_REASON_LABELS, type RejectReason } from "@/lib/review/schemas";
import { notesForPhoto, type PhotoNote, type PhotoView, REVIEW_REASON_TEXT, type ReviewReason } from "./decide-review";

/** What the seller (and the API) sees of an appraisal: no keys, no hashes, no internal ids but its own. */
export interface Quote {
  id: string;
  status: "auto_quoted" | "needs_review" | "reviewed" | "rejected";
  createdAt: string;
  decidedAt: string | null;
  declaredCategory: string | null;
  declaredCategoryLabel: string | null;
  /** The category the seller should read: a reviewer's when reviewed, else the model's best guess. */
  category: string;
  categoryLabel: string;
  topCategories: { category: string; label: string; probability: number }[];
  confidence: number;
  /** The model's price; a reviewer's price, when there is one, is `final.price`. */
  price: { p10: number; p50: number; p90: number; currency: string };
  final: { category: string | null; categoryLabel: string | null; price: number | null; currency: string } | null;
  rejectReason: string | null;
  reviewReasons: { code: string; message: string }[];
  photos: QuotePhoto[];
  modelVersion: string;
}

export interface QuotePhoto {
  id: string;
  slot: number;
  slotName: string;
  width: number;
  height: number;
  thumbUrl: string;
  displayUrl: string;
  viewGuess: string | null;
  notes: PhotoNote[];
}

/** The rows a quote is made of (as Prisma returns them). */
export interface AppraisalRows {
  id: string;
  status: Quote["status"];
  createdAt: Date;
  decidedAt: Date | null;
  declaredCategory: string | null;
  currency: string;
  finalCategory: string | null;
  finalPriceP50: number | null;
  photos: { id: string; slot: number; width: number; height: number; qualityFlags: unknown }[];
  prediction: {
    modelVersionId: string;
    topCategories: unknown;
    category: string;
    confidence: number;
    priceP10: number;
    priceP50: number;
    priceP90: number;
    currency: string;
    perPhoto: unknown;
    reviewReasons: string[];
  } | null;
  reviews?: { action: string; rejectReason: string | null }[];
}

export const labelFor = (category: string): string => (isCategory(category) ? CATEGORY_LABELS[category] : category);

/** A reviewer's reject reason in the seller's words; "other" is explained only in the internal note. */
function rejectReasonText(code: string | null): string | null {
  if (!code || code === "other") return null;
  return REJECT_REASON_LABELS[code as RejectReason] ?? null;
}

/** Reshapes database rows into the seller-facing quote. */
export function toQuote(rows: AppraisalRows): Quote {
  const p = rows.prediction;
  if (!p) throw new Error(`appraisal ${rows.id} has no prediction`);
  const perPhoto = (p.perPhoto as PhotoView[]) ?? [];
  const top = (p.topCategories as { category: string; probability: number }[]) ?? [];
  const reviewed = rows.status === "reviewed" || rows.status === "rejected";
  const finalCategory = reviewed ? (rows.finalCategory ?? p.category) : null;
  const shownCategory = finalCategory ?? p.category;
  const lastReject = rows.reviews?.find((r) => r.action === "reject");
  return {
    id: rows.id,
    status: rows.status,
    createdAt: rows.createdAt.toISOString(),
    decidedAt: rows.decidedAt?.toISOString() ?? null,
    declaredCategory: rows.declaredCategory,
    declaredCategoryLabel: rows.declaredCategory ? labelFor(rows.declaredCategory) : null,
    category: shownCategory,
    categoryLabel: labelFor(shownCategory),
    topCategories: top.slice(0, 3).map((t) => ({ ...t, label: labelFor(t.category) })),
    confidence: p.confidence,
    price: { p10: p.priceP10, p50: p.priceP50, p90: p.priceP90, currency: p.currency },
    final: reviewed
      ? {
          category: finalCategory,
          categoryLabel: finalCategory ? labelFor(finalCategory) : null,
          price: rows.finalPriceP50,
          currency: rows.currency,
        }
      : null,
    rejectReason: rows.status === "rejected" ? rejectReasonText(lastReject?.rejectReason ?? null) : null,
    reviewReasons: p.reviewReasons.map((code) => ({
      code,
      message: REVIEW_REASON_TEXT[code as ReviewReason] ?? code,
    })),
    photos: [...rows.photos]
      .sort((a, b) => a.slot - b.slot)
      .map((photo) => ({
        id: photo.id,
        slot: photo.slot,
        slotName: slotName(photo.slot),
        width: photo.width,
        height: photo.height,
        thumbUrl: `/api/photos/${photo.id}/thumb`,
        displayUrl: `/api/photos/${photo.id}/display`,
        viewGuess: perPhoto.find((v) => v.slot === photo.slot)?.viewGuess ?? null,
        notes: notesForPhoto(photo.slot, (photo.qualityFlags as QualityFlag[]) ?? [], perPhoto),
      })),
    modelVersion: p.modelVersionId,
  };
}
