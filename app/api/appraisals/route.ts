// POST /api/appraisals – create an appraisal from uploaded photos (multipart, streamed, capped)
import { NextResponse } from "next/server";
import { createSellerToken, readSellerToken, SELLER_COOKIE, sellerCookieOptions } from "@/lib/appraisals/seller-token";
import { submitAppraisal } from "@/lib/appraisals/submit-appraisal";
import { isHttps } from "@/lib/http/cookies";
import { handle } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

const serverTiming = (timings: Record<string, number>) =>
  Object.entries(timings)
    .map(([name, ms]) => `${name};dur=${ms.toFixed(1)}`)
    .join(", ");

export const POST = handle(async (req: Request) => {
  const existing = readSellerToken(req.headers.get("cookie"));
  const sellerToken = existing ?? createSellerToken();
  const { quote, replayed, timings } = await submitAppraisal(req, {
    sellerToken,
    idempotencyKey: req.headers.get("idempotency-key"),
  });
  const res = NextResponse.json(quote, {
    status: 201,
    headers: {
      Location: `/api/appraisals/${quote.id}`,
      ...(replayed ? { "Idempotent-Replayed": "true" } : {}),
      ...(timings ? { "Server-Timing": serverTiming(timings) } : {}),
    },
  });
  if (!existing) res.cookies.set(SELLER_COOKIE, sellerToken, sellerCookieOptions(isHttps(req)));
  return res;
});
