// GET /api/auth/session – who is signed in (401 when nobody)
import { NextResponse } from "next/server";
import { requireReviewer } from "@/lib/auth/guard";
import { handle } from "@/lib/http/respond";

export const GET = handle(async (req) => {
  const { id, email, name, role } = await requireReviewer(req);
  return NextResponse.json({ reviewer: { id, email, name, role } }, { headers: { "Cache-Control": "no-store" } });
});
