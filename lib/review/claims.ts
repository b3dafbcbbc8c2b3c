import "server-only";
import type { Viewer } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";

/** How long opening an item keeps it for one reviewer; the detail page renews it while open. */
export const CLAIM_TTL_MS = 5 * 60 * 1000;

export interface ClaimState {
  appraisalId: string;
  expiresAt: string;
}

/** Where a claim is free to take: nobody holds it, the caller holds it, or the holder's claim lapsed. */
export function claimableBy(reviewerId: string, now: Date) {
  return { OR: [{ claimedById: null }, { claimedById: reviewerId }, { claimExpiresAt: { lt: now } }] };
}

/** "2026-11-28 14:05 UTC": precise enough for a person, the same on every server. */
function utcMinute(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Explains why an appraisal cannot be claimed or decided by this reviewer (always throws). */
export async function throwWhyUnavailable(
  client: Prisma.TransactionClient,
  appraisalId: string,
  viewer: Viewer,
  now = new Date(),
): Promise<never> {
  const row = await client.appraisal.findUnique({
    where: { id: appraisalId },
    select: {
      status: true,
      decidedAt: true,
      claimedById: true,
      claimExpiresAt: true,
      claimedBy: { select: { name: true } },
      reviews: {
        select: { action: true, reviewer: { select: { name: true } } },
        orderBy: { createdAt: "desc" },
        take: 1,
      },
    },
  });
  if (!row) throw new AppError("not_found", "No such appraisal.");
  if (row.status !== "needs_review") {
    const last = row.reviews[0];
    const who = last ? `${last.reviewer.name} (${last.action})` : "someone else";
    const when = row.decidedAt ? ` at ${utcMinute(row.decidedAt)}` : "";
    throw new AppError("conflict", `Already decided by ${who}${when}. Nothing was changed.`);
  }
  if (row.claimedById && row.claimedById !== viewer.id && row.claimExpiresAt && row.claimExpiresAt >= now) {
    throw new AppError(
      "conflict",
      `${row.claimedBy?.name ?? "Another reviewer"} is working on this item until ${utcMinute(row.claimExpiresAt)}.`,
    );
  }
  throw new AppError("conflict", "This item changed while you were looking at it. Reload and try again.");
}

/** Claims (or renews the claim on) an item waiting for review; conflict when someone else holds it or it is decided. */
export async function claimAppraisal(appraisalId: string, viewer: Viewer, now = new Date()): Promise<ClaimState> {
  const expiresAt = new Date(now.getTime() + CLAIM_TTL_MS);
  const { count } = await db().appraisal.updateMany({
    where: { id: appraisalId, status: "needs_review", ...claimableBy(viewer.id, now) },
    data: { claimedById: viewer.id, claimExpiresAt: expiresAt },
  });
  if (count === 0) await throwWhyUnavailable(db(), appraisalId, viewer, now);
  return { appraisalId, expiresAt: expiresAt.toISOString() };
}

/** Gives an item back to the queue (skip); only the holder's claim is released. */
export async function releaseClaim(appraisalId: string, viewer: Viewer): Promise<void> {
  await db().appraisal.updateMany({
    where: { id: appraisalId, claimedById: viewer.id },
    data: { claimedById: null, claimExpiresAt: null },
  });
}

/** The claim on a row if it is still running, else null. */
export function liveClaim(
  claimedById: string | null,
  claimExpiresAt: Date | null,
  now: Date,
): { reviewerId: string; expiresAt: Date } | null {
  return claimedById && claimExpiresAt && claimExpiresAt >= now
    ? { reviewerId: claimedById, expiresAt: claimExpiresAt }
    : null;
}
