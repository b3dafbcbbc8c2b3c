import "server-only";
import { createHmac, randomBytes } from "node:crypto";
import { getEnv } from "@/lib/env";

/** A fresh 256-bit random token, base64url. */
export function generateToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * What the database stores for a session token. Keyed with SESSION_SECRET so that someone who can
 * write to the database but does not hold the secret cannot mint a session of their own.
 */
export function hashToken(token: string): string {
  return createHmac("sha256", getEnv().SESSION_SECRET).update(token).digest("hex");
}
