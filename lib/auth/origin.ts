import "server-only";
import { AppError } from "@/lib/errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The origin this request was addressed to, as the browser saw it (honouring a proxy's forwarded headers). */
function expectedOrigin(req: Request): string {
  const url = new URL(req.url);
  const host = req.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || req.headers.get("host") || url.host;
  const proto = req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || url.protocol.replace(":", "");
  return `${proto}://${host}`.toLowerCase();
}

/**
 * Refuses a state-changing request that a browser sent from another site (CSRF). Browsers send Origin
 * on every cross-origin and every same-origin non-GET fetch or form post; a request without it is
 * accepted only when Sec-Fetch-Site says it is same-origin.
 */
export function assertSameOrigin(req: Request): void {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return;
  const origin = req.headers.get("origin");
  if (origin && origin !== "null") {
    if (origin.toLowerCase() === expectedOrigin(req)) return;
    throw new AppError("forbidden", "Cross-site request refused.");
  }
  if (req.headers.get("sec-fetch-site") === "same-origin") return;
  throw new AppError("forbidden", "Request refused: missing Origin header.");
}
