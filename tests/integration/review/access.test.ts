// Every admin route checks the session and the role itself, and every mutation checks Origin.
import { beforeAll, describe, expect, it } from "vitest";
import * as claim from "@/app/api/admin/appraisals/[id]/claim/route";
import * as decision from "@/app/api/admin/appraisals/[id]/decision/route";
import * as appraisal from "@/app/api/admin/appraisals/[id]/route";
import * as audit from "@/app/api/admin/audit/route";
import * as metrics from "@/app/api/admin/metrics/route";
import * as photo from "@/app/api/admin/photos/[id]/[size]/route";
import * as next from "@/app/api/admin/queue/next/route";
import * as queue from "@/app/api/admin/queue/route";
import * as reviewer from "@/app/api/admin/reviewers/[id]/route";
import * as reviewers from "@/app/api/admin/reviewers/route";
import { db } from "@/lib/db";
import {
  browserRequest,
  buildAppraisal,
  buildReviewer,
  params,
  type TestReviewer,
} from "@/tests/fixtures/review-builders";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
interface RouteCase {
  name: string;
  handler: Handler;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: (ids: Ids) => string;
  params: (ids: Ids) => Record<string, string>;
  body?: unknown;
  role: "reviewer" | "admin";
}
interface Ids {
  appraisalId: string;
  photoId: string;
  reviewerId: string;
}

const h = (fn: unknown) => fn as Handler;
const ROUTES: RouteCase[] = [
  {
    name: "GET queue",
    handler: h(queue.GET),
    method: "GET",
    path: () => "/api/admin/queue",
    params: () => ({}),
    role: "reviewer",
  },
  {
    name: "GET queue/next",
    handler: h(next.GET),
    method: "GET",
    path: () => "/api/admin/queue/next",
    params: () => ({}),
    role: "reviewer",
  },
  {
    name: "GET appraisal",
    handler: h(appraisal.GET),
    method: "GET",
    path: (i) => `/api/admin/appraisals/${i.appraisalId}`,
    params: (i) => ({ id: i.appraisalId }),
    role: "reviewer",
  },
  {
    name: "POST claim",
    handler: h(claim.POST),
    method: "POST",
    path: (i) => `/api/admin/appraisals/${i.appraisalId}/claim`,
    params: (i) => ({ id: i.appraisalId }),
    role: "reviewer",
  },
  {
    name: "DELETE claim",
    handler: h(claim.DELETE),
    method: "DELETE",
    path: (i) => `/api/admin/appraisals/${i.appraisalId}/claim`,
    params: (i) => ({ id: i.appraisalId }),
    role: "reviewer",
  },
  {
    name: "POST decision",
    handler: h(decision.POST),
    method: "POST",
    path: (i) => `/api/admin/appraisals/${i.appraisalId}/decision`,
    params: (i) => ({ id: i.appraisalId }),
    body: { action: "accept" },
    role: "reviewer",
  },
  {
    name: "GET audit",
    handler: h(audit.GET),
    method: "GET",
    path: () => "/api/admin/audit",
    params: () => ({}),
    role: "reviewer",
  },
  {
    name: "GET metrics",
    handler: h(metrics.GET),
    method: "GET",
    path: () => "/api/admin/metrics",
    params: () => ({}),
    role: "reviewer",
  },
  {
    name: "GET photo",
    handler: h(photo.GET),
    method: "GET",
    path: (i) => `/api/admin/photos/${i.photoId}/thumb`,
    params: (i) => ({ id: i.photoId, size: "thumb" }),
    role: "reviewer",
  },
  {
    name: "GET reviewers",
    handler: h(reviewers.GET),
    method: "GET",
    path: () => "/api/admin/reviewers",
    params: () => ({}),
    role: "admin",
  },
  {
    name: "POST reviewers",
    handler: h(reviewers.POST),
    method: "POST",
    path: () => "/api/admin/reviewers",
    params: () => ({}),
    body: { email: "new-reviewer@example.test", name: "New Reviewer" },
    role: "admin",
  },
  {
    name: "PATCH reviewer",
    handler: h(reviewer.PATCH),
    method: "PATCH",
    path: (i) => `/api/admin/reviewers/${i.reviewerId}`,
    params: (i) => ({ id: i.reviewerId }),
    body: { disabled: true },
    role: "admin",
  },
];

let ids: Ids;
let plain: TestReviewer;
let admin: TestReviewer;

beforeAll(async () => {
  const a = await buildAppraisal();
  const firstPhoto = await db().photo.findFirstOrThrow({ where: { appraisalId: a.id }, orderBy: { slot: "asc" } });
  const target = await buildReviewer();
  ids = { appraisalId: a.id, photoId: firstPhoto.id, reviewerId: target.id };
  plain = await buildReviewer({ role: "reviewer" });
  admin = await buildReviewer({ role: "admin" });
});

function call(route: RouteCase, init: { cookie?: string; origin?: string | null }) {
  const req = browserRequest(route.path(ids), { method: route.method, body: route.body, ...init });
  return route.handler(req, params(route.params(ids)));
}

describe("every admin route", () => {
  it.each(ROUTES.map((r) => [r.name, r] as const))("%s → 401 without a session", async (_n, route) => {
    const res = await call(route, {});
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("unauthenticated");
  });

  it.each(ROUTES.map((r) => [r.name, r] as const))("%s → 401 with a revoked session", async (_n, route) => {
    const r = await buildReviewer({ role: "admin" });
    await db().session.updateMany({ where: { reviewerId: r.id }, data: { revokedAt: new Date() } });
    expect((await call(route, { cookie: r.cookie })).status).toBe(401);
  });

  it.each(ROUTES.filter((r) => r.role === "admin").map((r) => [r.name, r] as const))(
    "%s → 403 for a reviewer who is not an admin",
    async (_n, route) => {
      const res = await call(route, { cookie: plain.cookie });
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe("forbidden");
    },
  );

  it.each(ROUTES.filter((r) => r.method !== "GET").map((r) => [r.name, r] as const))(
    "%s → 403 from another origin, even with a valid admin session",
    async (_n, route) => {
      const res = await call(route, { cookie: admin.cookie, origin: "https://evil.example" });
      expect(res.status).toBe(403);
      expect((await res.json()).error.message).toMatch(/cross-site/i);
    },
  );

  it.each(ROUTES.filter((r) => r.method !== "GET").map((r) => [r.name, r] as const))(
    "%s → 403 without an Origin header",
    async (_n, route) => {
      const res = await call(route, { cookie: admin.cookie, origin: null });
      expect(res.status).toBe(403);
    },
  );

  it("a cross-origin request changed nothing", async () => {
    const row = await db().appraisal.findUniqueOrThrow({ where: { id: ids.appraisalId } });
    expect(row.status).toBe("needs_review");
    const target = await db().reviewer.findUniqueOrThrow({ where: { id: ids.reviewerId } });
    expect(target.disabledAt).toBeNull();
    expect(await db().reviewer.count({ where: { email: "new-reviewer@example.test" } })).toBe(0);
  });

  it("the admin-only routes work for an admin", async () => {
    const list = await reviewers.GET(browserRequest("/api/admin/reviewers", { cookie: admin.cookie }), params({}));
    expect(list.status).toBe(200);
    const body = await list.json();
    expect(body.reviewers.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(body)).not.toContain("argon2");
  });
});
