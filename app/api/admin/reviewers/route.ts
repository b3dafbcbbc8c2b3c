// GET /api/admin/reviewers – every account (admins only); POST – add a reviewer (password generated when omitted, shown once)
import { NextResponse } from "next/server";
import { createReviewer, generatePassword, listReviewers } from "@/lib/auth/reviewers";
import { reviewerRoute } from "@/lib/auth/route";
import { reviewerCreateSchema } from "@/lib/auth/schemas";

export const GET = reviewerRoute({ role: "admin" }, async () => {
  return NextResponse.json({ reviewers: await listReviewers() }, { headers: { "Cache-Control": "no-store" } });
});

export const POST = reviewerRoute({ role: "admin" }, async (req, _ctx, viewer) => {
  const input = reviewerCreateSchema.parse(await req.json().catch(() => ({})));
  const password = input.password ?? generatePassword();
  const reviewer = await createReviewer({ ...input, password }, viewer);
  return NextResponse.json({ reviewer, password: input.password ? undefined : password }, { status: 201 });
});
