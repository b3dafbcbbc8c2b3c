// GET /api/admin/queue – appraisals waiting for review, filtered and paginated (query string as on /admin)
import { NextResponse } from "next/server";
import { reviewerRoute } from "@/lib/auth/route";
import { listQueue } from "@/lib/review/queue";
import { queueQuerySchema, searchParamsToRecord } from "@/lib/review/schemas";

export const GET = reviewerRoute({ role: "reviewer" }, async (req, _ctx, viewer) => {
  const query = queueQuerySchema.parse(searchParamsToRecord(new URL(req.url).searchParams));
  return NextResponse.json(await listQueue(query, viewer), { headers: { "Cache-Control": "no-store" } });
});
