import "server-only";

export const SESSION_COOKIE = "appraise_session";

/** Anything cookies can be read from: a Request, or Next's cookie store (`await cookies()`). */
export type CookieSource = Request | { get(name: string): { value: string } | undefined };

/** True when the request reached us over https (directly or through a proxy that says so). */
export function isHttps(req: Request): boolean {
  const forwarded = req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  if (forwarded) return forwarded === "https";
  return new URL(req.url).protocol === "https:";
}

/** Attributes of the session cookie: httpOnly, SameSite=Lax, Secure over https, expiring with the session. */
export function sessionCookieOptions(req: Request, expires: Date) {
  return { httpOnly: true, sameSite: "lax" as const, secure: isHttps(req), path: "/", expires };
}

/** Parses one cookie out of a Cookie header. */
function cookieFromHeader(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return undefined;
}

/** The session token the client presented, if any. */
export function readSessionToken(source: CookieSource): string | undefined {
  const value =
    source instanceof Request
      ? cookieFromHeader(source.headers.get("cookie"), SESSION_COOKIE)
      : source.get(SESSION_COOKIE)?.value;
  // Tokens are 43 base64url characters; anything else cannot match and is not worth a query.
  return value && /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
}
