import { expect, test } from "@playwright/test";

test("home page shows the product and the server is healthy @phone", async ({ page, request }) => {
  await page.goto("/");
  await expect(page).toHaveTitle(/Appraise/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ status: "ok", db: "ok" });
});
