import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { errorResponse, handle } from "@/lib/http/respond";

describe("errorResponse", () => {
  it.each([
    ["validation", 400],
    ["unauthenticated", 401],
    ["forbidden", 403],
    ["not_found", 404],
    ["conflict", 409],
    ["too_large", 413],
    ["unsupported_media", 415],
    ["invalid", 422],
    ["rate_limited", 429],
  ] as const)("maps %s to %i with code, message and field", async (code, status) => {
    const res = errorResponse(new AppError(code, "Something about the front photo", { field: "photos[0]" }));
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({
      error: { code, message: "Something about the front photo", field: "photos[0]" },
    });
  });

  it("sends Retry-After when rate limited", () => {
    const res = errorResponse(new AppError("rate_limited", "Too many attempts", { retryAfter: 42 }));
    expect(res.headers.get("Retry-After")).toBe("42");
  });

  it("turns a zod error into a 400 naming the field", async () => {
    const parsed = z.object({ declaredCategory: z.enum(["a", "b"]) }).safeParse({ declaredCategory: "c" });
    const res = errorResponse(parsed.error);
    expect(res.status).toBe(400);
    expect((await res.json()).error.field).toBe("declaredCategory");
  });

  it("answers unexpected errors with 500 and no internals", async () => {
    const res = await handle(async () => {
      throw new Error("connection string postgres://secret@db leaked?");
    })(new Request("http://x"), {});
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("secret");
    expect(JSON.parse(text).error.code).toBe("internal");
  });
});
