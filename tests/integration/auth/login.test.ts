// Login, sessions, logout and the login rate limit, through the real route handlers and database.
import { describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { POST as logout } from "@/app/api/auth/logout/route";
import { GET as session } from "@/app/api/auth/session/route";
import { SESSION_COOKIE } from "@/lib/auth/cookies";
import { THROTTLE_LIMITS } from "@/lib/auth/throttle";
import { db } from "@/lib/db";
import { browserRequest, buildReviewer } from "@/tests/fixtures/review-builders";

function cookieFrom(res: Response): { pair: string; attributes: string } {
  const header = res.headers.get("set-cookie") ?? "";
  const [pair, ...attrs] = header.split(";");
  return { pair: pair.trim(), attributes: attrs.join(";").toLowerCase() };
}

function loginRequest(body: unknown, headers: Record<string, string> = {}, cookie?: string) {
  return browserRequest("/api/auth/login", { method: "POST", body, headers, cookie });
}

describe("login", () => {
  it("starts a session in an httpOnly SameSite=Lax cookie that /api/auth/session accepts", async () => {
    const r = await buildReviewer();
    const res = await login(loginRequest({ email: r.email.toUpperCase(), password: r.password }), undefined);
    expect(res.status).toBe(200);
    const { pair, attributes } = cookieFrom(res);
    expect(pair.startsWith(`${SESSION_COOKIE}=`)).toBe(true);
    expect(attributes).toContain("httponly");
    expect(attributes).toContain("samesite=lax");
    expect(attributes).not.toContain("secure");
    expect(attributes).toContain("expires=");
    const me = await session(browserRequest("/api/auth/session", { cookie: pair }), undefined);
    expect(me.status).toBe(200);
    expect((await me.json()).reviewer.email).toBe(r.email);
  });

  it("marks the cookie Secure when the request came over https", async () => {
    const r = await buildReviewer();
    const res = await login(
      loginRequest({ email: r.email, password: r.password }, { "x-forwarded-proto": "https" }),
      undefined,
    );
    // Origin is http://app.test while the proxy says https: the origin check must refuse it…
    expect(res.status).toBe(403);
    const ok = await login(
      browserRequest("/api/auth/login", {
        method: "POST",
        body: { email: r.email, password: r.password },
        origin: "https://app.test",
        headers: { "x-forwarded-proto": "https" },
      }),
      undefined,
    );
    expect(ok.status).toBe(200);
    expect(cookieFrom(ok).attributes).toContain("secure");
  });

  it("rotates the session on login: the token held before is revoked", async () => {
    const r = await buildReviewer();
    const res = await login(loginRequest({ email: r.email, password: r.password }, {}, r.cookie), undefined);
    expect(res.status).toBe(200);
    const old = await session(browserRequest("/api/auth/session", { cookie: r.cookie }), undefined);
    expect(old.status).toBe(401);
    expect(cookieFrom(res).pair).not.toBe(r.cookie);
  });

  it.each([
    ["wrong password", (email: string) => ({ email, password: "not the password" })],
    ["unknown email", () => ({ email: "nobody@example.test", password: "whatever-123456" })],
  ])("refuses a %s with 401 and the same message", async (_name, body) => {
    const r = await buildReviewer();
    const res = await login(loginRequest(body(r.email)), undefined);
    expect(res.status).toBe(401);
    expect((await res.json()).error.message).toBe("Email or password is incorrect.");
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("refuses a disabled account even with the right password", async () => {
    const r = await buildReviewer();
    await db().reviewer.update({ where: { id: r.id }, data: { disabledAt: new Date() } });
    const res = await login(loginRequest({ email: r.email, password: r.password }), undefined);
    expect(res.status).toBe(403);
    // …and its existing session stops working at once.
    expect((await session(browserRequest("/api/auth/session", { cookie: r.cookie }), undefined)).status).toBe(401);
  });

  it("validates the body", async () => {
    const res = await login(loginRequest({ email: "not-an-email", password: "x" }), undefined);
    expect(res.status).toBe(400);
    expect((await res.json()).error.field).toBe("email");
  });
});

describe("sessions", () => {
  it("an expired session is refused", async () => {
    const r = await buildReviewer();
    await db().session.updateMany({ where: { reviewerId: r.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await session(browserRequest("/api/auth/session", { cookie: r.cookie }), undefined)).status).toBe(401);
  });

  it("logout revokes the session on the server and clears the cookie", async () => {
    const r = await buildReviewer();
    const res = await logout(browserRequest("/api/auth/logout", { method: "POST", cookie: r.cookie }), undefined);
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
    const rows = await db().session.findMany({ where: { reviewerId: r.id } });
    expect(rows.every((s) => s.revokedAt !== null)).toBe(true);
    // Replaying the old cookie does not bring the session back.
    expect((await session(browserRequest("/api/auth/session", { cookie: r.cookie }), undefined)).status).toBe(401);
  });

  it("a forged or tampered token is refused", async () => {
    const r = await buildReviewer();
    const tampered = `${r.cookie.slice(0, -2)}${r.cookie.endsWith("AA") ? "BB" : "AA"}`;
    expect((await session(browserRequest("/api/auth/session", { cookie: tampered }), undefined)).status).toBe(401);
  });
});

describe("login rate limit", () => {
  it(`per account+IP: after ${THROTTLE_LIMITS.accountIp} failures → 429 with Retry-After, even with the right password`, async () => {
    const r = await buildReviewer();
    const ip = { "x-forwarded-for": "203.0.113.7" };
    for (let i = 0; i < THROTTLE_LIMITS.accountIp; i++) {
      const res = await login(loginRequest({ email: r.email, password: "wrong password!" }, ip), undefined);
      expect(res.status).toBe(401);
    }
    const blocked = await login(loginRequest({ email: r.email, password: r.password }, ip), undefined);
    expect(blocked.status).toBe(429);
    const retryAfter = Number(blocked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect((await blocked.json()).error.code).toBe("rate_limited");
    // Another IP is not affected for this account.
    const elsewhere = await login(
      loginRequest({ email: r.email, password: r.password }, { "x-forwarded-for": "198.51.100.2" }),
      undefined,
    );
    expect(elsewhere.status).toBe(200);
  });

  it(`per IP: after ${THROTTLE_LIMITS.ip} failures across accounts → 429 for every account from that IP`, async () => {
    const r = await buildReviewer();
    const ip = { "x-forwarded-for": "192.0.2.50" };
    for (let i = 0; i < THROTTLE_LIMITS.ip; i++) {
      const res = await login(
        loginRequest({ email: `guess${i}@example.test`, password: "wrong password!" }, ip),
        undefined,
      );
      expect(res.status).toBe(401);
    }
    const blocked = await login(loginRequest({ email: r.email, password: r.password }, ip), undefined);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("a client cannot escape the limit by prepending addresses to X-Forwarded-For", async () => {
    const r = await buildReviewer();
    for (let i = 0; i < THROTTLE_LIMITS.accountIp; i++) {
      await login(
        loginRequest(
          { email: r.email, password: "wrong password!" },
          { "x-forwarded-for": `10.0.0.${i}, 203.0.113.99` },
        ),
        undefined,
      );
    }
    const blocked = await login(
      loginRequest({ email: r.email, password: r.password }, { "x-forwarded-for": "10.9.9.9, 203.0.113.99" }),
      undefined,
    );
    expect(blocked.status).toBe(429);
  });

  it("parallel guesses cannot slip past the limit: of 30 at once, at most 5 reach the password check", async () => {
    const r = await buildReviewer();
    const ip = { "x-forwarded-for": "203.0.113.150" };
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        login(loginRequest({ email: r.email, password: `guess number ${i}` }, ip), undefined),
      ),
    );
    const statuses = results.map((res) => res.status);
    // Both keys count each attempt: an attempt early on the account's count can still land past the IP's
    // limit of 20 when 30 run at once, so fewer than 5 may reach the password check — never more.
    const checked = statuses.filter((s) => s === 401).length;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(THROTTLE_LIMITS.accountIp);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30 - checked);
  });

  it("successful logins do not use up the per-IP allowance (an office behind one address)", async () => {
    const ip = { "x-forwarded-for": "198.51.100.77" };
    for (let i = 0; i < THROTTLE_LIMITS.ip + 5; i++) {
      const r = await buildReviewer();
      expect((await login(loginRequest({ email: r.email, password: r.password }, ip), undefined)).status).toBe(200);
    }
  });

  it("the window expires: a stale window restarts the count", async () => {
    const r = await buildReviewer();
    const ip = { "x-forwarded-for": "203.0.113.200" };
    for (let i = 0; i < THROTTLE_LIMITS.accountIp; i++) {
      await login(loginRequest({ email: r.email, password: "wrong password!" }, ip), undefined);
    }
    expect((await login(loginRequest({ email: r.email, password: r.password }, ip), undefined)).status).toBe(429);
    await db().loginThrottle.updateMany({ data: { windowStart: new Date(Date.now() - 16 * 60 * 1000) } });
    expect((await login(loginRequest({ email: r.email, password: r.password }, ip), undefined)).status).toBe(200);
  });
});

describe("Origin check on auth mutations", () => {
  it.each([
    ["another site", "https://evil.example"],
    ["no Origin and no Sec-Fetch-Site", null],
  ])("login from %s → 403", async (_name, origin) => {
    const r = await buildReviewer();
    const res = await login(
      browserRequest("/api/auth/login", { method: "POST", body: { email: r.email, password: r.password }, origin }),
      undefined,
    );
    expect(res.status).toBe(403);
  });

  it("logout from another site → 403 and the session survives", async () => {
    const r = await buildReviewer();
    const res = await logout(
      browserRequest("/api/auth/logout", { method: "POST", cookie: r.cookie, origin: "https://evil.example" }),
      undefined,
    );
    expect(res.status).toBe(403);
    expect((await session(browserRequest("/api/auth/session", { cookie: r.cookie }), undefined)).status).toBe(200);
  });
});

describe("housekeeping", () => {
  it("purges long-expired sessions and ended throttle windows, keeps live ones", async () => {
    const { purgeExpiredSessions } = await import("@/lib/auth/sessions");
    const { purgeStaleThrottles } = await import("@/lib/auth/throttle");
    const r = await buildReviewer();
    const old = await db().session.create({
      data: { tokenHash: `old-${r.id}`, reviewerId: r.id, expiresAt: new Date(Date.now() - 40 * 24 * 3600 * 1000) },
    });
    await db().loginThrottle.create({
      data: { key: "ip:stale", windowStart: new Date(Date.now() - 60 * 60 * 1000), failures: 3 },
    });
    await db().loginThrottle.create({ data: { key: "ip:live", windowStart: new Date(), failures: 3 } });
    expect(await purgeExpiredSessions()).toBeGreaterThanOrEqual(1);
    await purgeStaleThrottles();
    expect(await db().session.findUnique({ where: { id: old.id } })).toBeNull();
    expect((await session(browserRequest("/api/auth/session", { cookie: r.cookie }), undefined)).status).toBe(200);
    expect(await db().loginThrottle.findUnique({ where: { key: "ip:stale" } })).toBeNull();
    expect(await db().loginThrottle.findUnique({ where: { key: "ip:live" } })).not.toBeNull();
  });
});
