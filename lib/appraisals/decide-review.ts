import type { QualityFlag } from "@/lib/images/quality";

/**
 * The routing rule: an appraisal is auto-quoted only when nothing below fires; otherwise a
 * specialist reviews it, and the reasons are stored (Prediction.reviewReasons) and shown.
 */

export const REVIEW_REASONS = [
  "low_confidence",
  "wide_price_range",
  "declared_category_mismatch",
  "wrong_slot",
  "poor_photo_quality",
] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];

/** What each reason means for the seller (the quote page shows these). */
export const REVIEW_REASON_TEXT: Record<ReviewReason, string> = {
  low_confidence: "We are not sure enough which kind of item this is.",
  wide_price_range: "Items like this sell across a wide price range, so a specialist narrows it down.",
  declared_category_mismatch: "The category you chose differs from what we see in the photos.",
  wrong_slot: "A photo seems to be in the wrong slot.",
  poor_photo_quality: "At least one photo is hard to judge (blurry, dark or a duplicate).",
};

/**
 * How sure the view guess must be before a seller is told a photo is misplaced (and the item goes to
 * review). A false alarm costs a correct seller a wrong hint and a wait, so the bar is high. Measured
 * with models/default (v3, 24×24 first stack) on 120 generated items (seed 7, 25 % uploaded out of
 * order): at 0.9 everywhere, 1 of 93 correctly placed Front photos and 5 of 73 Backs are questioned,
 * while 13 of 27 misplaced Fronts and 21 of 38 misplaced Backs are caught. At 0.8 for Front (the bar
 * the previous model needed) 9 of 93 correct Fronts were questioned for 16 of 27 caught. At 0.6, 30
 * of 63 correct Backs were questioned with the first model: the view head takes backs for fronts far
 * more often than the reverse. Rechecked with v4 (default-2026-11-28-v4-big-variant-10, view guess 84.5%) on the
 * same items: 2 of 93 correct Fronts and 4 of 73 Backs questioned, 12 of 27 and 26 of 38 misplaced ones caught.
 */
export const WRONG_SLOT_MIN_PROBABILITY = { front: 0.9, back: 0.9, other: 0.9 } as const;

const minProbabilityFor = (slot: number) =>
  slot === 0
    ? WRONG_SLOT_MIN_PROBABILITY.front
    : slot === 1
      ? WRONG_SLOT_MIN_PROBABILITY.back
      : WRONG_SLOT_MIN_PROBABILITY.other;

export type ViewGuess = "front" | "back" | "side" | "detail";

export interface PhotoView {
  slot: number;
  viewGuess: ViewGuess;
  viewProbability: number;
}

export interface PhotoNote {
  code: QualityFlag["code"] | "wrong_slot";
  severity: "warning" | "serious";
  message: string;
}

export interface ReviewInput {
  category: string;
  confidence: number;
  price: { p10: number; p50: number; p90: number };
  perPhoto: PhotoView[];
  photos: { slot: number; quality: QualityFlag[] }[];
  declaredCategory?: string;
  thresholds: { minConfidence: number; maxRelativeRange: number };
}

export interface ReviewDecision {
  status: "auto_quoted" | "needs_review";
  reasons: ReviewReason[];
}

/** Auto-quote, or route to review with the reasons that fired (in REVIEW_REASONS order). */
export function decideReview(input: ReviewInput): ReviewDecision {
  const reasons = new Set<ReviewReason>();
  if (!(input.confidence >= input.thresholds.minConfidence)) reasons.add("low_confidence");
  const relativeRange = input.price.p50 > 0 ? (input.price.p90 - input.price.p10) / input.price.p50 : Infinity;
  if (!(relativeRange <= input.thresholds.maxRelativeRange)) reasons.add("wide_price_range");
  if (input.declaredCategory && input.declaredCategory !== input.category) reasons.add("declared_category_mismatch");
  if (input.perPhoto.some((view) => wrongSlotNote(view, input.perPhoto))) reasons.add("wrong_slot");
  if (input.photos.some((p) => p.quality.some((f) => f.severity === "serious"))) reasons.add("poor_photo_quality");
  const ordered = REVIEW_REASONS.filter((r) => reasons.has(r));
  return { status: ordered.length === 0 ? "auto_quoted" : "needs_review", reasons: ordered };
}

const VIEW_WORDS: Record<ViewGuess, string> = {
  front: "the front",
  back: "the back",
  side: "a side view",
  detail: "a close-up",
};

/**
 * The wrong-slot suspicion for one photo, or undefined. Front must look like the front and Back
 * like the back; an Other photo is only questioned when it looks like the front or back and the
 * photo in that slot does not (or is missing) — then it probably belongs there.
 */
export function wrongSlotNote(view: PhotoView, all: PhotoView[]): PhotoNote | undefined {
  if (view.viewProbability < minProbabilityFor(view.slot)) return undefined;
  const seen = VIEW_WORDS[view.viewGuess];
  if (view.slot === 0 && view.viewGuess !== "front") {
    const hint =
      view.viewGuess === "back"
        ? "did you mean to put it in Back?"
        : "the Front slot works best with the front of the item.";
    return { code: "wrong_slot", severity: "warning", message: `This looks like ${seen}, not the front — ${hint}` };
  }
  if (view.slot === 1 && view.viewGuess !== "back") {
    const hint =
      view.viewGuess === "front" ? "did you mean to put it in Front?" : "did you mean to put it in an Other slot?";
    return { code: "wrong_slot", severity: "warning", message: `This looks like ${seen}, not the back — ${hint}` };
  }
  if (view.slot >= 2 && (view.viewGuess === "front" || view.viewGuess === "back")) {
    const target = view.viewGuess === "front" ? 0 : 1;
    const occupant = all.find((v) => v.slot === target);
    const occupantFits = occupant && occupant.viewGuess === view.viewGuess;
    if (!occupantFits) {
      const slot = target === 0 ? "Front" : "Back";
      return {
        code: "wrong_slot",
        severity: "warning",
        message: `This looks like ${seen} — did you mean to put it in ${slot}?`,
      };
    }
  }
  return undefined;
}

/** Everything worth telling the seller about one photo: quality warnings first, then a wrong-slot hint. */
export function notesForPhoto(slot: number, quality: QualityFlag[], perPhoto: PhotoView[]): PhotoNote[] {
  const notes: PhotoNote[] = quality.map((f) => ({ code: f.code, severity: f.severity, message: f.message }));
  const view = perPhoto.find((v) => v.slot === slot);
  const wrong = view && wrongSlotNote(view, perPhoto);
  if (wrong) notes.push(wrong);
  return notes;
}
