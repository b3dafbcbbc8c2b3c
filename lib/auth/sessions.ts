import "server-only";
import { db } from "@/lib/db";
import type { ReviewerRole } from "@/lib/db/generated/client";
import { generateToken, hashToken } from "./tokens";

/** A working day; a reviewer logs in again the next morning. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface Viewer {
  id: string;
  email: string;
  name: string;
  role: ReviewerRole;
  sessionId: string;
}

export interface SessionMeta {
  ip?: string;
  userAgent?: string;
}

/** Starts a session for a reviewer; returns the cookie token (only its keyed hash is stored). */
export async function createSession(
  reviewerId: string,
  meta: SessionMeta = {},
): Promise<{ token: string; expiresAt: Date; sessionId: string }> {
  const token = generateToken();
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  const session = await db().session.create({
    select: { id: true },
    data: {
      tokenHash: hashToken(token),
      reviewerId,
      expiresAt,
      ip: meta.ip?.slice(0, 100),
      userAgent: meta.userAgent?.slice(0, 300),
    },
  });
  return { token, expiresAt, sessionId: session.id };
}

/** The reviewer behind a token, or null when the session is unknown, expired, revoked or the account disabled. */
export async function findViewerByToken(token: string): Promise<Viewer | null> {
  const session = await db().session.findUnique({
    where: { tokenHash: hashToken(token) },
    select: {
      id: true,
      expiresAt: true,
      revokedAt: true,
      reviewer: { select: { id: true, email: true, name: true, role: true, disabledAt: true } },
    },
  });
  if (!session || session.revokedAt || session.expiresAt <= new Date() || session.reviewer.disabledAt) return null;
  const { id, email, name, role } = session.reviewer;
  return { id, email, name, role, sessionId: session.id };
}

/** Revokes the session a token belongs to (logout, rotation on login). */
export async function revokeSessionByToken(token: string): Promise<void> {
  await db().session.updateMany({
    where: { tokenHash: hashToken(token), revokedAt: null },
    data: { revokedAt: new Date() },
  });
}

/** Revokes every live session of a reviewer (disabled account, password reset). */
export async function revokeReviewerSessions(reviewerId: string): Promise<number> {
  const { count } = await db().session.updateMany({
    where: { reviewerId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return count;
}

/** Rows kept after expiry so "last sign-in" and investigations can still see them. */
const EXPIRED_SESSION_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/** Deletes sessions long expired; called opportunistically on login so the table stays small. */
export async function purgeExpiredSessions(now = new Date()): Promise<number> {
  const { count } = await db().session.deleteMany({
    where: { expiresAt: { lt: new Date(now.getTime() - EXPIRED_SESSION_RETENTION_MS) } },
  });
  return count;
}
