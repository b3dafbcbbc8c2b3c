// Reviewers get photos by id and size through the handler, never by key or path.
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { GET as photo } from "@/app/api/admin/photos/[id]/[size]/route";
import { db } from "@/lib/db";
import { getPhotoStorage } from "@/lib/images/storage";
import { browserRequest, buildAppraisal, buildReviewer, params } from "@/tests/fixtures/review-builders";

describe("review photos", () => {
  it("serves thumb and display by photo id; bad size → 400, unknown id → 404", async () => {
    const r = await buildReviewer();
    const a = await buildAppraisal({ photos: 1 });
    const p = await db().photo.findFirstOrThrow({ where: { appraisalId: a.id } });
    const storage = await getPhotoStorage();
    const img = (w: number, format: "webp" | "jpeg") =>
      sharp({ create: { width: w, height: w, channels: 3, background: "blue" } })
        [format]()
        .toBuffer();
    await db().photo.update({
      where: { id: p.id },
      data: {
        thumbKey: await storage.put(await img(16, "webp"), "webp"),
        displayKey: await storage.put(await img(64, "webp"), "webp"),
      },
    });
    const get = (id: string, size: string) =>
      photo(browserRequest(`/api/admin/photos/${id}/${size}`, { cookie: r.cookie }), params({ id, size }));
    for (const [size, width, type] of [
      ["thumb", 16, "image/webp"],
      ["display", 64, "image/webp"],
    ] as const) {
      const res = await get(p.id, size);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe(type);
      expect(res.headers.get("cache-control")).toContain("private");
      expect((await sharp(Buffer.from(await res.arrayBuffer())).metadata()).width).toBe(width);
    }
    for (const size of ["huge", "original"]) expect((await get(p.id, size)).status).toBe(400);
    expect((await get("no-such-photo", "thumb")).status).toBe(404);
  });
});
