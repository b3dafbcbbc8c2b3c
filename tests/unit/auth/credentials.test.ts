// Password hashing, session cookies, client address and post-login redirects.
import { describe, expect, it } from "vitest";
import { readSessionToken, SESSION_COOKIE, sessionCookieOptions } from "@/lib/auth/cookies";
import { safeNextPath } from "@/lib/auth/page";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { clientIp } from "@/lib/auth/request-meta";
import { throttleKeysFor } from "@/lib/auth/throttle";

describe("passwords", () => {
  it("hashes with argon2id (OWASP parameters), salted, and verifies", async () => {
    const a = await hashPassword("correct horse battery");
    const b = await hashPassword("correct horse battery");
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, "correct horse battery")).toBe(true);
    expect(await verifyPassword(a, "correct horse batterY")).toBe(false);
  });

  it("a malformed stored hash fails closed", async () => {
    expect(await verifyPassword("not-a-hash", "x")).toBe(false);
  });
});

describe("session cookie", () => {
  const token = "A".repeat(43);
  it.each([
    [`${SESSION_COOKIE}=${token}`, token],
    [`other=1; ${SESSION_COOKIE}=${token}; x=y`, token],
    [`${SESSION_COOKIE}=short`, undefined],
    [`${SESSION_COOKIE}=${"A".repeat(40)}%27--`, undefined],
    ["other=1", undefined],
    ["", undefined],
  ])("reads %j", (cookie, expected) => {
    const r = new Request("http://app.test/", { headers: cookie ? { cookie } : {} });
    expect(readSessionToken(r)).toBe(expected);
  });

  it("reads from Next's cookie store too", () => {
    expect(readSessionToken({ get: () => ({ value: token }) })).toBe(token);
  });

  it("is httpOnly, SameSite=Lax, path /, Secure only over https", () => {
    const expires = new Date();
    expect(sessionCookieOptions(new Request("http://app.test/"), expires)).toEqual({
      httpOnly: true,
      sameSite: "lax",
      secure: false,
      path: "/",
      expires,
    });
    expect(sessionCookieOptions(new Request("https://app.test/"), expires).secure).toBe(true);
    expect(
      sessionCookieOptions(new Request("http://app.test/", { headers: { "x-forwarded-proto": "https" } }), expires)
        .secure,
    ).toBe(true);
  });
});

describe("clientIp", () => {
  it.each([
    [{ "x-forwarded-for": "203.0.113.9" }, "203.0.113.9"],
    [{ "x-forwarded-for": "6.6.6.6, 203.0.113.9" }, "203.0.113.9"],
    [{ "x-real-ip": "198.51.100.1" }, "198.51.100.1"],
    [{}, "unknown"],
  ])("%j → %s", (headers, ip) => {
    expect(clientIp(new Request("http://app.test/", { headers }))).toBe(ip);
  });
});

describe("throttle keys", () => {
  it("are case-insensitive in the email and never contain it", () => {
    const a = throttleKeysFor("Ann@Example.test", "1.2.3.4");
    expect(a).toEqual(throttleKeysFor("ann@example.test", "1.2.3.4"));
    expect(JSON.stringify(a)).not.toContain("ann");
    expect(a.ip).not.toBe(throttleKeysFor("ann@example.test", "1.2.3.5").ip);
  });
});

describe("safeNextPath", () => {
  it.each([
    ["/admin/appraisals/abc", "/admin/appraisals/abc"],
    ["/admin?reason=wrong_slot", "/admin?reason=wrong_slot"],
    ["//evil.example/x", "/admin"],
    ["https://evil.example", "/admin"],
    ["/\\evil.example", "/admin"],
    [undefined, "/admin"],
  ])("%s → %s", (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });
});
