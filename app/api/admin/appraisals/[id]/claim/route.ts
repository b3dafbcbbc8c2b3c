// POST /api/admin/appraisals/:id/claim – claim (or renew the claim on) an item; DELETE – give it back to the queue
import { NextResponse } from "next/server";
import { reviewerRoute } from "@/lib/auth/route";
import { claimAppraisal, releaseClaim } from "@/lib/review/claims";

type Ctx = { params: Promise<{ id: string }> };

export const POST = reviewerRoute<Ctx>({ role: "reviewer" }, async (_req, ctx, viewer) => {
  const { id } = await ctx.params;
  return NextResponse.json(await claimAppraisal(id, viewer));
});

export const DELETE = reviewerRoute<Ctx>({ role: "reviewer" }, async (_req, ctx, viewer) => {
  const { id } = await ctx.params;
  await releaseClaim(id, viewer);
  return new NextResponse(null, { status: 204 });
});
