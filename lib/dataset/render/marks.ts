import type { BrandTier, DamageLevel, Face } from "../price";
import { hashSeed, Rng } from "../random";
import { circle, ellipse, luminance, n, path, points, rect } from "./svg";

/**
 * Damage and brand marks. Their sizes are in item units (an item is ~200 units tall, which is
 * ~60–90 px once the model has resized a 640×480 photo to 96–128 px), so strokes are 3–6 units:
 * a crack or a logo stays 1–2 px wide at model resolution, light scratches are deliberately fainter.
 */

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** glass cracks; metal/plastic scratches and dents; leather/fabric scuffs and worn patches. */
export type DamageKind = "glass" | "metal" | "fabric";

/** Where the damage of one face is centred: the same point in every photo of that face (and the detail close-up). */
export function damageCenter(markSeed: number, face: Face, box: Box): [number, number] {
  const rng = new Rng(hashSeed(markSeed, face, "center"));
  return [box.x + box.w * rng.uniform(0.25, 0.75), box.y + box.h * rng.uniform(0.2, 0.8)];
}

function polyline(rng: Rng, x: number, y: number, angle: number, length: number, segments: number): string {
  const pts: Array<[number, number]> = [[x, y]];
  let a = angle;
  for (let i = 0; i < segments; i++) {
    a += rng.uniform(-0.45, 0.45);
    const step = length / segments;
    x += Math.cos(a) * step;
    y += Math.sin(a) * step;
    pts.push([x, y]);
  }
  return `M${points(pts).replace(/ /g, "L")}`;
}

function scratches(rng: Rng, box: Box, count: number, width: number, colour: string, opacity: number): string {
  let d = "";
  const s = Math.min(box.w, box.h);
  for (let i = 0; i < count; i++) {
    const x = box.x + box.w * rng.uniform(0.1, 0.9);
    const y = box.y + box.h * rng.uniform(0.1, 0.9);
    d += polyline(rng, x, y, rng.uniform(0, Math.PI * 2), s * rng.uniform(0.2, 0.45), 2);
  }
  return path(
    d,
    `fill="none" stroke="${colour}" stroke-width="${n(width)}" stroke-linecap="round" opacity="${opacity}"`,
  );
}

function crack(
  rng: Rng,
  cx: number,
  cy: number,
  reach: number,
  branches: number,
  width: number,
  colour: string,
): string {
  let d = "";
  const ends: Array<[number, number, number]> = [];
  for (let i = 0; i < branches; i++) {
    const a = (i / branches) * Math.PI * 2 + rng.uniform(-0.3, 0.3);
    const len = reach * rng.uniform(0.5, 1);
    d += polyline(rng, cx, cy, a, len, 4);
    ends.push([a, len * 0.45, 0]);
  }
  // The ring between branches is what makes a shattered screen read as a web, not as scratches.
  const ring = ends.map(([a, r]) => [cx + Math.cos(a) * r, cy + Math.sin(a) * r] as [number, number]);
  const web =
    branches >= 7
      ? path(
          `M${points(ring).replace(/ /g, "L")}Z`,
          `fill="none" stroke="${colour}" stroke-width="${n(width * 0.7)}" opacity=".8"`,
        )
      : "";
  return (
    path(d, `fill="none" stroke="${colour}" stroke-width="${n(width)}" stroke-linejoin="round" opacity=".9"`) +
    web +
    circle(cx, cy, width * 1.6, `fill="${colour}" opacity=".85"`)
  );
}

function scuffs(rng: Rng, box: Box, count: number, size: number, colour: string, opacity: number): string {
  let out = "";
  for (let i = 0; i < count; i++) {
    const x = box.x + box.w * rng.uniform(0.05, 0.95);
    const y = box.y + box.h * rng.uniform(0.05, 0.95);
    out += ellipse(
      x,
      y,
      size * rng.uniform(0.6, 1.2),
      size * rng.uniform(0.4, 0.9),
      `fill="${colour}" opacity="${opacity}"`,
    );
  }
  return out;
}

/** The damage marks of one face at `level`, drawn inside `box`, contrasting with `surface`. */
export function damageMarks(
  markSeed: number,
  face: Face,
  level: DamageLevel,
  kind: DamageKind,
  box: Box,
  surface: string,
): string {
  if (level === 0) return "";
  // Clipped to the face, so wear on a thin edge does not spill onto the table.
  const id = `dm-${face}`;
  return (
    `<clipPath id="${id}">${rect(box.x, box.y, box.w, box.h, Math.min(box.w, box.h) / 4, "")}</clipPath>` +
    `<g clip-path="url(#${id})">${drawDamage(markSeed, face, level, kind, box, surface)}</g>`
  );
}

function drawDamage(
  markSeed: number,
  face: Face,
  level: Exclude<DamageLevel, 0>,
  kind: DamageKind,
  box: Box,
  surface: string,
): string {
  const rng = new Rng(hashSeed(markSeed, face, "marks"));
  const [cx, cy] = damageCenter(markSeed, face, box);
  const s = Math.min(box.w, box.h);
  const darkSurface = luminance(surface) < 0.55;
  const mark = darkSurface ? "#e6e2da" : "#4a3e33";
  if (kind === "glass") {
    // Cracks catch the light on dark glass and cast grey lines over a light dial.
    const glint = darkSurface ? "#eef3f7" : "#4d545c";
    const light1 = scratches(rng, box, 3, 2.5, glint, 0.7);
    if (level === 1) return light1;
    if (level === 2) return light1 + crack(rng, cx, cy, s * 0.45, 5, 3.5, glint);
    return light1 + crack(rng, cx, cy, s * 0.95, 9, 4.5, glint);
  }
  if (kind === "metal") {
    const light1 = scratches(rng, box, level === 1 ? 3 : 7, level === 1 ? 2.5 : 3.5, mark, 0.75);
    if (level === 1) return light1;
    const dents = scuffs(
      rng,
      { x: cx - s * 0.2, y: cy - s * 0.2, w: s * 0.4, h: s * 0.4 },
      level === 2 ? 2 : 5,
      s * 0.07,
      darkSurface ? "#000000" : "#3a3a3a",
      0.35,
    );
    return light1 + dents + (level === 3 ? scratches(rng, box, 6, 4.5, mark, 0.85) : "");
  }
  // Scuffs on leather and fabric need to be larger than glass cracks to read at the same resolution.
  const small = scuffs(rng, box, level === 1 ? 4 : level === 2 ? 7 : 10, s * 0.08, mark, 0.6);
  if (level === 1) return small;
  const patchBox = { x: cx - s * 0.2, y: cy - s * 0.2, w: s * 0.4, h: s * 0.4 };
  const patch = scuffs(rng, patchBox, level === 2 ? 3 : 5, s * (level === 2 ? 0.14 : 0.2), mark, 0.75);
  const tear =
    level === 3
      ? path(
          polyline(rng, cx, cy, rng.uniform(0, 6.28), s * 0.5, 3),
          `fill="none" stroke="${darkSurface ? "#f2eee6" : "#201a14"}" stroke-width="6" opacity=".9"`,
        )
      : "";
  return small + patch + tear;
}

/** The brand mark: none-like grey tab for budget, a ring for mid, a gold star for premium. */
export function logo(tier: BrandTier, cx: number, cy: number, size: number, surface: string): string {
  const contrast = luminance(surface) < 0.5 ? "#e9e9e9" : "#2a2a2a";
  if (tier === "budget")
    return rect(cx - size * 0.45, cy - size * 0.22, size * 0.9, size * 0.44, size * 0.1, `fill="#8a8d92" opacity=".8"`);
  if (tier === "mid")
    return circle(cx, cy, size * 0.42, `fill="none" stroke="${contrast}" stroke-width="${n(size * 0.18)}"`);
  const r = size * 0.6;
  const star: Array<[number, number]> = [];
  for (let i = 0; i < 8; i++) {
    const a = (i / 8) * Math.PI * 2 - Math.PI / 2;
    const rr = i % 2 === 0 ? r : r * 0.38;
    star.push([cx + Math.cos(a) * rr, cy + Math.sin(a) * rr]);
  }
  return `<polygon points="${points(star)}" fill="#d9b44a" stroke="#8a6a1c" stroke-width="${n(size * 0.05)}"/>`;
}
