import sharp from "sharp";
import type { ReliabilityBin } from "./calibration";

/** Evaluation plots as SVG rendered to PNG by sharp (no plotting dependency needed). */

const W = 420;
const H = 420;
const M = 50;

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function frame(title: string, xLabel: string, yLabel: string, body: string): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((t) => {
      const x = M + t * (W - 2 * M);
      const y = H - M - t * (H - 2 * M);
      return `<text x="${x}" y="${H - M + 16}" font-size="10" text-anchor="middle">${t}</text><text x="${M - 6}" y="${y + 3}" font-size="10" text-anchor="end">${t}</text>`;
    })
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="${W / 2}" y="22" font-size="14" text-anchor="middle">${esc(title)}</text>
<rect x="${M}" y="${M}" width="${W - 2 * M}" height="${H - 2 * M}" fill="none" stroke="#333"/>
${ticks}
<text x="${W / 2}" y="${H - 12}" font-size="11" text-anchor="middle">${esc(xLabel)}</text>
<text x="14" y="${H / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 14 ${H / 2})">${esc(yLabel)}</text>
${body}</svg>`;
}

const px = (t: number) => M + t * (W - 2 * M);
const py = (t: number) => H - M - t * (H - 2 * M);

/** Reliability diagram: accuracy per confidence bin, before and after temperature scaling. */
export function reliabilitySvg(
  before: ReliabilityBin[],
  after: ReliabilityBin[],
  eceBefore: number,
  eceAfter: number,
): string {
  const bars = (bins: ReliabilityBin[], color: string, offset: number) =>
    bins
      .filter((b) => b.count > 0)
      .map((b) => {
        const w = (px(b.upper) - px(b.lower)) / 2 - 1;
        const x = px(b.lower) + offset * (w + 1);
        return `<rect x="${x}" y="${py(b.accuracy)}" width="${w}" height="${py(0) - py(b.accuracy)}" fill="${color}" opacity="0.75"/>`;
      })
      .join("");
  const body = `<line x1="${px(0)}" y1="${py(0)}" x2="${px(1)}" y2="${py(1)}" stroke="#999" stroke-dasharray="4"/>
${bars(before, "#d62728", 0)}${bars(after, "#1f77b4", 1)}
<text x="${M + 8}" y="${M + 16}" font-size="11" fill="#d62728">before: ECE ${(eceBefore * 100).toFixed(2)}%</text>
<text x="${M + 8}" y="${M + 32}" font-size="11" fill="#1f77b4">after: ECE ${(eceAfter * 100).toFixed(2)}%</text>`;
  return frame("Reliability (top-1)", "confidence", "accuracy", body);
}

/** Auto-quote accuracy against coverage as the confidence threshold moves. */
export function coverageSvg(
  curves: { label: string; color: string; points: { coverage: number; accuracy: number }[] }[],
): string {
  const lo = 0.8;
  const yy = (a: number) => py(Math.max(0, (a - lo) / (1 - lo)));
  const body = curves
    .map((c, i) => {
      const d = c.points
        .map((p, k) => `${k ? "L" : "M"}${px(p.coverage).toFixed(1)},${yy(p.accuracy).toFixed(1)}`)
        .join("");
      return `<path d="${d}" fill="none" stroke="${c.color}" stroke-width="2"/><text x="${M + 8}" y="${H - M - 10 - 14 * i}" font-size="11" fill="${c.color}">${esc(c.label)}</text>`;
    })
    .join("");
  return frame("Auto-quote accuracy vs coverage", "coverage", `accuracy (${lo} to 1)`, body);
}

/** Confusion matrix heat map, rows = truth. */
export function confusionSvg(matrix: number[][], labels: string[]): string {
  const n = labels.length;
  const size = 560;
  const left = 110;
  const top = 40;
  const cell = (size - left - 20) / n;
  const cells = matrix
    .map((row, i) => {
      const total = row.reduce((a, b) => a + b, 0) || 1;
      return row
        .map((v, j) => {
          const share = v / total;
          const shade = Math.round(255 - 200 * share);
          return `<rect x="${left + j * cell}" y="${top + i * cell}" width="${cell}" height="${cell}" fill="rgb(${shade},${shade},255)" stroke="#fff"/><text x="${left + (j + 0.5) * cell}" y="${top + (i + 0.5) * cell + 4}" font-size="10" text-anchor="middle">${v}</text>`;
        })
        .join("");
    })
    .join("");
  const names = labels
    .map(
      (l, i) =>
        `<text x="${left - 4}" y="${top + (i + 0.5) * cell + 4}" font-size="10" text-anchor="end">${esc(l)}</text><text x="${left + (i + 0.5) * cell}" y="${top + n * cell + 14}" font-size="9" text-anchor="middle">${esc(l.slice(0, 7))}</text>`,
    )
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${top + n * cell + 40}" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/><text x="${size / 2}" y="24" font-size="14" text-anchor="middle">Confusion (rows: truth, columns: predicted)</text>${cells}${names}</svg>`;
}

/** Renders an SVG string to a PNG file. */
export async function writePng(svg: string, file: string): Promise<void> {
  await sharp(Buffer.from(svg)).png().toFile(file);
}
