// POST /api/admin/appraisals/:id/decision – accept, override or reject; 409 when someone else got there first
import { NextResponse } from "next/server";
import { reviewerRoute } from "@/lib/auth/route";
import { decideAppraisal } from "@/lib/review/decide";
import { decisionSchema } from "@/lib/review/schemas";

type Ctx = { params: Promise<{ id: string }> };

export const POST = reviewerRoute<Ctx>({ role: "reviewer" }, async (req, ctx, viewer) => {
  const { id } = await ctx.params;
  const input = decisionSchema.parse(await req.json().catch(() => ({})));
  return NextResponse.json(await decideAppraisal(id, viewer, input));
});
