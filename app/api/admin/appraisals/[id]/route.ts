// GET /api/admin/appraisals/:id – everything a reviewer sees about one appraisal
import { NextResponse } from "next/server";
import { reviewerRoute } from "@/lib/auth/route";
import { getReviewDetailOrThrow } from "@/lib/review/detail";

type Ctx = { params: Promise<{ id: string }> };

export const GET = reviewerRoute<Ctx>({ role: "reviewer" }, async (_req, ctx, viewer) => {
  const { id } = await ctx.params;
  return NextResponse.json(await getReviewDetailOrThrow(id, viewer), { headers: { "Cache-Control": "no-store" } });
});
