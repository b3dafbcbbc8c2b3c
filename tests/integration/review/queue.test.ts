// The queue: only items waiting for review, oldest first, filters and server-side pagination.
import { beforeAll, describe, expect, it } from "vitest";
import { POST as claim } from "@/app/api/admin/appraisals/[id]/claim/route";
import { GET as next } from "@/app/api/admin/queue/next/route";
import { GET as queue } from "@/app/api/admin/queue/route";
import {
  browserRequest,
  buildAppraisal,
  buildReviewer,
  params,
  type TestReviewer,
} from "@/tests/fixtures/review-builders";

let r: TestReviewer;
const ids: Record<string, string> = {};
const day = (d: string, h = 12) => new Date(`2026-11-${d}T${String(h).padStart(2, "0")}:00:00Z`);

beforeAll(async () => {
  r = await buildReviewer();
  ids.old = (await buildAppraisal({ createdAt: day("01"), category: "smartphone", reasons: ["low_confidence"] })).id;
  ids.mid = (
    await buildAppraisal({ createdAt: day("10"), category: "laptop", reasons: ["wrong_slot", "wide_price_range"] })
  ).id;
  ids.new = (await buildAppraisal({ createdAt: day("20"), category: "smartphone", reasons: ["wide_price_range"] })).id;
  ids.auto = (await buildAppraisal({ createdAt: day("02"), status: "auto_quoted" })).id;
  ids.done = (await buildAppraisal({ createdAt: day("03"), status: "reviewed" })).id;
});

async function list(qs: string, who = r) {
  const res = await queue(browserRequest(`/api/admin/queue${qs}`, { cookie: who.cookie }), params({}));
  return { status: res.status, body: await res.json() };
}

describe("review queue", () => {
  it("lists only items needing review, oldest first, with reason, category, price and age", async () => {
    const { body } = await list("");
    expect(body.rows.map((x: { id: string }) => x.id)).toEqual([ids.old, ids.mid, ids.new]);
    expect(body.total).toBe(3);
    expect(body.rows[1]).toMatchObject({
      category: "laptop",
      reasons: [{ code: "wrong_slot" }, { code: "wide_price_range" }],
      price: { p50: 120 },
      photoCount: 3,
      createdAt: day("10").toISOString(),
    });
  });

  it.each([
    ["?reason=wide_price_range", ["mid", "new"]],
    ["?category=smartphone", ["old", "new"]],
    ["?from=2026-11-05", ["mid", "new"]],
    ["?to=2026-11-10", ["old", "mid"]],
    ["?from=2026-11-05&to=2026-11-15&category=laptop", ["mid"]],
    ["?sort=newest", ["new", "mid", "old"]],
    ["?reason=&category=", ["old", "mid", "new"]],
  ])("filters %s", async (qs, expected) => {
    const { body } = await list(qs);
    expect(body.rows.map((x: { id: string }) => x.id)).toEqual(expected.map((k) => ids[k]));
  });

  it("paginates on the server", async () => {
    const p1 = await list("?pageSize=5&page=1");
    expect(p1.body).toMatchObject({ total: 3, pageCount: 1, page: 1 });
    const p2 = await list("?pageSize=5&page=2");
    expect(p2.body.rows).toEqual([]);
  });

  it.each(["?reason=bogus", "?page=0", "?from=yesterday", "?pageSize=1000"])("rejects %s with 400", async (qs) => {
    expect((await list(qs)).status).toBe(400);
  });

  it("shows who holds a claim; 'next' skips items someone else holds", async () => {
    const other = await buildReviewer({ name: "Other Person" });
    await claim(
      browserRequest(`/api/admin/appraisals/${ids.old}/claim`, { method: "POST", cookie: other.cookie }),
      params({ id: ids.old }),
    );
    const { body } = await list("");
    expect(body.rows[0].claim).toMatchObject({ reviewerName: "Other Person", mine: false });
    const res = await next(browserRequest("/api/admin/queue/next", { cookie: r.cookie }), params({}));
    expect((await res.json()).id).toBe(ids.mid);
    const skip = await next(
      browserRequest(`/api/admin/queue/next?except=${ids.mid}`, { cookie: r.cookie }),
      params({}),
    );
    expect((await skip.json()).id).toBe(ids.new);
  });
});
