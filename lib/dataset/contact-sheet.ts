import path from "node:path";
import sharp, { type OverlayOptions } from "sharp";
import type { ManifestItem } from "./schemas";

/** A grid for eyeballing a dataset: one row per item, its photos in slot order with their true view. */

export interface ContactSheetOptions {
  /** Items (rows) to show, from the start of the manifest. */
  rows?: number;
  thumbWidth?: number;
  thumbHeight?: number;
  /** Photo columns; items with more photos are cut off. */
  columns?: number;
  /** Reduce to a 256-colour palette (smaller file for docs). */
  palette?: boolean;
}

const LABEL_WIDTH = 150;
const CAPTION = 16;
const GAP = 4;

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c] ?? c);
}

function conditionText(item: ManifestItem): string {
  const c = item.attributes?.condition;
  return c ? `damage F${c.front ?? "?"} B${c.back ?? "?"} S${c.sides ?? "?"}` : "";
}

/** Renders a contact sheet of `items` (photos read from `dir`) and writes it as PNG to `file`. */
export async function writeContactSheet(
  dir: string,
  items: readonly ManifestItem[],
  file: string,
  options: ContactSheetOptions = {},
): Promise<void> {
  const rows = items.slice(0, options.rows ?? 12);
  const tw = options.thumbWidth ?? 160;
  const th = options.thumbHeight ?? 120;
  const columns = options.columns ?? 6;
  const rowHeight = th + CAPTION + GAP;
  const width = LABEL_WIDTH + columns * (tw + GAP);
  const height = rows.length * rowHeight + GAP;
  const composites: OverlayOptions[] = [];
  let text = "";
  for (const [r, item] of rows.entries()) {
    const y = GAP + r * rowHeight;
    const lines = [
      item.itemId,
      item.category,
      `${item.price.toFixed(2)} ${item.currency}`,
      [item.attributes?.brandTier, item.attributes?.variant].filter(Boolean).join(" · "),
      conditionText(item),
      item.split ?? "",
      item.attributes?.uploadOrder === "shuffled" ? "SHUFFLED upload" : "",
    ].filter(Boolean);
    lines.forEach((line, i) => {
      const weight = i === 1 ? ` font-weight="bold"` : "";
      text += `<text x="6" y="${y + 14 + i * 15}" font-size="12"${weight}>${escapeXml(line)}</text>`;
    });
    const photos = [...item.photos].sort((a, b) => a.slot - b.slot).slice(0, columns);
    for (const [c, photo] of photos.entries()) {
      const x = LABEL_WIDTH + c * (tw + GAP);
      const thumb = await sharp(path.join(dir, photo.path))
        .resize(tw, th, { fit: "contain", background: "#ffffff" })
        .toBuffer();
      composites.push({ input: thumb, left: x, top: y });
      text += `<text x="${x + 2}" y="${y + th + 12}" font-size="11">slot ${photo.slot}${photo.view ? ` · ${escapeXml(photo.view)}` : ""}</text>`;
    }
  }
  const overlay = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><g font-family="DejaVu Sans, sans-serif" fill="#222">${text}</g></svg>`;
  composites.push({ input: Buffer.from(overlay), left: 0, top: 0 });
  await sharp({ create: { width, height, channels: 3, background: "#f3f3f0" } })
    .composite(composites)
    .png({ compressionLevel: 9, palette: options.palette ?? false })
    .toFile(file);
}
