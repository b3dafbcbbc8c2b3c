// The first admin of a fresh install comes from ADMIN_EMAIL / ADMIN_PASSWORD, once.
import { afterEach, describe, expect, it } from "vitest";
import { loginReviewer } from "@/lib/auth/login";
import { ensureFirstAdmin } from "@/lib/auth/reviewers";
import { db } from "@/lib/db";
import { resetEnvForTests } from "@/lib/env";

function setAdminEnv(email?: string, password?: string) {
  if (email) process.env.ADMIN_EMAIL = email;
  else delete process.env.ADMIN_EMAIL;
  if (password) process.env.ADMIN_PASSWORD = password;
  else delete process.env.ADMIN_PASSWORD;
  resetEnvForTests();
}

afterEach(() => setAdminEnv());

describe("ensureFirstAdmin", () => {
  it("does nothing without the variables", async () => {
    setAdminEnv();
    expect(await ensureFirstAdmin()).toBe("not_configured");
    expect(await db().reviewer.count()).toBe(0);
  });

  it("creates an admin on an empty database (concurrent starts create exactly one) and never again", async () => {
    setAdminEnv("First.Admin@Example.test", "first-admin-password");
    const results = await Promise.all([ensureFirstAdmin(), ensureFirstAdmin(), ensureFirstAdmin()]);
    expect(results.filter((r) => r === "created")).toHaveLength(1);
    const admins = await db().reviewer.findMany();
    expect(admins).toHaveLength(1);
    expect(admins[0]).toMatchObject({ email: "first.admin@example.test", role: "admin" });
    const { viewer } = await loginReviewer(
      { email: "first.admin@example.test", password: "first-admin-password" },
      { ip: "1.1.1.1" },
    );
    expect(viewer.role).toBe("admin");

    setAdminEnv("someone.else@example.test", "another-password-1");
    expect(await ensureFirstAdmin()).toBe("exists");
    expect(await db().reviewer.count()).toBe(1);
  });
});
