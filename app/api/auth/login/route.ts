// POST /api/auth/login – check a reviewer's email and password (rate limited) and start a session
import { NextResponse } from "next/server";
import { readSessionToken, SESSION_COOKIE, sessionCookieOptions } from "@/lib/auth/cookies";
import { loginReviewer } from "@/lib/auth/login";
import { assertSameOrigin } from "@/lib/auth/origin";
import { clientIp, userAgent } from "@/lib/auth/request-meta";
import { loginSchema } from "@/lib/auth/schemas";
import { handle } from "@/lib/http/respond";

export const POST = handle(async (req) => {
  assertSameOrigin(req);
  const input = loginSchema.parse(await req.json().catch(() => ({})));
  const { token, expiresAt, viewer } = await loginReviewer(input, {
    ip: clientIp(req),
    userAgent: userAgent(req),
    previousToken: readSessionToken(req),
  });
  const res = NextResponse.json({
    reviewer: { id: viewer.id, email: viewer.email, name: viewer.name, role: viewer.role },
  });
  res.cookies.set(SESSION_COOKIE, token, sessionCookieOptions(req, expiresAt));
  return res;
});
