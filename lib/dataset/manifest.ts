import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { AppError } from "../errors";
import { type ManifestItem, manifestItemSchema } from "./schemas";

export { CATEGORIES } from "./categories";
export type { ManifestItem, ManifestPhoto } from "./schemas";

export const MANIFEST_FILE = "manifest.jsonl";

/** A manifest line that is not valid JSON or breaks the schema; names the 1-based line and the field. */
export class ManifestError extends AppError {
  readonly line: number;

  constructor(line: number, field: string | undefined, message: string) {
    super("invalid", `${MANIFEST_FILE} line ${line}${field ? `, field ${field}` : ""}: ${message}`, { field });
    this.name = "ManifestError";
    this.line = line;
  }
}

/** Formats a zod issue path as `photos[0].slot`. */
function formatField(issuePath: readonly PropertyKey[]): string {
  return issuePath.reduce<string>((acc, key) => {
    if (typeof key === "number") return `${acc}[${key}]`;
    return acc ? `${acc}.${String(key)}` : String(key);
  }, "");
}

/** Parses manifest.jsonl text (blank lines allowed); throws ManifestError at the first bad line. */
export function parseManifest(text: string): ManifestItem[] {
  const items: ManifestItem[] = [];
  const seen = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i].trim();
    if (raw === "") continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      throw new ManifestError(lineNo, undefined, `not valid JSON (${(err as Error).message})`);
    }
    const result = manifestItemSchema.safeParse(json);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new ManifestError(lineNo, formatField(issue.path) || undefined, issue.message);
    }
    const first = seen.get(result.data.itemId);
    if (first !== undefined) {
      throw new ManifestError(lineNo, "itemId", `"${result.data.itemId}" already used on line ${first}`);
    }
    seen.set(result.data.itemId, lineNo);
    items.push(result.data);
  }
  return items;
}

export interface LoadManifestOptions {
  /** Also check that every photo file exists (one stat per photo). */
  checkFiles?: boolean;
}

/** Reads and validates `<dir>/manifest.jsonl`; photo paths stay relative to `dir`. */
export async function loadManifest(dir: string, options: LoadManifestOptions = {}): Promise<ManifestItem[]> {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      throw new AppError("not_found", `no ${MANIFEST_FILE} in ${dir}`, { cause: err });
    }
    throw err;
  }
  const items = parseManifest(text);
  if (options.checkFiles) await assertPhotosExist(dir, items);
  return items;
}

async function assertPhotosExist(dir: string, items: ManifestItem[]): Promise<void> {
  for (const [i, item] of items.entries()) {
    for (const [j, photo] of item.photos.entries()) {
      try {
        await fs.access(path.join(dir, photo.path));
      } catch {
        throw new ManifestError(i + 1, `photos[${j}].path`, `file not found: ${photo.path}`);
      }
    }
  }
}

/** Serializes items as JSON lines after validating each one (so a writer can never produce a manifest the loader rejects). */
export function serializeManifest(items: readonly ManifestItem[]): string {
  const seen = new Set<string>();
  return items
    .map((item, i) => {
      const result = manifestItemSchema.safeParse(item);
      if (!result.success) {
        const issue = result.error.issues[0];
        throw new ManifestError(i + 1, formatField(issue.path) || undefined, issue.message);
      }
      if (seen.has(item.itemId)) throw new ManifestError(i + 1, "itemId", `"${item.itemId}" used twice`);
      seen.add(item.itemId);
      return `${JSON.stringify(result.data)}\n`;
    })
    .join("");
}

/** Writes `<dir>/manifest.jsonl` atomically (temp file + rename), creating `dir` if needed. */
export async function writeManifest(dir: string, items: readonly ManifestItem[]): Promise<string> {
  const text = serializeManifest(items);
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, MANIFEST_FILE);
  const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  await fs.writeFile(tmp, text);
  await fs.rename(tmp, file);
  return file;
}
