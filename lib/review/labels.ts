import { REVIEW_REASONS, type ReviewReason } from "@/lib/appraisals/decide-review";
import { CATEGORY_LABELS, isCategory } from "@/lib/dataset/categories";

/** Short reason labels for the dense queue (the seller-facing sentences live in lib/appraisals). */
export const REASON_LABELS: Record<ReviewReason, string> = {
  low_confidence: "Low confidence",
  wide_price_range: "Wide price range",
  declared_category_mismatch: "Declared ≠ predicted",
  wrong_slot: "Wrong slot",
  poor_photo_quality: "Poor photos",
};

export function reasonLabel(code: string): string {
  return (REVIEW_REASONS as readonly string[]).includes(code) ? REASON_LABELS[code as ReviewReason] : code;
}

export function categoryLabel(category: string | null | undefined): string {
  if (!category) return "—";
  return isCategory(category) ? CATEGORY_LABELS[category] : category;
}
