import { createHash } from "node:crypto";
import { PHOTO_EXTS, type PhotoExt } from "./types";

// The whole grammar of a key: 64 lowercase hex digits, a dot, one of three extensions. Nothing
// else (no slash, dot-dot, NUL, uppercase, Unicode) can ever reach a path or an object name.
const KEY_PATTERN = /^[0-9a-f]{64}\.(?:jpg|png|webp)$/;

export function isPhotoKey(key: unknown): key is string {
  return typeof key === "string" && KEY_PATTERN.test(key);
}

/** Throws unless `key` is a well-formed content address; call before any filesystem or network use. */
export function assertPhotoKey(key: unknown): asserts key is string {
  if (!isPhotoKey(key)) throw new Error(`invalid photo key: ${JSON.stringify(String(key).slice(0, 100))}`);
}

/** The content address of bytes stored with this extension. */
export function photoKeyFor(bytes: Buffer, ext: PhotoExt): string {
  if (!PHOTO_EXTS.includes(ext)) throw new Error(`invalid photo extension: ${JSON.stringify(String(ext))}`);
  return `${createHash("sha256").update(bytes).digest("hex")}.${ext}`;
}

export function contentTypeFor(key: string): string {
  if (key.endsWith(".jpg")) return "image/jpeg";
  if (key.endsWith(".png")) return "image/png";
  return "image/webp";
}
