// GET /api/admin/metrics?days=30 – auto-quote, override and agreement rates, per category and per day
import { NextResponse } from "next/server";
import { reviewerRoute } from "@/lib/auth/route";
import { computeReviewMetrics } from "@/lib/review/metrics";
import { metricsQuerySchema, searchParamsToRecord } from "@/lib/review/schemas";

export const GET = reviewerRoute({ role: "reviewer" }, async (req) => {
  const { days } = metricsQuerySchema.parse(searchParamsToRecord(new URL(req.url).searchParams));
  return NextResponse.json(await computeReviewMetrics({ days }), { headers: { "Cache-Control": "no-store" } });
});
