import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import sharp from "sharp";
import { generateDataset } from "../../lib/dataset/generate";

// Photos of one generated item (known category, canonical upload order) and a PDF, as a seller has them.
interface SellerFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

let itemPhotos: SellerFile[] = [];
let photoDir = "";
const pdf: SellerFile = {
  name: "receipt.pdf",
  mimeType: "application/pdf",
  buffer: Buffer.from("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"),
};

test.beforeAll(async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "appraise-e2e-photos-"));
  photoDir = out;
  const { items } = await generateDataset({ items: 6, seed: 7, out, size: "800x600", shuffleRate: 0 });
  const item = items.find((i) => i.photos.length >= 3) ?? items[0];
  itemPhotos = [...item.photos]
    .sort((a, b) => a.slot - b.slot)
    .slice(0, 3)
    .map((p, i) => ({
      name: `IMG_${2041 + i}.jpg`,
      mimeType: "image/jpeg",
      buffer: fs.readFileSync(path.join(out, p.path)),
    }));
  expect(itemPhotos).toHaveLength(3);
});

test.afterAll(() => {
  if (photoDir) fs.rmSync(photoDir, { recursive: true, force: true });
});

/** A real drop event carrying several files, as when a seller drags them from their file manager. */
async function dropFiles(page: Page, testId: string, files: SellerFile[]) {
  const dataTransfer = await page.evaluateHandle(
    (list) => {
      const dt = new DataTransfer();
      for (const f of list) {
        const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], f.name, { type: f.type }));
      }
      return dt;
    },
    files.map((f) => ({ name: f.name, type: f.mimeType, b64: f.buffer.toString("base64") })),
  );
  const target = page.getByTestId(testId);
  await target.dispatchEvent("dragenter", { dataTransfer });
  await target.dispatchEvent("dragover", { dataTransfer });
  await target.dispatchEvent("drop", { dataTransfer });
}

const slot = (page: Page, n: number) => page.getByTestId(`slot-${n}`);

/** Opens the upload page and waits until React has hydrated the form (a slow CI machine can lag). */
async function openUploadPage(page: Page) {
  await page.goto("/");
  await expect(page.locator('form[data-ready="true"]')).toBeAttached();
}

async function expectQuote(page: Page, photos: number) {
  await expect(page).toHaveURL(/\/appraisals\/[A-Za-z0-9_-]{22}$/, { timeout: 30_000 });
  await expect(page.getByRole("heading", { level: 1, name: "Your quote" })).toBeVisible();
  await expect(page.getByTestId("status")).toContainText(/Instant quote|A specialist is reviewing your item/);
  await expect(page.getByTestId("price")).toHaveText(/€\s?\d/);
  await expect(page.getByRole("list", { name: "Most likely categories" }).getByRole("listitem")).toHaveCount(3);
  await expect(page.getByRole("img", { name: /^(Front|Back|Other \d) view$/ })).toHaveCount(photos);
}

test("a seller drops three photos, swaps Front and Back, and gets a quote", async ({ page }) => {
  await openUploadPage(page);
  const submit = page.getByRole("button", { name: "Get my quote" });
  await expect(submit).toBeDisabled();

  await dropFiles(page, "slot-0", itemPhotos);
  await expect(slot(page, 0)).toHaveAttribute("aria-label", `Front photo: ${itemPhotos[0].name}`);
  await expect(slot(page, 1)).toHaveAttribute("aria-label", `Back photo: ${itemPhotos[1].name}`);
  await expect(slot(page, 2)).toHaveAttribute("aria-label", `Other 1 photo: ${itemPhotos[2].name}`);
  await expect(page.getByTestId("announcer")).toHaveText("Added 3 photos: Front, Back, Other 1.");

  // Keyboard reorder: pick up the Front photo, move it onto Back, drop: the two swap.
  await page.getByRole("button", { name: "Move the Front photo", exact: true }).focus();
  const dndLive = page.locator('[id^="DndLiveRegion"]');
  await page.keyboard.press("Space");
  await expect(dndLive).toContainText("Front photo");
  // dnd-kit measures the slots just after the pick-up; an arrow pressed before that (within milliseconds, which
  // only a script does) leaves the photo over its own slot. Press again only then, so a slow announcement of a
  // press that did land is never followed by a second move.
  let presses = 0;
  await expect(async () => {
    const text = (await dndLive.textContent()) ?? "";
    if (presses === 0 || text.includes("over its own slot")) {
      await page.keyboard.press("ArrowRight");
      presses += 1;
    }
    await expect(dndLive).toContainText("The Front photo is over Back.", { timeout: 1_000 });
  }).toPass({ timeout: 10_000 });
  await page.keyboard.press("Space");
  await expect(slot(page, 0)).toHaveAttribute("aria-label", `Front photo: ${itemPhotos[1].name}`);
  await expect(slot(page, 1)).toHaveAttribute("aria-label", `Back photo: ${itemPhotos[0].name}`);
  await expect(page.getByTestId("announcer")).toContainText("Swapped");

  // And back again by mouse drag on the handle. On a loaded machine the swap animation may still be
  // running when we measure, so a gesture that misses is cancelled (Escape) and tried again.
  const handle = page.getByRole("button", { name: "Move the Front photo", exact: true });
  const live = page.locator('[id^="DndLiveRegion"]');
  await expect(async () => {
    // Mouse coordinates are the viewport's: the handle must be on screen.
    await handle.scrollIntoViewIfNeeded();
    const grip = await handle.boundingBox();
    const front = await slot(page, 0).boundingBox();
    const back = await slot(page, 1).boundingBox();
    if (!grip || !front || !back) throw new Error("slots are not laid out");
    // Move the pointer by exactly the distance between the two slots, so the lifted photo sits on Back.
    const start = { x: grip.x + grip.width / 2, y: grip.y + grip.height / 2 };
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    await page.mouse.move(start.x + 20, start.y, { steps: 4 });
    await page.mouse.move(start.x + back.x - front.x, start.y + back.y - front.y, { steps: 15 });
    try {
      await expect(live).toContainText("The Front photo is over Back.", { timeout: 3000 });
    } catch (err) {
      await page.keyboard.press("Escape");
      await page.mouse.up();
      throw err;
    }
    await page.mouse.up();
  }).toPass({ timeout: 30_000 });
  await expect(slot(page, 0)).toHaveAttribute("aria-label", `Front photo: ${itemPhotos[0].name}`);

  await expect(submit).toBeEnabled();
  await submit.click();
  await expectQuote(page, 3);

  // Back on the home page the quote is listed, so the seller can find it again.
  const quoteUrl = page.url();
  await page.getByRole("link", { name: "Appraise another item" }).click();
  const recent = page.getByRole("region", { name: "Your recent quotes" }).getByRole("link");
  await expect(recent).toHaveCount(1);
  await recent.click();
  await expect(page).toHaveURL(quoteUrl);
});

test("a PDF dropped in Front gets a clear message, and a fake photo's server error lands on its slot", async ({
  page,
}) => {
  await openUploadPage(page);
  await dropFiles(page, "slot-0", [pdf]);
  await expect(page.locator("#slot-0-error")).toHaveText(
    'Front photo "receipt.pdf": this is a PDF document, not a photo — upload a JPEG, PNG or WebP photo instead.',
  );
  await expect(slot(page, 0)).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("button", { name: "Get my quote" })).toBeDisabled();

  // Named like a photo, so only the server can tell: its refusal is shown on the Front slot.
  await page
    .getByTestId("slot-0-input")
    .setInputFiles({ name: "holiday.jpg", mimeType: "image/jpeg", buffer: pdf.buffer });
  await page.getByRole("button", { name: "Get my quote" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "couldn't appraise" })).toContainText(
    "this is a PDF document",
  );
  await expect(slot(page, 0)).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#slot-0-error")).toContainText('Front photo "holiday.jpg"');
});

test("the whole flow works on a phone @phone", async ({ page }) => {
  // A phone camera's 12-MP Front photo: the browser shrinks it to 800 px before uploading.
  const big = await sharp(itemPhotos[0].buffer).resize(4000, 3000).jpeg({ quality: 92 }).toBuffer();
  const files = [{ ...itemPhotos[0], buffer: big }, ...itemPhotos.slice(1)];
  await openUploadPage(page);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  // Tap Front and pick three photos from the gallery at once.
  await page.getByTestId("slot-0-input").setInputFiles(files);
  await expect(slot(page, 2)).toHaveAttribute("aria-label", `Other 1 photo: ${itemPhotos[2].name}`);
  await page.getByRole("button", { name: "Remove the Other 1 photo" }).click();
  await expect(slot(page, 2)).toHaveAttribute("aria-label", /Other 1 photo \(optional\): add a photo/);
  const submit = page.getByRole("button", { name: "Get my quote" });
  await submit.scrollIntoViewIfNeeded();
  await submit.click();
  await expectQuote(page, 2);
  // The API records each upload's own size: the Front photo arrived already shrunk.
  const quote = await (await page.request.get(`/api/appraisals/${page.url().split("/").at(-1)}`)).json();
  expect(quote.photos[0]).toMatchObject({ slotName: "Front", width: 800, height: 600 });
  expect(quote.photos[1]).toMatchObject({ slotName: "Back", width: 800, height: 600 });
});
