import "server-only";
import { isHttps, readCookie } from "@/lib/http/cookies";

export const SESSION_COOKIE = "appraise_session";

/** Anything cookies can be read from: a Request, or Next's cookie store (`await cookies()`). */
export type CookieSource = Request | { get(name: string): { value: string } | undefined };

/** Attributes of the session cookie: httpOnly, SameSite=Lax, Secure over https, expiring with the session. */
export function sessionCookieOptions(req: Request, expires: Date) {
  return { httpOnly: true, sameSite: "lax" as const, secure: isHttps(req), path: "/", expires };
}

/** The session token the client presented, if any. */
export function readSessionToken(source: CookieSource): string | undefined {
  const value =
    source instanceof Request
      ? readCookie(source.headers.get("cookie"), SESSION_COOKIE)
      : source.get(SESSION_COOKIE)?.value;
  // Tokens are 43 base64url characters; anything else cannot match and is not worth a query.
  return value && /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
}
