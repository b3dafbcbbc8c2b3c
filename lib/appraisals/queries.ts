import "server-only";

/** What toQuote needs: photos, prediction, and reject reasons from reviews (newest first). */
export const QUOTE_INCLUDE = {
  photos: { select: { id: true, slot: true, width: true, height: true, qualityFlags: true } },
  prediction: true,
  reviews: { select: { action: true, rejectReason: true }, orderBy: { createdAt: "desc" as const } },
} as const;
