import "server-only";
import type { ReviewerRole } from "@/lib/db/generated/enums";
import { handle } from "@/lib/http/respond";
import { requireReviewer, type Viewer } from "./guard";
import { assertSameOrigin } from "./origin";

type ReviewerHandler<C> = (req: Request, ctx: C, viewer: Viewer) => Promise<Response>;

/**
 * A route handler for signed-in reviewers: mutations must come from our own origin, then the session
 * and role are checked before the handler runs. Errors map through the one error helper.
 */
export function reviewerRoute<C>(options: { role: ReviewerRole }, fn: ReviewerHandler<C>) {
  return handle<C>(async (req, ctx) => {
    assertSameOrigin(req);
    const viewer = await requireReviewer(req, { role: options.role });
    return fn(req, ctx, viewer);
  });
}
