import "server-only";
import type { CookieSource } from "@/lib/auth/cookies";
import { getViewer } from "@/lib/auth/guard";

/** True when the request carries a valid reviewer session (lib/auth); reviewers may see every appraisal. */
export async function isReviewerRequest(source: CookieSource): Promise<boolean> {
  return (await getViewer(source)) !== null;
}
