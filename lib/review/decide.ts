import "server-only";
import type { Viewer } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { claimableBy, throwWhyUnavailable } from "./claims";
import type { DecisionInput } from "./schemas";

export interface DecisionResult {
  appraisalId: string;
  status: "reviewed" | "rejected";
  action: DecisionInput["action"];
  finalCategory: string | null;
  finalPrice: number | null;
  currency: string;
  decidedAt: string;
  reviewId: string;
}

/**
 * Accepts, overrides or rejects an appraisal waiting for review, in one transaction: the conditional
 * update (still needs_review, and not claimed by someone else) is what decides a race — of two
 * reviewers deciding at once exactly one update matches, the other gets a conflict naming the winner.
 * The review row and an append-only audit event (before → after, model version, reason) commit with it.
 */
export async function decideAppraisal(
  appraisalId: string,
  viewer: Viewer,
  input: DecisionInput,
  now = new Date(),
): Promise<DecisionResult> {
  return db().$transaction(async (tx) => {
    const current = await tx.appraisal.findUnique({
      where: { id: appraisalId },
      select: {
        status: true,
        currency: true,
        prediction: { select: { category: true, priceP50: true, currency: true, modelVersionId: true } },
      },
    });
    if (!current) throw new AppError("not_found", "No such appraisal.");
    const prediction = current.prediction;
    if (!prediction) throw new AppError("conflict", "This appraisal has no model prediction to review.");

    const after =
      input.action === "accept"
        ? {
            status: "reviewed" as const,
            category: prediction.category,
            price: prediction.priceP50,
            currency: prediction.currency,
          }
        : input.action === "override"
          ? { status: "reviewed" as const, category: input.category, price: input.price, currency: input.currency }
          : { status: "rejected" as const, category: null, price: null, currency: current.currency };

    const { count } = await tx.appraisal.updateMany({
      where: { id: appraisalId, status: "needs_review", ...claimableBy(viewer.id, now) },
      data: {
        status: after.status,
        finalCategory: after.category,
        finalPriceP50: after.price,
        currency: after.currency,
        decidedAt: now,
        claimedById: null,
        claimExpiresAt: null,
      },
    });
    if (count === 0) await throwWhyUnavailable(tx, appraisalId, viewer, now);

    const review = await tx.review.create({
      data: {
        appraisalId,
        reviewerId: viewer.id,
        action: input.action,
        category: after.category,
        price: after.price,
        currency: after.currency,
        note: input.note || null,
        rejectReason: input.action === "reject" ? input.reason : null,
      },
      select: { id: true },
    });
    await tx.auditEvent.create({
      data: {
        appraisalId,
        actorId: viewer.id,
        actorKind: "reviewer",
        action: `review.${input.action}`,
        before: {
          status: current.status,
          category: prediction.category,
          price: prediction.priceP50,
          currency: prediction.currency,
        },
        after,
        modelVersion: prediction.modelVersionId,
        reason: input.action === "reject" ? [input.reason, input.note].filter(Boolean).join(": ") : input.note || null,
      },
    });
    return {
      appraisalId,
      status: after.status,
      action: input.action,
      finalCategory: after.category,
      finalPrice: after.price,
      currency: after.currency,
      decidedAt: now.toISOString(),
      reviewId: review.id,
    };
  });
}
