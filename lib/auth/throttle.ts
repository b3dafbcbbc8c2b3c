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

/** Throws rate_limited with Retry-After when either key has used up its failures in the current window. */
export async function assertNotThrottled(keys: ThrottleKeys, now = new Date()): Promise<void> {
  const rows = await db().loginThrottle.findMany({ where: { key: { in: [keys.accountIp, keys.ip] } } });
  let retryAfterMs = 0;
  for (const row of rows) {
    const limit = row.key === keys.accountIp ? THROTTLE_LIMITS.accountIp : THROTTLE_LIMITS.ip;
    const endsAt = row.windowStart.getTime() + THROTTLE_WINDOW_MS;
    if (endsAt > now.getTime() && row.failures >= limit) retryAfterMs = Math.max(retryAfterMs, endsAt - now.getTime());
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

/** Counts one failed attempt against every key; safe under concurrent requests from several instances. */
export async function recordLoginFailure(keys: ThrottleKeys, now = new Date()): Promise<void> {
  const cutoff = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  const prisma = db();
  for (const key of [keys.accountIp, keys.ip]) {
    // A stale window restarts at zero; the upsert is a single INSERT … ON CONFLICT, so increments never get lost.
    await prisma.loginThrottle.updateMany({
      where: { key, windowStart: { lte: cutoff } },
      data: { windowStart: now, failures: 0 },
    });
    await prisma.loginThrottle.upsert({
      where: { key },
      create: { key, windowStart: now, failures: 1 },
      update: { failures: { increment: 1 } },
    });
  }
}

/** Forgets failures for the account on this IP after a successful login (the per-IP count stays). */
export async function clearLoginFailures(keys: ThrottleKeys): Promise<void> {
  await db().loginThrottle.deleteMany({ where: { key: keys.accountIp } });
}

/** Deletes windows that ended; they would restart at zero anyway. */
export async function purgeStaleThrottles(now = new Date()): Promise<number> {
  const { count } = await db().loginThrottle.deleteMany({
    where: { windowStart: { lt: new Date(now.getTime() - THROTTLE_WINDOW_MS) } },
  });
  return count;
}
