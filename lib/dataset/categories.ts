/**
 * The item categories, shared by the generator, the manifest schema, the model's category head
 * and the app's declared-category select, so all of them use the same names in the same order.
 * Append new categories at the end: a trained model's class indices follow this order.
 */
export const CATEGORIES = [
  "smartphone",
  "tablet",
  "laptop",
  "wristwatch",
  "sneaker",
  "handbag",
  "camera",
  "headphones",
] as const;

export type Category = (typeof CATEGORIES)[number];

/** Human-readable names for selects and reports. */
export const CATEGORY_LABELS: Record<Category, string> = {
  smartphone: "Smartphone",
  tablet: "Tablet",
  laptop: "Laptop",
  wristwatch: "Wristwatch",
  sneaker: "Sneaker",
  handbag: "Handbag",
  camera: "Camera",
  headphones: "Headphones",
};

/** What a photo truly shows; the first six are views of the item itself, the rest are what sellers add in "other" slots. */
export const VIEWS = ["front", "back", "left", "right", "top", "detail", "packaging", "accessory", "label"] as const;

export type View = (typeof VIEWS)[number];

/** Upload positions as the seller's browser sends them: 0 front, 1 back, 2..7 other. */
export const MAX_SLOTS = 8;

export const SPLITS = ["train", "validation", "test"] as const;

export type Split = (typeof SPLITS)[number];

export const DEFAULT_CURRENCY = "EUR";

/** True when `value` is one of CATEGORIES (narrows the type). */
export function isCategory(value: unknown): value is Category {
  return typeof value === "string" && (CATEGORIES as readonly string[]).includes(value);
}
