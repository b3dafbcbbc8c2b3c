// PATCH /api/admin/reviewers/:id – change role, disable/enable, or reset the password (admins only)
import { NextResponse } from "next/server";
import { updateReviewer } from "@/lib/auth/reviewers";
import { reviewerRoute } from "@/lib/auth/route";
import { reviewerUpdateSchema } from "@/lib/auth/schemas";

type Ctx = { params: Promise<{ id: string }> };

export const PATCH = reviewerRoute<Ctx>({ role: "admin" }, async (req, ctx, viewer) => {
  const { id } = await ctx.params;
  const change = reviewerUpdateSchema.parse(await req.json().catch(() => ({})));
  return NextResponse.json(await updateReviewer(id, change, viewer));
});
