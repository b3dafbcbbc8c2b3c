import "server-only";

/**
 * The client's address for rate limiting: the right-most X-Forwarded-For entry, i.e. the peer that
 * connected to us (Next sets it from the socket) or the address our own proxy appended. Left-most
 * entries are whatever the client claimed and would let it pick a fresh key per attempt.
 */
export function clientIp(req: Request): string {
  const forwarded = req.headers.get("x-forwarded-for");
  const last = forwarded?.split(",").at(-1)?.trim();
  return last || req.headers.get("x-real-ip")?.trim() || "unknown";
}

export function userAgent(req: Request): string | undefined {
  return req.headers.get("user-agent") ?? undefined;
}
