import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { readCookie } from "@/lib/http/cookies";

/** The seller's cookie: a random token proving "I created these appraisals"; only its hash is stored. */
export const SELLER_COOKIE = "appraise_seller";
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** A year: sellers come back to the quote page from the link in their history. */
export const SELLER_COOKIE_MAX_AGE = 365 * 24 * 60 * 60;

/** A fresh 256-bit token, base64url. */
export function createSellerToken(): string {
  return randomBytes(32).toString("base64url");
}

/** sha256 of a token, hex: what the Appraisal row keeps. */
export function hashSellerToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The well-formed seller token in a Cookie header, if any. */
export function readSellerToken(cookieHeader: string | null | undefined): string | undefined {
  return parseSellerToken(readCookie(cookieHeader, SELLER_COOKIE));
}

/** A validated token value (e.g. from next/headers cookies()), or undefined. */
export function parseSellerToken(value: string | undefined): string | undefined {
  return value && TOKEN_PATTERN.test(value) ? value : undefined;
}

/** Cookie attributes: httpOnly so scripts can't read it; Secure whenever the request came over https. */
export function sellerCookieOptions(secure: boolean) {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure,
    path: "/",
    maxAge: SELLER_COOKIE_MAX_AGE,
  };
}
