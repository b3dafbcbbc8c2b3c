import "server-only";
import { createHash } from "node:crypto";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

// Fixed windows counted in the database, so every app instance sees the same counts.
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
/** Failures allowed per window before further attempts get 429. */
export const THROTTLE_LIMITS = { accountIp: 5, ip: 20 } as const;

export interface ThrottleKeys {
  accountIp: string;
  ip: string;
}

function digest(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 32);
}

/** Throttle keys for one login attempt; emails are hashed so the table holds no addresses. */
export function throttleKeysFor(email: string, ip: string): ThrottleKeys {
  return { accountIp: `acct-ip:${digest(`${email.toLowerCase()}|${ip}`)}`, ip: `ip:${digest(ip)}` };
}

/**
 * Counts one login attempt against both keys *before* the password is checked, and throws rate_limited
 * (with Retry-After until the window ends) when either key is over its limit. Counting first makes the
 * limit hold under parallel attempts: each increment is a single INSERT … ON CONFLICT, so twenty
 * simultaneous guesses cannot all slip past a read-then-write check. A successful login gives its
 * attempt back (forgiveLoginAttempt).
 */
export async function countLoginAttempt(keys: ThrottleKeys, now = new Date()): Promise<void> {
  const cutoff = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  const prisma = db();
  let retryAfterMs = 0;
  for (const [key, limit] of [
    [keys.accountIp, THROTTLE_LIMITS.accountIp],
    [keys.ip, THROTTLE_LIMITS.ip],
  ] as const) {
    // A window that has ended restarts at zero.
    await prisma.loginThrottle.updateMany({
      where: { key, windowStart: { lte: cutoff } },
      data: { windowStart: now, failures: 0 },
    });
    const row = await prisma.loginThrottle.upsert({
      where: { key },
      create: { key, windowStart: now, failures: 1 },
      update: { failures: { increment: 1 } },
    });
    if (row.failures > limit) {
      retryAfterMs = Math.max(retryAfterMs, row.windowStart.getTime() + THROTTLE_WINDOW_MS - now.getTime());
    }
  }
  if (retryAfterMs > 0) {
    const retryAfter = Math.max(1, Math.ceil(retryAfterMs / 1000));
    throw new AppError(
      "rate_limited",
      `Too many failed sign-in attempts. Try again in ${Math.ceil(retryAfter / 60)} minute(s).`,
      { retryAfter },
    );
  }
}

/** After a successful login: the account's count on this IP restarts, and the IP gets this attempt back. */
export async function forgiveLoginAttempt(keys: ThrottleKeys): Promise<void> {
  await db().loginThrottle.deleteMany({ where: { key: keys.accountIp } });
  await db().loginThrottle.updateMany({
    where: { key: keys.ip, failures: { gt: 0 } },
    data: { failures: { decrement: 1 } },
  });
}

/** Deletes windows that ended; they would restart at zero anyway. */
export async function purgeStaleThrottles(now = new Date()): Promise<number> {
  const { count } = await db().loginThrottle.deleteMany({
    where: { windowStart: { lt: new Date(now.getTime() - THROTTLE_WINDOW_MS) } },
  });
  return count;
}
