// GET /api/admin/queue/next?except=ID – the oldest item this reviewer can take next ({ id: null } when the queue is empty)
import { NextResponse } from "next/server";
import { z } from "zod";
import { reviewerRoute } from "@/lib/auth/route";
import { findNextQueueItem } from "@/lib/review/queue";

const querySchema = z.object({ except: z.string().min(1).max(100).optional() });

export const GET = reviewerRoute({ role: "reviewer" }, async (req, _ctx, viewer) => {
  const { except } = querySchema.parse({ except: new URL(req.url).searchParams.get("except") ?? undefined });
  return NextResponse.json(
    { id: await findNextQueueItem(viewer, except) },
    { headers: { "Cache-Control": "no-store" } },
  );
});
