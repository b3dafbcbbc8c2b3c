// The CSRF guard: which requests count as coming from our own origin.
import { describe, expect, it } from "vitest";
import { assertSameOrigin } from "@/lib/auth/origin";

function req(method: string, headers: Record<string, string>, url = "http://app.test/api/admin/x") {
  return new Request(url, { method, headers });
}

describe("assertSameOrigin", () => {
  it.each([
    ["GET without Origin", req("GET", {})],
    ["HEAD without Origin", req("HEAD", {})],
    ["POST from the same origin", req("POST", { origin: "http://app.test" })],
    ["POST, Origin differs only in case", req("POST", { origin: "HTTP://APP.TEST" })],
    ["POST with Host header", req("POST", { origin: "http://shop.example", host: "shop.example" })],
    [
      "POST behind a TLS proxy",
      req("POST", { origin: "https://shop.example", "x-forwarded-host": "shop.example", "x-forwarded-proto": "https" }),
    ],
    ["POST without Origin but Sec-Fetch-Site same-origin", req("POST", { "sec-fetch-site": "same-origin" })],
  ])("allows %s", (_n, r) => {
    expect(() => assertSameOrigin(r)).not.toThrow();
  });

  it.each([
    ["POST from another site", req("POST", { origin: "https://evil.example" })],
    ["POST from a sibling port", req("POST", { origin: "http://app.test:8080" })],
    [
      "POST over http when the proxy says https",
      req("POST", { origin: "http://app.test", "x-forwarded-proto": "https" }),
    ],
    ["POST with Origin null (sandboxed frame)", req("POST", { origin: "null" })],
    ["POST without Origin", req("POST", {})],
    ["DELETE cross-site", req("DELETE", { origin: "https://evil.example" })],
    ["PATCH, Sec-Fetch-Site cross-site", req("PATCH", { "sec-fetch-site": "cross-site" })],
  ])("refuses %s with 403", (_n, r) => {
    expect(() => assertSameOrigin(r)).toThrow(expect.objectContaining({ code: "forbidden", status: 403 }));
  });
});
