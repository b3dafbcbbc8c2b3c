// Pure slot logic for the upload form (no React), mirrored by the server's rules in lib/appraisals.

/** Upload positions as the server numbers them: 0 Front, 1 Back, 2.. Other 1.. */
export const FRONT = 0;
export const BACK = 1;

export const ACCEPTED_TYPES = {
  "image/jpeg": [".jpg", ".jpeg"],
  "image/png": [".png"],
  "image/webp": [".webp"],
} as const;

/** The slot's name as the seller reads it (same wording as lib/images slotName). */
export function slotLabel(slot: number): string {
  if (slot === FRONT) return "Front";
  if (slot === BACK) return "Back";
  return `Other ${slot - 1}`;
}

/** A photo the seller has picked, with a stable id for React keys and drag-and-drop. */
export interface PickedPhoto {
  id: string;
  file: File;
}

export type Slots = (PickedPhoto | null)[];

export function emptySlots(count: number): Slots {
  return Array.from({ length: count }, () => null);
}

/** Other photos are a list: filled ones move up so there is never a gap between them. */
export function compactOthers(slots: Slots): Slots {
  const others = slots.slice(2).filter((p): p is PickedPhoto => p !== null);
  return [...slots.slice(0, 2), ...others, ...emptySlots(Math.max(0, slots.length - 2 - others.length))];
}

/** Puts photos into empty slots in order Front → Back → Other; returns the new slots and what didn't fit. */
export function fillEmptySlots(slots: Slots, photos: PickedPhoto[]): { slots: Slots; overflow: PickedPhoto[] } {
  const next = [...slots];
  const queue = [...photos];
  for (let i = 0; i < next.length && queue.length > 0; i++) {
    if (next[i] === null) next[i] = queue.shift() ?? null;
  }
  return { slots: compactOthers(next), overflow: queue };
}

/** Puts one photo into one slot (replacing what was there). */
export function placeInSlot(slots: Slots, slot: number, photo: PickedPhoto): Slots {
  const next = [...slots];
  next[slot] = photo;
  return compactOthers(next);
}

export function removeFromSlot(slots: Slots, slot: number): Slots {
  const next = [...slots];
  next[slot] = null;
  return compactOthers(next);
}

/** Swaps two slots' contents (either may be empty); Other photos then close ranks. */
export function swapSlots(slots: Slots, a: number, b: number): Slots {
  const next = [...slots];
  [next[a], next[b]] = [next[b], next[a]];
  return compactOthers(next);
}

/** Where a photo ended up after a change, for screen-reader announcements. */
export function slotOf(slots: Slots, id: string): number {
  return slots.findIndex((p) => p?.id === id);
}

export const formatBytes = (bytes: number): string => {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
};

const TRY_AGAIN = "upload a JPEG, PNG or WebP photo instead.";

/** What's wrong with a file for this slot, in the server's words, or undefined when it may be uploaded. */
export function checkFile(file: File, slot: number | null, maxBytes: number): string | undefined {
  const who = slot === null ? `"${file.name}"` : `${slotLabel(slot)} photo "${file.name}"`;
  const problem = fileProblem(file, maxBytes);
  return problem ? `${who}: ${problem}` : undefined;
}

function fileProblem(file: File, maxBytes: number): string | undefined {
  const name = file.name.toLowerCase();
  const ext = name.includes(".") ? name.slice(name.lastIndexOf(".")) : "";
  const type = file.type.toLowerCase();
  const accepted = Object.entries(ACCEPTED_TYPES).some(
    ([mime, exts]) => type === mime || (!type && (exts as readonly string[]).includes(ext)),
  );
  if (!accepted) {
    if (type === "application/pdf" || ext === ".pdf") return `this is a PDF document, not a photo — ${TRY_AGAIN}`;
    if (type.includes("heic") || type.includes("heif") || ext === ".heic" || ext === ".heif")
      return "HEIC photos aren't supported yet — export as JPEG or PNG and try again.";
    if (type.startsWith("video/")) return `videos aren't supported — ${TRY_AGAIN}`;
    if (type === "image/gif") return `GIF images aren't supported — ${TRY_AGAIN}`;
    return `this file isn't a photo we can read — ${TRY_AGAIN}`;
  }
  if (file.size === 0) return "the file is empty — choose the photo again.";
  if (file.size > maxBytes) {
    return `the file is ${formatBytes(file.size)}; each photo can be at most ${formatBytes(maxBytes)}.`;
  }
  return undefined;
}

/** The multipart form the API expects: `photos[<slot>]` files plus the optional declared category. */
export function buildFormData(slots: Slots, declaredCategory: string, files?: Map<string, File>): FormData {
  const form = new FormData();
  compactOthers(slots).forEach((photo, slot) => {
    if (photo) form.append(`photos[${slot}]`, files?.get(photo.id) ?? photo.file, photo.file.name);
  });
  if (declaredCategory) form.append("declaredCategory", declaredCategory);
  return form;
}

/** `photos[3]` → 3; anything else → undefined. */
export function slotOfField(field: string | undefined): number | undefined {
  const m = field?.match(/^photos\[(\d+)\]$/);
  return m ? Number(m[1]) : undefined;
}

/** A random retry key; getRandomValues works on plain-http LAN addresses where randomUUID does not. */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return `appraisal-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}
