// The audit log is append-only: no route edits or deletes it, and the database refuses to.

import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { POST as decide } from "@/app/api/admin/appraisals/[id]/decision/route";
import * as auditRoute from "@/app/api/admin/audit/route";
import { PATCH as updateReviewer } from "@/app/api/admin/reviewers/[id]/route";
import { POST as createReviewer } from "@/app/api/admin/reviewers/route";
import { db } from "@/lib/db";
import { browserRequest, buildAppraisal, buildReviewer, params } from "@/tests/fixtures/review-builders";

async function snapshot(): Promise<string> {
  const rows = await db().auditEvent.findMany({ orderBy: { id: "asc" } });
  return createHash("sha256")
    .update(JSON.stringify(rows, (_k, v) => (typeof v === "bigint" ? v.toString() : v)))
    .digest("hex");
}

/** Every route module under app/api (ours and everyone else's). */
function routeFiles(dir = path.resolve("app/api")): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return routeFiles(full);
    return e.name === "route.ts" ? [full] : [];
  });
}

describe("audit log immutability", () => {
  it("the audit route answers GET only (Next returns 405 for every other method)", () => {
    expect(Object.keys(auditRoute).filter((k) => /^[A-Z]+$/.test(k))).toEqual(["GET"]);
  });

  it("no route handler issues an update or delete on AuditEvent", () => {
    for (const file of routeFiles()) {
      expect(fs.readFileSync(file, "utf8"), file).not.toMatch(/auditEvent\.(update|delete|upsert)/i);
    }
    const libs = ["lib/review", "lib/auth", "lib/appraisals"].flatMap((d) =>
      fs.existsSync(d)
        ? fs
            .readdirSync(d)
            .filter((f) => f.endsWith(".ts"))
            .map((f) => path.join(d, f))
        : [],
    );
    for (const file of libs) {
      expect(fs.readFileSync(file, "utf8"), file).not.toMatch(/auditEvent\.(update|delete|upsert)/i);
    }
  });

  it("later decisions and admin actions only append: earlier events stay byte-for-byte the same", async () => {
    const admin = await buildReviewer({ role: "admin" });
    const a = await buildAppraisal();
    const b = await buildAppraisal();
    const decideOn = (id: string, body: unknown) =>
      decide(
        browserRequest(`/api/admin/appraisals/${id}/decision`, { method: "POST", cookie: admin.cookie, body }),
        params({ id }),
      );
    expect((await decideOn(a.id, { action: "accept" })).status).toBe(200);
    const before = await snapshot();
    const countBefore = await db().auditEvent.count();

    // A second decision on the same item (refused), one on another, and reviewer administration.
    expect((await decideOn(a.id, { action: "reject", reason: "other" })).status).toBe(409);
    expect((await decideOn(b.id, { action: "reject", reason: "not_buyable" })).status).toBe(200);
    const created = await createReviewer(
      browserRequest("/api/admin/reviewers", {
        method: "POST",
        cookie: admin.cookie,
        body: { email: "x@example.test", name: "X" },
      }),
      params({}),
    );
    const { reviewer } = await created.json();
    await updateReviewer(
      browserRequest(`/api/admin/reviewers/${reviewer.id}`, {
        method: "PATCH",
        cookie: admin.cookie,
        body: { disabled: true },
      }),
      params({ id: reviewer.id }),
    );

    const after = await db().auditEvent.findMany({ orderBy: { id: "asc" } });
    expect(after).toHaveLength(countBefore + 3);
    const firstPart = createHash("sha256")
      .update(JSON.stringify(after.slice(0, countBefore), (_k, v) => (typeof v === "bigint" ? v.toString() : v)))
      .digest("hex");
    expect(firstPart).toBe(before);
    expect(after.slice(countBefore).map((e) => e.action)).toEqual([
      "review.reject",
      "reviewer.create",
      "reviewer.update",
    ]);
  });

  it.each([
    ["UPDATE", () => db().auditEvent.updateMany({ data: { reason: "tampered" } })],
    ["DELETE", () => db().auditEvent.deleteMany({})],
    ["TRUNCATE", () => db().$executeRawUnsafe('TRUNCATE "AuditEvent"')],
  ])("the database refuses %s on AuditEvent", async (_op, attempt) => {
    const a = await buildAppraisal();
    const admin = await buildReviewer();
    await decide(
      browserRequest(`/api/admin/appraisals/${a.id}/decision`, {
        method: "POST",
        cookie: admin.cookie,
        body: { action: "accept" },
      }),
      params({ id: a.id }),
    );
    const before = await snapshot();
    await expect(attempt()).rejects.toThrow(/append-only/);
    expect(await snapshot()).toBe(before);
  });

  it("deleting an appraisal that has audit events is refused (events keep their subject)", async () => {
    const a = await buildAppraisal();
    const r = await buildReviewer();
    await decide(
      browserRequest(`/api/admin/appraisals/${a.id}/decision`, {
        method: "POST",
        cookie: r.cookie,
        body: { action: "accept" },
      }),
      params({ id: a.id }),
    );
    await expect(db().appraisal.delete({ where: { id: a.id } })).rejects.toThrow();
    expect(await db().auditEvent.count({ where: { appraisalId: a.id } })).toBe(1);
  });
});
