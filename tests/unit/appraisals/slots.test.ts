import { describe, expect, it } from "vitest";
import {
  buildFormData,
  checkFile,
  compactOthers,
  emptySlots,
  fillEmptySlots,
  type PickedPhoto,
  placeInSlot,
  removeFromSlot,
  type Slots,
  slotOfField,
  swapSlots,
} from "@/components/seller/slots";
import { normalizeSlots } from "@/lib/appraisals/read-upload";
import { appraisalFieldsSchema, idempotencyKeySchema, photoFieldSchema } from "@/lib/appraisals/schemas";
import { hashSellerToken, readSellerToken, SELLER_COOKIE } from "@/lib/appraisals/seller-token";

const photo = (name: string, type = "image/jpeg", size = 1000): PickedPhoto => ({
  id: name,
  file: new File([new Uint8Array(size)], name, { type }),
});
const names = (slots: Slots) => slots.map((p) => p?.id ?? null);

describe("server slot rules", () => {
  it.each([
    ["photos[0]", 0],
    ["photos[7]", 7],
  ])("reads the slot from %s", (name, slot) => {
    expect(photoFieldSchema.parse(name)).toBe(slot);
  });

  it.each(["photos[8]", "photos[-1]", "photos[01]", "photos[1.0]", "photos[]", "photo[1]", "photos[0]x", " photos[0]"])(
    "refuses the field name %j",
    (name) => {
      expect(photoFieldSchema.safeParse(name).success).toBe(false);
    },
  );

  it("requires Front, keeps an empty Back, and closes gaps between Others", () => {
    expect(normalizeSlots([{ slot: 6 }, { slot: 0 }, { slot: 3 }]).map((p) => p.slot)).toEqual([0, 2, 3]);
    expect(normalizeSlots([{ slot: 0 }, { slot: 1 }, { slot: 7 }]).map((p) => p.slot)).toEqual([0, 1, 2]);
    expect(() => normalizeSlots([{ slot: 1 }, { slot: 2 }])).toThrow(/Front photo/);
    expect(() => normalizeSlots([])).toThrow(/Front photo/);
  });

  it("accepts only known categories and no unknown fields", () => {
    expect(appraisalFieldsSchema.parse({ declaredCategory: "camera" })).toEqual({ declaredCategory: "camera" });
    expect(appraisalFieldsSchema.parse({ declaredCategory: "" })).toEqual({ declaredCategory: undefined });
    expect(appraisalFieldsSchema.safeParse({ declaredCategory: "Camera" }).success).toBe(false);
    expect(appraisalFieldsSchema.safeParse({ price: "1" }).success).toBe(false);
  });

  it("bounds idempotency keys", () => {
    expect(idempotencyKeySchema.safeParse("appraisal-0123456789abcdef").success).toBe(true);
    for (const bad of ["short", "has space in it", "x".repeat(129), "emoji🙂🙂🙂🙂"]) {
      expect(idempotencyKeySchema.safeParse(bad).success).toBe(false);
    }
  });
});

describe("seller token", () => {
  const token = "A".repeat(43);
  it("reads only a well-formed token from the Cookie header", () => {
    expect(readSellerToken(`other=1; ${SELLER_COOKIE}=${token}`)).toBe(token);
    expect(readSellerToken(`${SELLER_COOKIE}=short`)).toBeUndefined();
    expect(readSellerToken(`x${SELLER_COOKIE}=${token}`)).toBeUndefined();
    expect(readSellerToken(null)).toBeUndefined();
  });
  it("stores a hash, not the token", () => {
    expect(hashSellerToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSellerToken(token)).not.toContain(token);
  });
});

describe("upload form slots", () => {
  it("fills empty slots in order Front → Back → Other and reports what did not fit", () => {
    const start = placeInSlot(emptySlots(8), 1, photo("back"));
    const { slots, overflow } = fillEmptySlots(
      start,
      ["a", "b", "c"].map((n) => photo(`${n}.jpg`)),
    );
    expect(names(slots).slice(0, 4)).toEqual(["a.jpg", "back", "b.jpg", "c.jpg"]);
    expect(overflow).toEqual([]);
    const full = fillEmptySlots(
      emptySlots(3),
      ["1", "2", "3", "4", "5"].map((n) => photo(n)),
    );
    expect(names(full.slots)).toEqual(["1", "2", "3"]);
    expect(full.overflow.map((p) => p.id)).toEqual(["4", "5"]);
  });

  it("keeps Other photos contiguous after remove, swap and place", () => {
    const slots = fillEmptySlots(
      emptySlots(6),
      ["f", "b", "o1", "o2", "o3"].map((n) => photo(n)),
    ).slots;
    expect(names(removeFromSlot(slots, 2))).toEqual(["f", "b", "o2", "o3", null, null]);
    expect(names(swapSlots(slots, 0, 1))).toEqual(["b", "f", "o1", "o2", "o3", null]);
    expect(names(swapSlots(slots, 2, 5))).toEqual(["f", "b", "o2", "o3", "o1", null]);
    expect(names(placeInSlot(emptySlots(6), 5, photo("late")))).toEqual([null, null, "late", null, null, null]);
    expect(names(compactOthers([photo("f"), null, null, photo("x")]))).toEqual(["f", null, "x", null]);
  });

  it("checks type and size with the server's wording", () => {
    expect(checkFile(photo("a.pdf", "application/pdf").file, 0, 5000)).toBe(
      'Front photo "a.pdf": this is a PDF document, not a photo — upload a JPEG, PNG or WebP photo instead.',
    );
    expect(checkFile(photo("IMG.HEIC", "image/heic").file, 1, 5000)).toMatch(/^Back photo "IMG.HEIC": HEIC photos/);
    expect(checkFile(photo("big.jpg", "image/jpeg", 6000).file, 2, 5000)).toMatch(
      /^Other 1 photo "big.jpg": the file is 6 KB; each photo can be at most 5 KB\.$/,
    );
    expect(checkFile(photo("empty.png", "image/png", 0).file, 0, 5000)).toMatch(/empty/);
    expect(checkFile(photo("ok.webp", "image/webp").file, 0, 5000)).toBeUndefined();
    expect(checkFile(photo("untyped.jpeg", "").file, null, 5000)).toBeUndefined();
  });

  it("sends photos as photos[<slot>] with Others renumbered, plus the category", () => {
    const slots: Slots = [photo("f"), null, null, photo("o2"), null];
    const form = buildFormData(slots, "camera");
    expect([...form.keys()]).toEqual(["photos[0]", "photos[2]", "declaredCategory"]);
    expect([...buildFormData(slots, "").keys()]).toEqual(["photos[0]", "photos[2]"]);
  });

  it("maps an error field back to its slot", () => {
    expect(slotOfField("photos[3]")).toBe(3);
    expect(slotOfField("photos")).toBeUndefined();
    expect(slotOfField(undefined)).toBeUndefined();
  });
});
