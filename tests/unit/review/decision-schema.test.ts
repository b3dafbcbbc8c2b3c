// The decision a reviewer submits: what is accepted and which field an error names.
import { describe, expect, it } from "vitest";
import { decisionSchema, queueQuerySchema } from "@/lib/review/schemas";

const override = { action: "override", category: "tablet", price: 99.5, currency: "EUR", note: "wrong model" };

describe("decisionSchema", () => {
  it.each([
    [{ action: "accept" }],
    [{ action: "accept", note: "looks right" }],
    [override],
    [{ ...override, price: 1_000_000 }],
    [{ ...override, price: 0.01 }],
    [{ action: "reject", reason: "not_buyable" }],
  ])("accepts %j", (input) => {
    expect(decisionSchema.safeParse(input).success).toBe(true);
  });

  it.each([
    [{ ...override, price: 0 }, "price"],
    [{ ...override, price: 1_000_000.01 }, "price"],
    [{ ...override, price: 12.345 }, "price"],
    [{ ...override, price: Number.NaN }, "price"],
    [{ ...override, price: "12" }, "price"],
    [{ ...override, currency: "eur" }, "currency"],
    [{ ...override, note: "  " }, "note"],
    [{ ...override, category: "car" }, "category"],
    [{ action: "reject", reason: "because" }, "reason"],
    [{ action: "accept", note: "x".repeat(2001) }, "note"],
  ])("refuses %j naming %s", (input, field) => {
    const result = decisionSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path[0]).toBe(field);
  });
});

describe("queueQuerySchema", () => {
  it("defaults to the oldest first, page 1 of 25", () => {
    expect(queueQuerySchema.parse({})).toMatchObject({ sort: "oldest", page: 1, pageSize: 25 });
  });
  it("treats empty URL values as absent", () => {
    expect(queueQuerySchema.parse({ reason: "", category: "", page: "" })).toMatchObject({ page: 1 });
  });
});
