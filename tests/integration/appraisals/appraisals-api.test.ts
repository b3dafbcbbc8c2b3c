import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, cookieFrom, countingBody, errorOf, type Part, photoParts, photos, uploadRequest } from "./helpers";
import { writeTinyModel } from "./tiny-model";

// Small caps so the size limits can be exercised with small files; set before getEnv() first runs.
const modelDir = fs.mkdtempSync(path.join(os.tmpdir(), "appraise-tiny-model-"));
process.env.MODEL_DIR = modelDir;
process.env.MAX_PHOTO_BYTES = String(400 * 1024);
process.env.MAX_REQUEST_BYTES = String(1024 * 1024);

const { POST } = await import("@/app/api/appraisals/route");
const { GET: getAppraisal } = await import("@/app/api/appraisals/[id]/route");
const { GET: getPhoto } = await import("@/app/api/photos/[id]/[size]/route");
const { db } = await import("@/lib/db");
const { getPhotoStorage, resetPhotoStorageForTests } = await import("@/lib/images");
const { disposeModelService, getModelService } = await import("@/lib/appraisals/model-service");
const { sweepOrphanPhotos } = await import("@/lib/appraisals/sweep-orphan-photos");
const { getAppraisalForViewer, listAppraisalsForSeller } = await import("@/lib/appraisals/get-appraisal");

const post = (req: Request) => POST(req, undefined as never);
const get = (id: string, cookie?: string) =>
  getAppraisal(new Request(`${BASE}/api/appraisals/${id}`, { headers: cookie ? { cookie } : {} }), {
    params: Promise.resolve({ id }),
  });
const counts = async () => ({
  appraisals: await db().appraisal.count(),
  photos: await db().photo.count(),
  predictions: await db().prediction.count(),
});
const storedKeys = async () => {
  const keys: string[] = [];
  for await (const f of (await getPhotoStorage()).list()) keys.push(f.key);
  return keys.sort();
};

let three: Buffer[];

beforeAll(async () => {
  resetPhotoStorageForTests();
  await writeTinyModel(modelDir);
  three = await photos(3);
});

afterAll(async () => {
  await disposeModelService();
  fs.rmSync(modelDir, { recursive: true, force: true });
});

describe("POST /api/appraisals", () => {
  it("creates an appraisal from three photos and answers 201 with the quote and a seller cookie", async () => {
    const res = await post(uploadRequest(photoParts(three)));
    expect(res.status).toBe(201);
    const quote = await res.json();
    expect(quote.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(["auto_quoted", "needs_review"]).toContain(quote.status);
    expect(quote.topCategories).toHaveLength(3);
    expect(quote.topCategories[0].probability).toBeGreaterThanOrEqual(quote.topCategories[1].probability);
    expect(quote.price.p10).toBeLessThanOrEqual(quote.price.p50);
    expect(quote.price.p50).toBeLessThanOrEqual(quote.price.p90);
    expect(quote.price.currency).toBe("EUR");
    expect(quote.modelVersion).toBe("tiny-test-1");
    expect(quote.photos.map((p: { slotName: string }) => p.slotName)).toEqual(["Front", "Back", "Other 1"]);
    expect(res.headers.get("location")).toBe(`/api/appraisals/${quote.id}`);
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^appraise_seller=[A-Za-z0-9_-]{43};/);
    expect(setCookie.toLowerCase()).toContain("httponly");

    const row = await db().appraisal.findUniqueOrThrow({
      where: { id: quote.id },
      include: { photos: true, prediction: true, auditEvents: true },
    });
    expect(row.photos.map((p) => [p.slot, p.kind])).toEqual(
      expect.arrayContaining([
        [0, "front"],
        [1, "back"],
        [2, "other"],
      ]),
    );
    // Only the hash of the cookie token is stored.
    const token = cookieFrom(res).split("=")[1];
    expect(row.sellerTokenHash).not.toContain(token);
    expect(row.sellerTokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.prediction?.modelVersionId).toBe("tiny-test-1");
    expect(row.auditEvents.map((e) => e.action)).toEqual(["created"]);
    const storage = await getPhotoStorage();
    for (const p of row.photos) {
      for (const key of [p.displayKey, p.thumbKey, p.modelKey]) expect(await storage.exists(key)).toBe(true);
    }
  });

  it("lets the creating seller read the quote and its photos, and nobody else", async () => {
    const res = await post(uploadRequest(photoParts(three.slice(0, 2))));
    const quote = await res.json();
    const cookie = cookieFrom(res);

    const mine = await get(quote.id, cookie);
    expect(mine.status).toBe(200);
    expect((await mine.json()).id).toBe(quote.id);

    const other = await post(uploadRequest(photoParts(three.slice(1, 2))));
    const otherCookie = cookieFrom(other);
    for (const c of [otherCookie, undefined, "appraise_seller=not-a-token"]) {
      const res404 = await get(quote.id, c);
      expect(res404.status).toBe(404);
      expect((await errorOf(res404)).code).toBe("not_found");
    }
    expect((await get("AAAAAAAAAAAAAAAAAAAAAA", cookie)).status).toBe(404);
    expect((await get("../../etc/passwd", cookie)).status).toBe(404);

    const photoId = quote.photos[0].id;
    const photoReq = (size: string, c?: string) =>
      getPhoto(new Request(`${BASE}/api/photos/${photoId}/${size}`, { headers: c ? { cookie: c } : {} }), {
        params: Promise.resolve({ id: photoId, size }),
      });
    const thumb = await photoReq("thumb", cookie);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("content-type")).toBe("image/webp");
    expect((await photoReq("display", cookie)).headers.get("content-type")).toBe("image/webp");
    // No copy larger than the display one is kept, so there is none to ask for.
    expect((await photoReq("original", cookie)).status).toBe(404);
    expect((await photoReq("thumb", otherCookie)).status).toBe(404);
    expect((await photoReq("huge", cookie)).status).toBe(404);

    // Reviewers (lib/auth decides who is one) see every appraisal.
    await expect(getAppraisalForViewer(quote.id, { reviewer: true })).resolves.toMatchObject({ id: quote.id });
  });

  it("shows the seller a reviewer's decision on the next read (what the quote page polls)", async () => {
    const res = await post(
      uploadRequest([...photoParts(three.slice(0, 2)), { name: "declaredCategory", value: "tablet" }]),
    );
    const cookie = cookieFrom(res);
    const { id } = await res.json();
    // A reviewer's override as lib/review records it: the appraisal's outcome columns plus a Review row.
    const reviewer = await db().reviewer.create({
      data: { email: `r-${id}@example.test`, name: "R", passwordHash: "x" },
    });
    await db().$transaction([
      db().appraisal.update({
        where: { id },
        data: { status: "reviewed", finalCategory: "tablet", finalPriceP50: 240, decidedAt: new Date() },
      }),
      db().review.create({
        data: { appraisalId: id, reviewerId: reviewer.id, action: "override", category: "tablet", price: 240 },
      }),
    ]);
    const quote = await (await get(id, cookie)).json();
    expect(quote).toMatchObject({
      status: "reviewed",
      category: "tablet",
      categoryLabel: "Tablet",
      final: { category: "tablet", categoryLabel: "Tablet", price: 240, currency: "EUR" },
      rejectReason: null,
    });
    expect(quote.decidedAt).not.toBeNull();
  });

  it("keeps one seller cookie across appraisals", async () => {
    const first = await post(uploadRequest(photoParts(three.slice(0, 1))));
    const cookie = cookieFrom(first);
    const second = await post(uploadRequest(photoParts(three.slice(1, 2)), { cookie }));
    expect(second.status).toBe(201);
    expect(second.headers.get("set-cookie")).toBeNull();
    const secondId = (await second.json()).id;
    expect((await get(secondId, cookie)).status).toBe(200);
    // The home page lists this seller's quotes, newest first, and nobody else's.
    const mine = await listAppraisalsForSeller(cookie.split("=")[1]);
    expect(mine.map((q) => q.id)).toEqual([secondId, (await first.json()).id]);
    expect(await listAppraisalsForSeller(undefined)).toEqual([]);
  });

  it("closes gaps between Other photos and keeps an empty Back empty", async () => {
    const res = await post(uploadRequest(photoParts(three, [0, 3, 6])));
    expect(res.status).toBe(201);
    const quote = await res.json();
    expect(quote.photos.map((p: { slot: number }) => p.slot)).toEqual([0, 2, 3]);
  });

  it("routes to review when the declared category disagrees with the prediction, and says why", async () => {
    const probe = await (await post(uploadRequest(photoParts(three)))).json();
    const other = probe.category === "camera" ? "laptop" : "camera";
    const res = await post(uploadRequest([...photoParts(three), { name: "declaredCategory", value: other }]));
    expect(res.status).toBe(201);
    const quote = await res.json();
    expect(quote.status).toBe("needs_review");
    expect(quote.declaredCategory).toBe(other);
    expect(quote.reviewReasons.map((r: { code: string }) => r.code)).toContain("declared_category_mismatch");
  });

  it("returns the first result for a retried Idempotency-Key, never a duplicate", async () => {
    const key = "retry-3f2a9c1e-0000-4000-8000-000000000001";
    const before = await counts();
    const first = await post(uploadRequest(photoParts(three), { "Idempotency-Key": key }));
    expect(first.status).toBe(201);
    const cookie = cookieFrom(first);
    const firstQuote = await first.json();
    const retry = await post(uploadRequest(photoParts(three), { "Idempotency-Key": key, cookie }));
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect((await retry.json()).id).toBe(firstQuote.id);
    // Concurrent retries race to the unique index; both answers are the one appraisal.
    const key2 = `${key}-concurrent`;
    const [a, b] = await Promise.all([
      post(uploadRequest(photoParts(three), { "Idempotency-Key": key2, cookie })),
      post(uploadRequest(photoParts(three), { "Idempotency-Key": key2, cookie })),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect((await a.json()).id).toBe((await b.json()).id);
    expect((await counts()).appraisals).toBe(before.appraisals + 2);

    const stranger = await post(uploadRequest(photoParts(three), { "Idempotency-Key": key }));
    expect(stranger.status).toBe(409);
    const badKey = await post(uploadRequest(photoParts(three), { "Idempotency-Key": "no spaces allowed" }));
    expect(badKey.status).toBe(400);
  });

  const pdf = Buffer.from("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n");
  const cases: { name: string; parts: () => Part[]; status: number; code: string; field?: string; says: RegExp }[] = [
    { name: "no photos", parts: () => [], status: 400, code: "validation", field: "photos[0]", says: /Front/ },
    {
      name: "no front photo",
      parts: () => photoParts(three.slice(0, 2), [1, 2]),
      status: 400,
      code: "validation",
      field: "photos[0]",
      says: /Front photo/,
    },
    {
      name: "nine photos",
      parts: () => photoParts([...three, ...three, ...three], [0, 1, 2, 3, 4, 5, 6, 7, 8]),
      status: 400,
      code: "too_many",
      field: "photos",
      says: /at most 8 photos/,
    },
    {
      name: "two photos in one slot",
      parts: () => photoParts(three, [0, 1, 1]),
      status: 400,
      code: "validation",
      field: "photos[1]",
      says: /Two photos .* Back slot/,
    },
    ...["photos[8]", "photos[-1]", "photos[x]", "photos[1.5]", "photos[08]", "photo", "photos[]"].map((name) => ({
      name: `bad slot field ${name}`,
      parts: () => [...photoParts([three[0]]), { name, value: three[1], fileName: "b.jpg" }],
      status: 400,
      code: "validation",
      field: "photos",
      says: /photos\[<slot>\]|slot must be 0–7/,
    })),
    {
      name: "a PDF in Front",
      parts: () => [{ name: "photos[0]", value: pdf, fileName: "invoice.pdf", type: "application/pdf" }],
      status: 415,
      code: "unsupported_media",
      field: "photos[0]",
      says: /Front photo "invoice.pdf": this is a PDF document/,
    },
    {
      name: "a text file in Back",
      parts: () => [
        ...photoParts([three[0]]),
        { name: "photos[1]", value: "hello", fileName: "notes.txt", type: "text/plain" },
      ],
      status: 415,
      code: "unsupported_media",
      field: "photos[1]",
      says: /Back photo "notes.txt"/,
    },
    {
      name: "an oversize photo",
      parts: () => [{ name: "photos[0]", value: Buffer.alloc(500 * 1024, 1), fileName: "big.jpg" }],
      status: 413,
      code: "too_large",
      field: "photos[0]",
      says: /^Front photo "big.jpg": the file is bigger than 400 KB, the most one photo can be/,
    },
    {
      name: "an unknown declared category",
      parts: () => [...photoParts([three[0]]), { name: "declaredCategory", value: "spaceship" }],
      status: 400,
      code: "validation",
      field: "declaredCategory",
      says: /not a category/,
    },
    {
      name: "an unknown text field",
      parts: () => [...photoParts([three[0]]), { name: "price", value: "1000000" }],
      status: 400,
      code: "validation",
      says: /price/,
    },
  ];

  it.each(cases)("refuses $name with $status and no rows", async ({ parts, status, code, field, says }) => {
    const before = await counts();
    const res = await post(uploadRequest(parts()));
    const error = await errorOf(res);
    expect({ status: res.status, code: error.code }).toEqual({ status, code });
    if (field) expect(error.field).toBe(field);
    expect(error.message).toMatch(says);
    expect(await counts()).toEqual(before);
  });

  it("refuses a body that is not multipart with 415", async () => {
    const res = await post(
      new Request(`${BASE}/api/appraisals`, {
        method: "POST",
        body: "{}",
        headers: { "content-type": "application/json" },
      }),
    );
    expect(res.status).toBe(415);
  });

  it("refuses a truncated multipart body with 400", async () => {
    const body = '--x\r\nContent-Disposition: form-data; name="photos[0]"; filename="a.jpg"\r\n\r\nnot all of it';
    const res = await post(
      new Request(`${BASE}/api/appraisals`, {
        method: "POST",
        body,
        headers: { "content-type": "multipart/form-data; boundary=x" },
      }),
    );
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(/not valid multipart/);
  });

  it("refuses on Content-Length before reading the body", async () => {
    const body = countingBody(2 * 1024 * 1024);
    const res = await post(
      new Request(`${BASE}/api/appraisals`, {
        method: "POST",
        body: body.stream,
        duplex: "half",
        headers: { "content-type": "multipart/form-data; boundary=x", "content-length": String(2 * 1024 * 1024) },
      } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect((await errorOf(res)).message).toMatch(/at most 1\.0 MB/);
    expect(body.pulled()).toBe(0);
  });

  it("stops reading a stream as soon as it passes the request cap", async () => {
    const total = 8 * 1024 * 1024;
    const body = countingBody(total);
    const res = await post(
      new Request(`${BASE}/api/appraisals`, {
        method: "POST",
        body: body.stream,
        duplex: "half",
        headers: { "content-type": "multipart/form-data; boundary=x" },
      } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect(body.pulled()).toBeLessThan(1.5 * 1024 * 1024);
  });
});

describe("a failure after the files are written", () => {
  it("leaves no rows, and no files once the sweep has run", async () => {
    const before = await counts();
    const keysBefore = await storedKeys();
    const fresh = await photos(2, { width: 500, height: 400 });
    // A real database failure inside the transaction, after every file has been written.
    await db().$executeRawUnsafe(
      `CREATE OR REPLACE FUNCTION fail_prediction() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql`,
    );
    await db().$executeRawUnsafe(
      `CREATE TRIGGER fail_prediction BEFORE INSERT ON "Prediction" FOR EACH ROW EXECUTE FUNCTION fail_prediction()`,
    );
    try {
      const res = await post(uploadRequest(photoParts(fresh)));
      expect(res.status).toBe(500);
      expect((await errorOf(res)).message).not.toMatch(/injected|trigger|Prediction/);
    } finally {
      await db().$executeRawUnsafe(`DROP TRIGGER fail_prediction ON "Prediction"`);
    }
    expect(await counts()).toEqual(before);
    await sweepOrphanPhotos({ olderThanMs: 0 });
    expect(await storedKeys()).toEqual(keysBefore);
  });

  it("the sweep deletes files no row refers to and keeps the rest", async () => {
    const storage = await getPhotoStorage();
    const keysBefore = await storedKeys();
    const orphan = await storage.put(Buffer.from("orphaned by a crash between write and commit"), "jpg");
    const young = await sweepOrphanPhotos();
    expect(young.deleted).toBe(0);
    expect(await storage.exists(orphan)).toBe(true);
    const result = await sweepOrphanPhotos({ olderThanMs: 0 });
    expect(result.deleted).toBe(1);
    expect(await storage.exists(orphan)).toBe(false);
    expect(await storedKeys()).toEqual(keysBefore);
  });
});

describe("model promotion", () => {
  it("serves the next appraisal with a model promoted while the server runs, and records its version", async () => {
    const nextDir = fs.mkdtempSync(path.join(os.tmpdir(), "appraise-tiny-model-2-"));
    try {
      await writeTinyModel(nextDir, { version: "tiny-test-2" });
      // What model:promote does: the new version active, the old one retired.
      await db().$transaction([
        db().modelVersion.updateMany({ where: { status: "active" }, data: { status: "retired" } }),
        db().modelVersion.create({
          data: { id: "tiny-test-2", dir: nextDir, cardSha256: "x", status: "active", promotedAt: new Date() },
        }),
      ]);
      await (await getModelService()).refresh();
      const res = await post(uploadRequest(photoParts(three.slice(0, 1))));
      expect(res.status).toBe(201);
      const quote = await res.json();
      expect(quote.modelVersion).toBe("tiny-test-2");
      const row = await db().prediction.findUniqueOrThrow({ where: { appraisalId: quote.id } });
      expect(row.modelVersionId).toBe("tiny-test-2");
    } finally {
      await disposeModelService();
      fs.rmSync(nextDir, { recursive: true, force: true });
    }
  });
});
