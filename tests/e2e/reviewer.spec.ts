import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { CATEGORIES, CATEGORY_LABELS, type Category } from "../../lib/dataset/categories";
import { generateDataset } from "../../lib/dataset/generate";

// The first admin comes from ADMIN_EMAIL / ADMIN_PASSWORD in playwright.config.ts's webServer env
// (created at start-up on the fresh database); the test reads the same values.
const ADMIN = {
  email: process.env.E2E_ADMIN_EMAIL ?? "admin@e2e.test",
  password: process.env.E2E_ADMIN_PASSWORD ?? "e2e-admin-password",
};

interface Photo {
  name: string;
  mimeType: string;
  buffer: Buffer;
}
let photos: Photo[] = [];

test.beforeAll(async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "appraise-e2e-reviewer-"));
  const { items } = await generateDataset({ items: 4, seed: 11, out, size: "640x480", shuffleRate: 0 });
  const item = items.find((i) => i.photos.length >= 2) ?? items[0];
  photos = [...item.photos]
    .sort((a, b) => a.slot - b.slot)
    .slice(0, 3)
    .map((p, i) => ({
      name: `photo-${i}.jpg`,
      mimeType: "image/jpeg",
      buffer: fs.readFileSync(path.join(out, p.path)),
    }));
});

interface Quote {
  id: string;
  status: string;
  category: string;
}

/** Submits the photos as a seller; when the model is sure enough to auto-quote, submits again declaring another
 * category than the one it predicted, which always sends the item to review. */
async function submitNeedingReview(request: APIRequestContext, baseURL: string): Promise<Quote> {
  const post = async (declared?: string) => {
    const multipart: Record<string, string | Photo> = {};
    photos.forEach((p, slot) => {
      multipart[`photos[${slot}]`] = p;
    });
    if (declared) multipart.declaredCategory = declared;
    const res = await request.post("/api/appraisals", { multipart, headers: { Origin: baseURL } });
    expect(res.status(), await res.text()).toBe(201);
    return (await res.json()) as Quote;
  };
  const first = await post();
  if (first.status === "needs_review") return first;
  const other = CATEGORIES.find((c) => c !== first.category) as string;
  const second = await post(other);
  expect(second.status).toBe("needs_review");
  return second;
}

async function signIn(page: Page) {
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/login\?next=%2Fadmin/);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: /Review queue/ })).toBeVisible();
}

/** Opens the oldest item in the queue, overrides it with another category and a price; returns its id. */
async function overrideOldest(page: Page, price: string): Promise<string> {
  await page.goto("/admin");
  const oldest = page.getByTestId("queue-row").first();
  await expect(oldest).toBeVisible();
  await oldest.click();
  await expect(page).toHaveURL(/\/admin\/appraisals\/[A-Za-z0-9_-]+$/);
  const id = page.url().split("/").at(-1) as string;
  const title = (await page.getByRole("heading", { level: 1 }).textContent()) ?? "";
  const target = (CATEGORIES.find((c) => !title.startsWith(CATEGORY_LABELS[c as Category])) ?? "handbag") as Category;

  // Photos in slot order; "1" zooms the Front photo, "+" zooms in on the largest copy, Esc closes.
  await expect(page.getByRole("list", { name: "Photos in slot order" }).getByRole("listitem").first()).toContainText(
    "1 · Front",
  );
  await page.keyboard.press("1");
  const dialog = page.getByRole("dialog");
  await expect(dialog).toHaveAccessibleName(/Front photo, zoom 100%/);
  await page.keyboard.press("+");
  await expect(dialog).toHaveAccessibleName(/zoom 150%/);
  await expect(dialog.getByRole("img")).toHaveAttribute("src", /\/display$/);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  await page.keyboard.press("o");
  const form = page.getByRole("form", { name: "override form" });
  await form.getByLabel("Category").selectOption(target);
  await form.getByLabel("Price").fill(price);
  await form.getByLabel(/^Note/).fill("Reviewer e2e: the photos show a different item");
  await page.keyboard.press("Control+Enter");
  await expect(page.getByTestId("status")).toHaveText("Reviewed");
  await expect(page.getByTestId("decision-banner")).toContainText(`Overridden: ${CATEGORY_LABELS[target]}`);
  // The audit trail on the item shows who did it, before → after.
  await expect(page.getByTestId("audit-trail")).toContainText("review.override");
  return id;
}

test("a reviewer signs in, overrides the oldest item, and the seller's page shows the reviewed quote", async ({
  browser,
  baseURL,
}) => {
  const sellerContext = await browser.newContext();
  const seller = await sellerContext.newPage();
  const quote = await submitNeedingReview(sellerContext.request, baseURL as string);
  await seller.goto(`/appraisals/${quote.id}`);
  await expect(seller.getByTestId("status")).toContainText("A specialist is reviewing your item");

  const reviewerContext = await browser.newContext();
  const reviewer = await reviewerContext.newPage();
  await signIn(reviewer);
  // Earlier tests may have left older items waiting; the reviewer works through the queue oldest first.
  let overridden = "";
  for (let i = 0; i < 10 && overridden !== quote.id; i++) overridden = await overrideOldest(reviewer, "140");
  expect(overridden).toBe(quote.id);

  // The seller's open page picks up the decision by itself.
  await expect(seller.getByTestId("status")).toContainText("Checked by a specialist", { timeout: 30_000 });
  await expect(seller.getByTestId("price")).toHaveText(/^€\s?140(\.00)?$/);

  // The seller cannot reach the reviewer workspace.
  const res = await sellerContext.request.get("/api/admin/queue");
  expect(res.status()).toBe(401);
  await sellerContext.close();
  await reviewerContext.close();
});

test("wrong passwords are rate limited with a clear message", async ({ page }) => {
  await page.goto("/login");
  for (let i = 0; i < 5; i++) {
    await page.getByLabel("Email").fill("nobody@e2e.test");
    await page.getByLabel("Password").fill(`wrong password ${i}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Email or password is incorrect.")).toBeVisible();
  }
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText(/Too many failed sign-in attempts/)).toBeVisible();
});

test("claims and conflicts: a second reviewer sees who holds the item; a decision that lost the race rolls back", async ({
  browser,
  baseURL,
}) => {
  const sellerContext = await browser.newContext();
  const quote = await submitNeedingReview(sellerContext.request, baseURL as string);

  // The admin opens the item: it is claimed.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin);
  await admin.goto(`/admin/appraisals/${quote.id}`);
  await expect(admin.getByRole("button", { name: /^Accept/ })).toBeEnabled();

  // In another tab (leaving the item would release the claim), the admin adds a second reviewer.
  const adminTab = await adminContext.newPage();
  await adminTab.goto("/admin/reviewers");
  await adminTab.getByLabel("Name").fill("Second Reviewer");
  const email = `second-${Date.now()}@e2e.test`;
  await adminTab.getByLabel("Email").fill(email);
  await adminTab.getByRole("button", { name: "Add reviewer" }).click();
  const password = (await adminTab.locator("code").textContent()) as string;
  expect(password.length).toBeGreaterThanOrEqual(12);

  const secondContext = await browser.newContext();
  const second = await secondContext.newPage();
  await second.goto(`/login?next=${encodeURIComponent(`/admin/appraisals/${quote.id}`)}`);
  await second.getByLabel("Email").fill(email);
  await second.getByLabel("Password").fill(password);
  await second.getByRole("button", { name: "Sign in" }).click();
  await expect(second).toHaveURL(new RegExp(`/admin/appraisals/${quote.id}$`));
  await expect(second.getByText(/Admin is working on this item until/)).toBeVisible();
  await expect(second.getByRole("button", { name: /^Accept/ })).toBeDisabled();

  // The admin's first tab chooses "accept"; meanwhile the item is decided from elsewhere.
  await admin.bringToFront();
  await admin.keyboard.press("a");
  await expect(admin.getByRole("form", { name: "accept form" })).toBeVisible();
  const other = await adminContext.request.post(`/api/admin/appraisals/${quote.id}/decision`, {
    data: { action: "reject", reason: "not_buyable" },
    headers: { Origin: baseURL as string },
  });
  expect(other.status()).toBe(200);
  await admin.keyboard.press("Control+Enter");
  // Optimistic "Reviewed" is rolled back to the server's truth, with the reason.
  await expect(admin.getByRole("alert").filter({ hasText: "Already decided" })).toContainText(
    /Already decided by Admin \(reject\) at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\. Nothing was changed\./,
  );
  await expect(admin.getByTestId("status")).toHaveText("Rejected");

  await sellerContext.close();
  await adminContext.close();
  await secondContext.close();
});
