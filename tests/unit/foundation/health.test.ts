import { afterAll, describe, expect, it } from "vitest";
import { closeDatabase } from "@/lib/db";
import { resetEnvForTests } from "@/lib/env";

describe("GET /api/health", () => {
  afterAll(async () => {
    await closeDatabase();
  });

  it("answers 503 with db unreachable when the database is down", async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    process.env.DATABASE_URL = "postgres://nobody@127.0.0.1:1/none";
    process.env.LOG_LEVEL = "silent";
    resetEnvForTests();
    const { GET } = await import("@/app/api/health/route");
    const res = await GET();
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: "degraded", db: "unreachable" });
  });
});
