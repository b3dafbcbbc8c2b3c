import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { verifyAgainstDummy, verifyPassword } from "./password";
import type { LoginInput } from "./schemas";
import { createSession, purgeExpiredSessions, revokeSessionByToken, type SessionMeta, type Viewer } from "./sessions";
import { countLoginAttempt, forgiveLoginAttempt, purgeStaleThrottles, throttleKeysFor } from "./throttle";

export interface LoginResult {
  token: string;
  expiresAt: Date;
  viewer: Viewer;
}

const WRONG_CREDENTIALS = "Email or password is incorrect.";

/**
 * Checks credentials under the rate limit and starts a fresh session. A session the client already
 * held is revoked, so a token planted before login (session fixation) is never promoted.
 */
export async function loginReviewer(
  input: LoginInput,
  meta: SessionMeta & { ip: string; previousToken?: string },
): Promise<LoginResult> {
  const keys = throttleKeysFor(input.email, meta.ip);
  await countLoginAttempt(keys);
  const reviewer = await db().reviewer.findUnique({
    where: { email: input.email },
    select: { id: true, email: true, name: true, role: true, disabledAt: true, passwordHash: true },
  });
  const ok = reviewer
    ? await verifyPassword(reviewer.passwordHash, input.password)
    : await verifyAgainstDummy(input.password);
  if (!reviewer || !ok) {
    throw new AppError("unauthenticated", WRONG_CREDENTIALS, { field: "password" });
  }
  if (reviewer.disabledAt) throw new AppError("forbidden", "This account is disabled. Ask an admin to re-enable it.");
  await forgiveLoginAttempt(keys);
  if (meta.previousToken) await revokeSessionByToken(meta.previousToken);
  const { token, expiresAt, sessionId } = await createSession(reviewer.id, meta);
  // Housekeeping rides on logins (a few a day per reviewer) instead of a scheduler; failures are harmless.
  void Promise.all([purgeExpiredSessions(), purgeStaleThrottles()]).catch((err) =>
    logger().warn({ err }, "session/throttle purge failed"),
  );
  const { id, email, name, role } = reviewer;
  return { token, expiresAt, viewer: { id, email, name, role, sessionId } };
}
