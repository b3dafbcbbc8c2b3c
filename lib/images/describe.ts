import { AppError, type ErrorCode } from "../errors";

/** Which photo a message is about: its slot in the appraisal and the name the seller gave the file. */
export interface PhotoContext {
  slot: number;
  fileName: string;
}

/** The slot's name as the upload page shows it: Front, Back, Other 1…Other N. */
export function slotName(slot: number): string {
  if (slot === 0) return "Front";
  if (slot === 1) return "Back";
  return `Other ${slot - 1}`;
}

// File names come from the client: drop control and bidi-override characters so a name can't
// forge text in a message, and cap the length so one can't flood the page.
function cleanFileName(fileName: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const cleaned = fileName.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069"]/g, "").trim();
  if (cleaned.length === 0) return "unnamed file";
  return cleaned.length > 80 ? `${cleaned.slice(0, 77)}…` : cleaned;
}

/** `Front photo "IMG_1234.HEIC"` — how every message names a photo. */
export function describePhoto(ctx: PhotoContext): string {
  return `${slotName(ctx.slot)} photo "${cleanFileName(ctx.fileName)}"`;
}

/** The AppError for a rejected photo: the message names slot and file, `field` is `photos[<slot>]`. */
export function photoError(code: ErrorCode, ctx: PhotoContext, problem: string, cause?: unknown): AppError {
  return new AppError(code, `${describePhoto(ctx)}: ${problem}`, { field: `photos[${ctx.slot}]`, cause });
}

/** Bytes in the unit a seller reads: "24.1 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
