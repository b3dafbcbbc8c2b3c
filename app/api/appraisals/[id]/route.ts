// GET /api/appraisals/:id – the quote, for the seller who created it or a reviewer; 404 for anyone else
import { NextResponse } from "next/server";
import { getAppraisalForViewer } from "@/lib/appraisals/get-appraisal";
import { readSellerToken } from "@/lib/appraisals/seller-token";
import { isReviewerRequest } from "@/lib/appraisals/viewer";
import { handle } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = handle(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const { id } = await ctx.params;
  const quote = await getAppraisalForViewer(id, {
    sellerToken: readSellerToken(req.headers.get("cookie")),
    reviewer: await isReviewerRequest(req),
  });
  return NextResponse.json(quote, { headers: { "Cache-Control": "private, no-store" } });
});
