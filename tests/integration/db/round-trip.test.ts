// Every model can be written and read back through the generated client on the migrated database.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";

describe("every model round-trips through the Prisma client", () => {
  it("writes and reads a full appraisal graph, reviewer, session, audit event, throttle and model version", async () => {
    const prisma = db();
    const reviewer = await prisma.reviewer.create({
      data: { email: `r-${randomUUID()}@example.com`, name: "Rae Viewer", passwordHash: "x", role: "admin" },
    });
    const session = await prisma.session.create({
      data: { tokenHash: randomUUID(), reviewerId: reviewer.id, expiresAt: new Date(Date.now() + 3600_000) },
    });
    const model = await prisma.modelVersion.create({
      data: { id: `m-${randomUUID()}`, dir: "models/default", cardSha256: "ab", metrics: { quoteAccuracy: 0.9 } },
    });
    const appraisal = await prisma.appraisal.create({
      data: {
        id: randomUUID(),
        status: "needs_review",
        declaredCategory: "smartphone",
        sellerTokenHash: "h",
        idempotencyKey: randomUUID(),
        photos: {
          create: [0, 1].map((slot) => ({
            slot,
            kind: slot === 0 ? "front" : "back",
            originalSha256: `o${slot}`,
            pixelSha256: `p${slot}`,
            displayKey: `d${slot}`,
            thumbKey: `t${slot}`,
            modelKey: `m${slot}`,
            format: "jpeg",
            byteSize: 1000,
            width: 640,
            height: 480,
            qualityFlags: [{ code: "blurry", severity: "warning" }],
          })),
        },
        prediction: {
          create: {
            modelVersionId: model.id,
            topCategories: [{ category: "smartphone", probability: 0.8 }],
            category: "smartphone",
            confidence: 0.8,
            priceP10: 100,
            priceP50: 150.5,
            priceP90: 210,
            perPhoto: [{ slot: 0, attention: 0.7, viewGuess: "front" }],
            reviewReasons: ["low_confidence", "wide_range"],
          },
        },
      },
    });
    await prisma.review.create({
      data: {
        appraisalId: appraisal.id,
        reviewerId: reviewer.id,
        action: "override",
        category: "tablet",
        price: 99.5,
        note: "n",
      },
    });
    const audit = await prisma.auditEvent.create({
      data: {
        appraisalId: appraisal.id,
        actorId: reviewer.id,
        actorKind: "reviewer",
        action: "override",
        before: { a: 1 },
        after: { a: 2 },
      },
    });
    await prisma.loginThrottle.create({ data: { key: `ip:${randomUUID()}`, windowStart: new Date(), failures: 2 } });

    const back = await prisma.appraisal.findUniqueOrThrow({
      where: { id: appraisal.id },
      include: { photos: { orderBy: { slot: "asc" } }, prediction: true, reviews: true, auditEvents: true },
    });
    expect(back.photos.map((p) => p.kind)).toEqual(["front", "back"]);
    expect(back.photos[0].qualityFlags).toEqual([{ code: "blurry", severity: "warning" }]);
    expect(back.prediction?.priceP50).toBe(150.5);
    expect(back.prediction?.reviewReasons).toEqual(["low_confidence", "wide_range"]);
    expect(back.reviews[0]).toMatchObject({ action: "override", category: "tablet", price: 99.5 });
    expect(back.auditEvents[0].id).toBe(audit.id);
    expect(typeof audit.id).toBe("bigint");
    expect((await prisma.session.findUniqueOrThrow({ where: { id: session.id } })).reviewerId).toBe(reviewer.id);
    expect((await prisma.modelVersion.findUniqueOrThrow({ where: { id: model.id } })).status).toBe("candidate");
  });

  it("refuses to update or delete audit events (append-only at the database)", async () => {
    const prisma = db();
    const event = await prisma.auditEvent.create({ data: { actorKind: "system", action: "test" } });
    await expect(prisma.auditEvent.update({ where: { id: event.id }, data: { action: "rewritten" } })).rejects.toThrow(
      /append-only/,
    );
    await expect(prisma.auditEvent.delete({ where: { id: event.id } })).rejects.toThrow(/append-only/);
    expect((await prisma.auditEvent.findUniqueOrThrow({ where: { id: event.id } })).action).toBe("test");
  });
});
