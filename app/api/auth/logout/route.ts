// POST /api/auth/logout – revoke the current session on the server and clear the cookie
import { NextResponse } from "next/server";
import { readSessionToken, SESSION_COOKIE, sessionCookieOptions } from "@/lib/auth/cookies";
import { assertSameOrigin } from "@/lib/auth/origin";
import { revokeSessionByToken } from "@/lib/auth/sessions";
import { handle } from "@/lib/http/respond";

export const POST = handle(async (req) => {
  assertSameOrigin(req);
  const token = readSessionToken(req);
  if (token) await revokeSessionByToken(token);
  // A plain form post (no JS) lands back on the login page; fetch callers get JSON.
  const wantsHtml = req.headers.get("accept")?.includes("text/html");
  const res = wantsHtml
    ? new NextResponse(null, { status: 303, headers: { Location: "/login" } })
    : NextResponse.json({ ok: true });
  res.cookies.set(SESSION_COOKIE, "", { ...sessionCookieOptions(req, new Date(0)), maxAge: 0 });
  return res;
});
