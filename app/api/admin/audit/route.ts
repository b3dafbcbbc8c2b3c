// GET /api/admin/audit – the append-only decision log (read-only: this route has no other method)
import { NextResponse } from "next/server";
import { reviewerRoute } from "@/lib/auth/route";
import { listAuditEvents } from "@/lib/review/audit";
import { auditQuerySchema, searchParamsToRecord } from "@/lib/review/schemas";

export const GET = reviewerRoute({ role: "reviewer" }, async (req) => {
  const query = auditQuerySchema.parse(searchParamsToRecord(new URL(req.url).searchParams));
  return NextResponse.json(await listAuditEvents(query), { headers: { "Cache-Control": "no-store" } });
});
