// Claiming and deciding: accept / override / reject write review + audit in one transaction; a second
// decision, or a decision on an item someone else holds, is a clear conflict.
import { describe, expect, it } from "vitest";
import { POST as claim, DELETE as release } from "@/app/api/admin/appraisals/[id]/claim/route";
import { POST as decide } from "@/app/api/admin/appraisals/[id]/decision/route";
import { GET as getDetail } from "@/app/api/admin/appraisals/[id]/route";
import { db } from "@/lib/db";
import {
  browserRequest,
  buildAppraisal,
  buildReviewer,
  params,
  type TestReviewer,
} from "@/tests/fixtures/review-builders";

function postDecision(r: TestReviewer, id: string, body: unknown) {
  return decide(
    browserRequest(`/api/admin/appraisals/${id}/decision`, { method: "POST", cookie: r.cookie, body }),
    params({ id }),
  );
}
function postClaim(r: TestReviewer, id: string) {
  return claim(
    browserRequest(`/api/admin/appraisals/${id}/claim`, { method: "POST", cookie: r.cookie }),
    params({ id }),
  );
}

const OVERRIDE = {
  action: "override",
  category: "tablet",
  price: 249.99,
  currency: "EUR",
  note: "It is an iPad, not a phone",
};

describe("decisions", () => {
  it("accept takes the model's category and price, writes a review and an audit event", async () => {
    const r = await buildReviewer();
    const a = await buildAppraisal({ category: "smartphone", priceP50: 150 });
    const res = await postDecision(r, a.id, { action: "accept" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "reviewed", finalCategory: "smartphone", finalPrice: 150 });
    const row = await db().appraisal.findUniqueOrThrow({ where: { id: a.id } });
    expect(row).toMatchObject({ status: "reviewed", finalCategory: "smartphone", finalPriceP50: 150 });
    expect(row.decidedAt).toBeInstanceOf(Date);
    const events = await db().auditEvent.findMany({ where: { appraisalId: a.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: r.id,
      actorKind: "reviewer",
      action: "review.accept",
      modelVersion: "test-model-v1",
    });
  });

  it("override stores the reviewer's category, price, currency and note, with before → after in the audit", async () => {
    const r = await buildReviewer();
    const a = await buildAppraisal({ category: "smartphone", priceP50: 150 });
    const res = await postDecision(r, a.id, { ...OVERRIDE, currency: "USD" });
    expect(res.status).toBe(200);
    const row = await db().appraisal.findUniqueOrThrow({ where: { id: a.id }, include: { reviews: true } });
    expect(row).toMatchObject({ status: "reviewed", finalCategory: "tablet", finalPriceP50: 249.99, currency: "USD" });
    expect(row.reviews[0]).toMatchObject({
      action: "override",
      category: "tablet",
      price: 249.99,
      note: OVERRIDE.note,
    });
    const [event] = await db().auditEvent.findMany({ where: { appraisalId: a.id } });
    expect(event.before).toMatchObject({ status: "needs_review", category: "smartphone", price: 150 });
    expect(event.after).toMatchObject({ status: "reviewed", category: "tablet", price: 249.99, currency: "USD" });
    expect(event.reason).toBe(OVERRIDE.note);
  });

  it("reject records the reason; the item leaves the queue as rejected", async () => {
    const r = await buildReviewer();
    const a = await buildAppraisal();
    const res = await postDecision(r, a.id, { action: "reject", reason: "unusable_photos", note: "all dark" });
    expect(res.status).toBe(200);
    const row = await db().appraisal.findUniqueOrThrow({ where: { id: a.id }, include: { reviews: true } });
    expect(row.status).toBe("rejected");
    expect(row.finalPriceP50).toBeNull();
    expect(row.reviews[0].rejectReason).toBe("unusable_photos");
    const [event] = await db().auditEvent.findMany({ where: { appraisalId: a.id } });
    expect(event.reason).toBe("unusable_photos: all dark");
  });

  it.each([
    ["override without a note", { ...OVERRIDE, note: "" }, "note"],
    ["override with a negative price", { ...OVERRIDE, price: -5 }, "price"],
    ["override with 3 decimals", { ...OVERRIDE, price: 10.123 }, "price"],
    ["override with an unknown currency", { ...OVERRIDE, currency: "XXX" }, "currency"],
    ["override with an unknown category", { ...OVERRIDE, category: "spaceship" }, "category"],
    ["reject without a reason", { action: "reject" }, "reason"],
    ["an unknown action", { action: "delete" }, "action"],
  ])("%s → 400 naming the field, nothing written", async (_n, body, field) => {
    const r = await buildReviewer();
    const a = await buildAppraisal();
    const res = await postDecision(r, a.id, body);
    expect(res.status).toBe(400);
    expect((await res.json()).error.field).toBe(field);
    expect((await db().appraisal.findUniqueOrThrow({ where: { id: a.id } })).status).toBe("needs_review");
    expect(await db().auditEvent.count({ where: { appraisalId: a.id } })).toBe(0);
  });

  it("an unknown appraisal → 404", async () => {
    const r = await buildReviewer();
    expect((await postDecision(r, "does-not-exist", { action: "accept" })).status).toBe(404);
  });

  it("deciding an item someone already decided → 409 naming who, and nothing changes", async () => {
    const first = await buildReviewer({ name: "Ada First" });
    const second = await buildReviewer({ name: "Bo Second" });
    const a = await buildAppraisal();
    expect((await postDecision(first, a.id, OVERRIDE)).status).toBe(200);
    const res = await postDecision(second, a.id, { action: "accept" });
    expect(res.status).toBe(409);
    const body = await res.json();
    expect(body.error.code).toBe("conflict");
    expect(body.error.message).toContain("Ada First");
    const row = await db().appraisal.findUniqueOrThrow({ where: { id: a.id }, include: { reviews: true } });
    expect(row.finalCategory).toBe("tablet");
    expect(row.reviews).toHaveLength(1);
    expect(await db().auditEvent.count({ where: { appraisalId: a.id } })).toBe(1);
  });

  it("two reviewers deciding one item at once → exactly one wins, the other gets 409", async () => {
    for (let round = 0; round < 5; round++) {
      const x = await buildReviewer();
      const y = await buildReviewer();
      const a = await buildAppraisal();
      const results = await Promise.all([
        postDecision(x, a.id, OVERRIDE),
        postDecision(y, a.id, { action: "reject", reason: "not_buyable" }),
      ]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409]);
      const loser = results.find((r) => r.status === 409) as Response;
      expect((await loser.json()).error.message).toMatch(/Already decided by/);
      expect(await db().review.count({ where: { appraisalId: a.id } })).toBe(1);
      expect(await db().auditEvent.count({ where: { appraisalId: a.id } })).toBe(1);
    }
  });
});

describe("claims", () => {
  it("opening claims the item; another reviewer cannot claim or decide it while the claim runs", async () => {
    const holder = await buildReviewer({ name: "Holder" });
    const other = await buildReviewer();
    const a = await buildAppraisal();
    const res = await postClaim(holder, a.id);
    expect(res.status).toBe(200);
    const { expiresAt } = await res.json();
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(4 * 60 * 1000);
    const blocked = await postClaim(other, a.id);
    expect(blocked.status).toBe(409);
    expect((await blocked.json()).error.message).toContain("Holder is working on this item");
    expect((await postDecision(other, a.id, { action: "accept" })).status).toBe(409);
    // The holder renews and decides.
    expect((await postClaim(holder, a.id)).status).toBe(200);
    expect((await postDecision(holder, a.id, { action: "accept" })).status).toBe(200);
    const row = await db().appraisal.findUniqueOrThrow({ where: { id: a.id } });
    expect(row.claimedById).toBeNull();
  });

  it("a stale claim expires: someone else can take the item", async () => {
    const holder = await buildReviewer();
    const other = await buildReviewer();
    const a = await buildAppraisal();
    await postClaim(holder, a.id);
    await db().appraisal.update({ where: { id: a.id }, data: { claimExpiresAt: new Date(Date.now() - 1000) } });
    expect((await postClaim(other, a.id)).status).toBe(200);
    expect((await postDecision(holder, a.id, { action: "accept" })).status).toBe(409);
    expect((await postDecision(other, a.id, { action: "accept" })).status).toBe(200);
  });

  it("releasing gives the item back; only the holder's claim is released", async () => {
    const holder = await buildReviewer();
    const other = await buildReviewer();
    const a = await buildAppraisal();
    await postClaim(holder, a.id);
    const del = (r: TestReviewer) =>
      release(
        browserRequest(`/api/admin/appraisals/${a.id}/claim`, { method: "DELETE", cookie: r.cookie }),
        params({ id: a.id }),
      );
    expect((await del(other)).status).toBe(204);
    expect((await db().appraisal.findUniqueOrThrow({ where: { id: a.id } })).claimedById).toBe(holder.id);
    expect((await del(holder)).status).toBe(204);
    expect((await db().appraisal.findUniqueOrThrow({ where: { id: a.id } })).claimedById).toBeNull();
  });

  it("claiming a decided item → 409", async () => {
    const r = await buildReviewer();
    const a = await buildAppraisal({ status: "auto_quoted" });
    expect((await postClaim(r, a.id)).status).toBe(409);
  });
});

describe("detail", () => {
  it("shows photos in slot order with attention, view guess and quality flags, the reasons and the audit trail", async () => {
    const r = await buildReviewer();
    const a = await buildAppraisal({
      photos: 4,
      reasons: ["low_confidence", "wrong_slot"],
      declaredCategory: "laptop",
    });
    await postDecision(r, a.id, OVERRIDE);
    const res = await getDetail(
      browserRequest(`/api/admin/appraisals/${a.id}`, { cookie: r.cookie }),
      params({ id: a.id }),
    );
    expect(res.status).toBe(200);
    const d = await res.json();
    expect(d.photos.map((p: { slot: number }) => p.slot)).toEqual([0, 1, 2, 3]);
    expect(d.photos[0]).toMatchObject({ viewGuess: "front", attention: 0.25 });
    expect(d.photos[2].qualityFlags[0].code).toBe("blurry");
    expect(d.prediction.reasons.map((x: { code: string }) => x.code)).toEqual(["low_confidence", "wrong_slot"]);
    expect(d.prediction.topCategories).toHaveLength(3);
    expect(d.declaredCategory).toBe("laptop");
    expect(d.audit[0]).toMatchObject({
      action: "review.override",
      actorName: expect.any(String),
      modelVersion: "test-model-v1",
    });
    expect(d.final).toMatchObject({ category: "tablet", price: 249.99 });
  });
});
