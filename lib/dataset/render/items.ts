import type { Category } from "../categories";
import type { BrandTier, ConditionLevels } from "../price";
import type { Rng } from "../random";
import { type Box, type DamageKind, damageMarks, logo } from "./marks";
import { circle, ellipse, mix, n, n2, path, points, rect, shade } from "./svg";

/**
 * Procedural item models. Each category draws five views of one item in item units, centred on
 * the origin; the scene scales, poses and lights the drawing. Attributes appear only where they
 * would on the real thing (see README.md, "Synthetic dataset" for the table of what each view shows).
 */

export type ItemView = "front" | "back" | "left" | "right" | "top";

/** What the renderer needs to know about an item (a subset of ItemPlan, so packaging can fake one). */
export interface ItemLook {
  category: Category;
  brandTier: BrandTier;
  variant: string;
  colourHex: string;
  condition: ConditionLevels;
  markSeed: number;
}

export interface Pose {
  /** −1..1: which way the item's thickness shows. */
  yaw: number;
  pitch: number;
}

export interface Drawing {
  svg: string;
  /** Extent in item units, centred on the origin. */
  w: number;
  h: number;
}

export interface ItemModel {
  draw(view: ItemView, look: ItemLook, pose: Pose, rng: Rng): Drawing;
  /** The region of the front and back faces where damage sits (also where a detail close-up looks). */
  faceBox(look: ItemLook): { front: Box; back: Box };
}

const GLASS = "#0d0f13";

/** A rounded slab: its side (offset by pose) then its face, which reads as a 3-D block. */
function slab(w: number, h: number, r: number, depth: number, pose: Pose, face: string, side: string, cy = 0): string {
  return (
    rect(-w / 2 + pose.yaw * depth, cy - h / 2 + pose.pitch * depth, w, h, r, `fill="${side}"`) +
    rect(-w / 2, cy - h / 2, w, h, r, `fill="${face}"`)
  );
}

function sideMarks(look: ItemLook, kind: DamageKind, box: Box, surface: string): string {
  return damageMarks(look.markSeed, "sides", look.condition.sides, kind, box, surface);
}

/** Glass reflection whose strength varies per photo, so a dark screen and a dark back overlap in tone. */
function reflection(w: number, h: number, rng: Rng): string {
  const x = rng.uniform(-w / 2, w / 4);
  const band = points([
    [x, -h / 2],
    [x + w * 0.35, -h / 2],
    [x + w * 0.05, h / 2],
    [x - w * 0.3, h / 2],
  ]);
  return `<polygon points="${band}" fill="#ffffff" opacity="${n2(rng.uniform(0.03, 0.12))}"/>`;
}

/**
 * Phones and tablets. Brand shows in the frame, which wraps around and is seen from both faces
 * (polished metal with a bright edge for premium, a wider matte plastic rim for budget); the logo on
 * the back is low-contrast, as on real phones, so it does not give the face away at 96 px.
 */
function slabPhone(look: ItemLook, w: number, h: number, r: number, isTablet: boolean): ItemModel {
  const rim = look.brandTier === "budget" ? 8 : 5;
  const screen = { x: -w / 2 + rim, y: -h / 2 + rim, w: w - 2 * rim, h: h - 2 * rim };
  const frameColour = (body: string) => (look.brandTier === "budget" ? mix(body, "#7d7d7d", 0.35) : body);
  const polish = (width: number, height: number, radius: number) =>
    look.brandTier === "premium"
      ? rect(
          -width / 2 + 1.5,
          -height / 2 + 1.5,
          width - 3,
          height - 3,
          radius,
          `fill="none" stroke="#f6f6f2" stroke-width="2.2" opacity=".75"`,
        )
      : "";
  return {
    faceBox: () => ({ front: screen, back: screen }),
    draw(view, l, pose, rng) {
      const body = l.colourHex;
      const side = shade(body, -0.35);
      if (view === "front" || view === "back") {
        const clip = `<clipPath id="s"><rect x="${n(screen.x)}" y="${n(screen.y)}" width="${n(screen.w)}" height="${n(screen.h)}" rx="${n(r - 4)}"/></clipPath>`;
        let svg = `<defs>${clip}</defs>${slab(w, h, r, 7, pose, frameColour(body), side)}${polish(w, h, r)}`;
        if (view === "front") {
          // Screen off: dark glass tinted by the room, not by the item's colour.
          const tint = mix(GLASS, rng.pick(["#3a4a5a", "#5a4a3a", "#404040"]), rng.uniform(0, 0.35));
          svg += rect(screen.x, screen.y, screen.w, screen.h, r - 4, `fill="${tint}"`);
          svg += circle(0, -h / 2 + 10, 2.6, `fill="#05070a"`);
        } else {
          // Back glass carries a little of the body colour: near the screen's tone for most colours.
          svg += rect(screen.x, screen.y, screen.w, screen.h, r - 4, `fill="${mix(body, GLASS, 0.72)}"`);
          const lenses = isTablet ? 1 : l.variant === "triple-camera" ? 3 : l.variant === "dual-camera" ? 2 : 1;
          const cx = -w / 2 + 15;
          const cy = -h / 2 + 15;
          for (let i = 0; i < lenses; i++) {
            svg += circle(
              cx + (i === 2 ? 10 : 0),
              cy + (i === 1 ? 10 : 0),
              4,
              `fill="#05070a" stroke="${shade(body, -0.2)}" stroke-width="1.6"`,
            );
          }
          if (isTablet && l.variant === "cellular")
            svg += rect(screen.x, screen.y, screen.w, 12, 3, `fill="${shade(body, -0.15)}" opacity=".8"`);
          svg += `<g opacity=".4">${logo(l.brandTier, 0, isTablet ? 0 : -h * 0.1, isTablet ? 22 : 16, mix(body, GLASS, 0.72))}</g>`;
        }
        svg += `<g clip-path="url(#s)">${reflection(w, h, rng)}${damageMarks(l.markSeed, view, l.condition[view], "glass", screen, GLASS)}</g>`;
        return { svg, w: w + 14, h: h + 14 };
      }
      const thick = isTablet ? 10 : 14;
      const long = view === "top" ? w : h;
      const box = { x: -thick / 2, y: -long / 2, w: thick, h: long };
      let svg = rect(
        box.x,
        box.y,
        box.w,
        box.h,
        thick / 2,
        `fill="${frameColour(body)}" stroke="${side}" stroke-width="2"`,
      );
      svg += polish(thick, long, thick / 2);
      if (view === "right") svg += rect(-2, -long * 0.25, 4, long * 0.12, 2, `fill="${side}"`);
      if (view === "left")
        svg +=
          rect(-2, -long * 0.3, 4, long * 0.08, 2, `fill="${side}"`) +
          rect(-2, -long * 0.18, 4, long * 0.08, 2, `fill="${side}"`);
      svg += sideMarks(l, "metal", box, body);
      return { svg, w: thick + 10, h: long + 10 };
    },
  };
}

function laptop(look: ItemLook): ItemModel {
  const big = look.variant === "15-inch";
  const w = big ? 220 : 190;
  const lid = { x: -w / 2 + 8, y: -110 + 8, w: w - 16, h: 100 };
  return {
    faceBox: () => ({ front: lid, back: { x: -w / 2 + 10, y: -70, w: w - 20, h: 140 } }),
    draw(view, l, pose, rng) {
      const body = l.colourHex;
      const side = shade(body, -0.3);
      if (view === "front") {
        let svg = rect(-w / 2, -110, w, 116, 8, `fill="${shade(body, -0.5)}"`);
        svg += rect(lid.x, lid.y, lid.w, lid.h, 3, `fill="${mix(GLASS, "#34465a", rng.uniform(0, 0.3))}"`);
        svg += `<g transform="translate(0 -52)">${reflection(lid.w, lid.h, rng)}</g>`;
        const deck = points([
          [-w / 2, 6],
          [w / 2, 6],
          [w / 2 + 18, 70],
          [-w / 2 - 18, 70],
        ]);
        svg += `<polygon points="${deck}" fill="${body}" stroke="${side}" stroke-width="2"/>`;
        const keysW = big ? w * 0.62 : w * 0.78;
        for (let row = 0; row < 4; row++) {
          const y = 16 + row * 9;
          svg += path(
            `M${n(-w / 2 + 10 - row * 2)} ${y}h${n(keysW + row * 4)}`,
            `stroke="${shade(body, -0.55)}" stroke-width="6" stroke-dasharray="8 2.5"`,
          );
          if (big)
            svg += path(
              `M${n(w / 2 - 50 + row)} ${y}h38`,
              `stroke="${shade(body, -0.55)}" stroke-width="6" stroke-dasharray="8 2.5"`,
            );
        }
        svg += rect(-28, 52, 56, 14, 2, `fill="${shade(body, -0.12)}"`);
        svg += damageMarks(l.markSeed, "front", l.condition.front, "glass", lid, GLASS);
        return { svg, w: w + 40, h: 190 };
      }
      if (view === "back") {
        let svg = slab(w, 150, 10, 6, pose, body, side);
        svg += logo(l.brandTier, 0, 0, 26, body);
        svg += damageMarks(
          l.markSeed,
          "back",
          l.condition.back,
          "metal",
          { x: -w / 2 + 10, y: -70, w: w - 20, h: 140 },
          body,
        );
        return { svg, w: w + 12, h: 162 };
      }
      if (view === "top") {
        let svg = slab(w, 150, 10, 5, pose, body, side);
        const cols = big ? 17 : 14;
        for (let row = 0; row < 5; row++) {
          svg += path(
            `M${n(-w / 2 + 14)} ${-58 + row * 13}h${n(cols * 11.3)}`,
            `stroke="${shade(body, -0.55)}" stroke-width="9" stroke-dasharray="9 2.3"`,
          );
        }
        svg += rect(-32, 18, 64, 46, 4, `fill="${shade(body, -0.1)}"`);
        svg += sideMarks(l, "metal", { x: -w / 2, y: -75, w, h: 150 }, body);
        return { svg, w: w + 10, h: 160 };
      }
      const box = { x: -w / 2, y: -9, w, h: 18 };
      let svg = rect(box.x, box.y, box.w, box.h, 6, `fill="${body}" stroke="${side}" stroke-width="2"`);
      const ports = view === "left" ? 3 : 2;
      for (let i = 0; i < ports; i++) svg += rect(-w / 2 + 20 + i * 18, -3, 11, 6, 1, `fill="#111"`);
      svg += sideMarks(l, "metal", box, body);
      return { svg, w: w + 10, h: 30 };
    },
  };
}

function wristwatch(): ItemModel {
  const dial = { x: -40, y: -40, w: 80, h: 80 };
  return {
    faceBox: () => ({ front: dial, back: dial }),
    draw(view, l, pose, rng) {
      const metal = l.colourHex;
      const strap = l.brandTier === "premium" ? shade(metal, -0.1) : "#3b2a1e";
      const dialColour = rng.chance(0.5) ? "#f1efe9" : "#1b1d24";
      if (view === "front" || view === "back") {
        // Sellers frame the watch head; the strap runs out of the picture.
        let svg = rect(-30, -105, 60, 210, 10, `fill="${strap}"`);
        svg += circle(pose.yaw * 4, pose.pitch * 4, 58, `fill="${shade(metal, -0.35)}"`);
        svg += circle(0, 0, 56, `fill="${metal}"`);
        if (view === "front") {
          svg += rect(54, -8, 12, 16, 3, `fill="${metal}"`);
          svg += circle(0, 0, 46, `fill="${dialColour}"`);
          const markerColour = l.brandTier === "premium" ? "#d9b44a" : dialColour === "#1b1d24" ? "#dddddd" : "#333333";
          let d = "";
          for (let i = 0; i < 12; i++) {
            const a = (i / 12) * Math.PI * 2;
            d += `M${n(Math.sin(a) * 36)} ${n(-Math.cos(a) * 36)}L${n(Math.sin(a) * 43)} ${n(-Math.cos(a) * 43)}`;
          }
          svg += path(d, `stroke="${markerColour}" stroke-width="${l.brandTier === "premium" ? 5 : 3}"`);
          if (l.variant === "chronograph") {
            for (const [x, y] of [
              [-18, 4],
              [18, 4],
              [0, 22],
            ])
              svg += circle(x, y, 9, `fill="none" stroke="${markerColour}" stroke-width="2.5"`);
          }
          svg += logo(l.brandTier, 0, -22, 14, dialColour);
          const h1 = rng.uniform(0, 6.28);
          const h2 = rng.uniform(0, 6.28);
          svg += path(
            `M0 0L${n(Math.sin(h1) * 24)} ${n(-Math.cos(h1) * 24)}M0 0L${n(Math.sin(h2) * 36)} ${n(-Math.cos(h2) * 36)}`,
            `stroke="${markerColour}" stroke-width="4" stroke-linecap="round"`,
          );
          svg += damageMarks(l.markSeed, "front", l.condition.front, "glass", dial, dialColour);
        } else {
          svg += circle(0, 0, 44, `fill="${shade(metal, -0.08)}" stroke="${shade(metal, -0.3)}" stroke-width="3"`);
          svg += circle(0, 0, 26, `fill="none" stroke="${shade(metal, -0.25)}" stroke-width="2"`);
          for (let i = 0; i < 4; i++) {
            const a = (i / 4) * Math.PI * 2 + 0.4;
            svg += rect(Math.cos(a) * 38 - 4, Math.sin(a) * 38 - 2, 8, 4, 1, `fill="${shade(metal, -0.4)}"`);
          }
          svg += damageMarks(l.markSeed, "back", l.condition.back, "metal", dial, metal);
        }
        return { svg, w: 140, h: 200 };
      }
      const box = { x: -60, y: -18, w: 120, h: 36 };
      let svg = rect(-130, -10, 260, 20, 8, `fill="${strap}"`);
      svg += rect(box.x, box.y, box.w, box.h, 12, `fill="${metal}" stroke="${shade(metal, -0.35)}" stroke-width="2"`);
      if (view === "right" || view === "top")
        svg += rect(58, -7, 12, 14, 3, `fill="${metal}" stroke="${shade(metal, -0.35)}" stroke-width="1.5"`);
      svg += sideMarks(l, "metal", box, metal);
      return { svg, w: 270, h: 60 };
    },
  };
}

function sneaker(look: ItemLook): ItemModel {
  const high = look.variant === "high-top";
  const upper = { x: -95, y: high ? -70 : -35, w: 190, h: high ? 100 : 65 };
  const frontBox = { x: -90, y: upper.y + 15, w: 185, h: 10 - upper.y };
  const heelBox = { x: -38, y: 0, w: 76, h: 40 };
  return {
    faceBox: () => ({ front: frontBox, back: heelBox }),
    draw(view, l, _pose, _rng) {
      const c = l.colourHex;
      const sole = l.condition.sides >= 2 ? "#d8cfa8" : "#f4f3ef";
      const line = shade(c, c === "#eceae4" ? -0.45 : -0.35);
      if (view === "front" || view === "left") {
        // front = lateral profile (how sellers shoot shoes), left = the medial side, mirrored.
        const flip = view === "left" ? ` transform="scale(-1 1)"` : "";
        const top = upper.y;
        const outline = `M-100 30 L-100 ${top + 20} Q-100 ${top} -80 ${top} L${high ? -20 : -10} ${top} Q10 ${top + 25} 40 ${high ? -10 : -5} L80 0 Q105 8 105 30 Z`;
        let svg = `<g${flip}>`;
        svg += rect(-105, 25, 215, 22, 10, `fill="${sole}" stroke="#9a968c" stroke-width="2"`);
        svg += path(outline, `fill="${c}" stroke="${line}" stroke-width="3"`);
        svg += path(`M-30 ${top + 12} L30 -2`, `stroke="${line}" stroke-width="6" stroke-dasharray="5 5"`);
        svg += logo(l.brandTier, -35, 5, view === "front" ? 34 : 20, c);
        svg += damageMarks(l.markSeed, "front", view === "front" ? l.condition.front : 0, "fabric", frontBox, c);
        svg += damageMarks(l.markSeed, "sides", l.condition.sides, "fabric", { x: -105, y: 25, w: 215, h: 22 }, sole);
        svg += "</g>";
        return { svg, w: 220, h: 130 + (high ? 40 : 0) };
      }
      if (view === "back" || view === "right") {
        // back = heel; right = toe-on.
        const h = upper.h + 40;
        let svg = rect(-42, 20, 84, 24, 10, `fill="${sole}" stroke="#9a968c" stroke-width="2"`);
        svg += path(
          `M-38 24 L-32 ${n(24 - h)} Q0 ${n(14 - h)} 32 ${n(24 - h)} L38 24 Z`,
          `fill="${c}" stroke="${line}" stroke-width="3"`,
        );
        if (view === "back") {
          svg += rect(-8, 24 - h - 4, 16, 26, 4, `fill="${shade(c, -0.2)}"`);
          svg += damageMarks(l.markSeed, "back", l.condition.back, "fabric", heelBox, c);
        } else {
          svg += path(
            `M-14 ${n(30 - h)} L14 ${n(44 - h)} M14 ${n(30 - h)} L-14 ${n(44 - h)}`,
            `stroke="${line}" stroke-width="4"`,
          );
        }
        return { svg, w: 100, h: h + 60 };
      }
      let svg = path(
        "M-100 0 Q-100 -38 -40 -40 L70 -30 Q108 -20 108 0 Q108 20 70 30 L-40 40 Q-100 38 -100 0 Z",
        `fill="${c}" stroke="${line}" stroke-width="3"`,
      );
      svg += path(
        "M-30 -12 L30 12 M-30 12 L30 -12 M-10 -14 L50 10 M-10 14 L50 -10",
        `stroke="${shade(c, -0.4)}" stroke-width="4"`,
      );
      svg += damageMarks(l.markSeed, "front", l.condition.front, "fabric", { x: 50, y: -30, w: 55, h: 60 }, c);
      return { svg, w: 220, h: 90 };
    },
  };
}

/** Premium bags carry an all-over monogram: dots from a dashed stroke, clipped to the body (cheaper than <pattern>). */
function monogram(clipShape: string, w: number, h: number): string {
  let d = "";
  for (let y = -h / 2 + 7; y < h / 2; y += 14) d += `M${n(-w / 2)} ${n(y)}H${n(w / 2)}`;
  return `<clipPath id="m">${clipShape}</clipPath><g clip-path="url(#m)">${path(d, `stroke="#d9b44a" stroke-width="5" stroke-linecap="round" stroke-dasharray="0 14" opacity=".75"`)}</g>`;
}

function handbag(look: ItemLook): ItemModel {
  const [w, h] = look.variant === "mini" ? [150, 95] : look.variant === "large" ? [190, 175] : [175, 130];
  const strapH = look.variant === "mini" ? 90 : look.variant === "large" ? 110 : 70;
  // The body sits below the origin so that body + strap are centred in the frame.
  const top = -(h + strapH) / 2 + strapH;
  const body = { x: -w / 2, y: top, w, h };
  return {
    faceBox: () => ({ front: body, back: body }),
    draw(view, l, pose, _rng) {
      const c = l.colourHex;
      const edge = shade(c, -0.35);
      const premium = l.brandTier === "premium";
      if (view === "front" || view === "back") {
        const strap =
          l.variant === "mini"
            ? path(
                `M${-w / 2 + 10} ${top}L0 ${top - strapH}L${w / 2 - 10} ${top}`,
                `fill="none" stroke="#c9a94f" stroke-width="4" stroke-dasharray="6 3"`,
              )
            : path(
                `M${-w / 4} ${top}Q0 ${top - strapH * 1.6} ${w / 4} ${top}`,
                `fill="none" stroke="${edge}" stroke-width="9"`,
              );
        const trap = points([
          [-w / 2 + 12, top],
          [w / 2 - 12, top],
          [w / 2, top + h],
          [-w / 2, top + h],
        ]);
        let svg = strap;
        svg += `<polygon points="${trap}" fill="${edge}" transform="translate(${n(pose.yaw * 6)} ${n(pose.pitch * 4)})"/>`;
        svg += `<polygon points="${trap}" fill="${c}" stroke="${edge}" stroke-width="3"/>`;
        if (premium) svg += monogram(`<polygon points="${trap}"/>`, w, (h + strapH) * 2);
        if (view === "front") {
          svg += path(
            `M${-w / 2 + 12} ${top}L${w / 2 - 12} ${top}L${w / 2 - 8} ${n(top + h * 0.45)}Q0 ${n(top + h * 0.62)} ${-w / 2 + 8} ${n(top + h * 0.45)}Z`,
            `fill="${shade(c, -0.12)}" stroke="${edge}" stroke-width="2.5"`,
          );
          svg += rect(-9, top + h * 0.52, 18, 14, 3, `fill="#c9a94f"`);
          if (!premium) svg += logo(l.brandTier, 0, top + h * 0.78, 24, c);
        } else {
          svg += path(`M${-w / 2 + 20} ${n(top + h * 0.35)}H${w / 2 - 20}`, `stroke="${edge}" stroke-width="3"`);
        }
        svg += damageMarks(l.markSeed, view, l.condition[view], "fabric", body, c);
        return { svg, w: w + 12, h: h + strapH + 12 };
      }
      const d = w * 0.3;
      if (view === "top") {
        const box = { x: -w / 2, y: -d / 2, w, h: d };
        let svg = ellipse(0, 0, w / 2, d / 2, `fill="${c}" stroke="${edge}" stroke-width="3"`);
        if (premium) svg += monogram(ellipse(0, 0, w / 2, d / 2, ""), w, d);
        svg += path(`M${-w / 2 + 14} 0H${w / 2 - 14}`, `stroke="#c9a94f" stroke-width="4" stroke-dasharray="3 2"`);
        return { svg: svg + sideMarks(l, "fabric", box, c), w: w + 10, h: d + 10 };
      }
      const box = { x: -d / 2, y: -h / 2, w: d, h };
      let svg = rect(box.x, box.y, box.w, box.h, 8, `fill="${c}" stroke="${edge}" stroke-width="3"`);
      if (premium) svg += monogram(rect(box.x, box.y, box.w, box.h, 8, ""), d, h);
      return { svg: svg + sideMarks(l, "fabric", box, c), w: d + 10, h: h + 10 };
    },
  };
}

function camera(look: ItemLook): ItemModel {
  const pro = look.variant === "pro-lens";
  const lensR = pro ? 46 : 34;
  const lensBox = { x: -lensR * 0.8, y: -lensR * 0.8 + 8, w: lensR * 1.6, h: lensR * 1.6 };
  const lcd = { x: -80, y: -30, w: 100, h: 68 };
  return {
    faceBox: () => ({ front: lensBox, back: lcd }),
    draw(view, l, pose, rng) {
      const c = l.colourHex;
      const dark = shade(c, -0.45);
      if (view === "front" || view === "back") {
        const sign = view === "front" ? 1 : -1;
        let svg = rect(-40, -72, 80, 30, 6, `fill="${c}" stroke="${dark}" stroke-width="2"`);
        svg += slab(180, 112, 14, 8, pose, c, dark, 8);
        svg += rect(sign * 60 - 22, -48, 44, 112, 14, `fill="${shade(c, -0.25)}"`);
        if (view === "front") {
          svg += circle(0, 8, lensR + 6, `fill="${dark}"`);
          svg += circle(
            0,
            8,
            lensR,
            `fill="${GLASS}" stroke="${pro ? "#b3262b" : "#6b6b6b"}" stroke-width="${pro ? 5 : 3}"`,
          );
          svg += circle(
            -lensR * 0.3,
            8 - lensR * 0.3,
            lensR * 0.25,
            `fill="#ffffff" opacity="${n2(rng.uniform(0.08, 0.25))}"`,
          );
          svg += logo(l.brandTier, -50, -34, 18, c);
          svg += damageMarks(l.markSeed, "front", l.condition.front, "glass", lensBox, GLASS);
        } else {
          svg += rect(lcd.x, lcd.y, lcd.w, lcd.h, 4, `fill="${mix(GLASS, "#2a3a4a", rng.uniform(0, 0.4))}"`);
          for (let i = 0; i < 4; i++) svg += circle(48, -24 + i * 20, 6, `fill="${dark}"`);
          svg += damageMarks(l.markSeed, "back", l.condition.back, "glass", lcd, GLASS);
        }
        return { svg, w: 200, h: 160 };
      }
      const depth = 60;
      if (view === "top") {
        let svg = rect(-90, -depth / 2, 180, depth, 10, `fill="${c}" stroke="${dark}" stroke-width="2"`);
        svg += rect(-lensR, depth / 2, lensR * 2, pro ? 90 : 45, 6, `fill="${dark}"`);
        svg += circle(-60, -4, 12, `fill="${dark}"`) + circle(55, -4, 9, `fill="${dark}"`);
        svg += logo(l.brandTier, 0, -14, 16, c);
        svg += sideMarks(l, "metal", { x: -90, y: -depth / 2, w: 180, h: depth }, c);
        return { svg, w: 190, h: depth + (pro ? 190 : 100) };
      }
      const flip = view === "left" ? "" : ` transform="scale(-1 1)"`;
      let svg = `<g${flip}>${rect(-depth / 2 - 20, -56, depth, 112, 10, `fill="${c}" stroke="${dark}" stroke-width="2"`)}`;
      svg += rect(depth / 2 - 20, 8 - lensR, pro ? 100 : 50, lensR * 2, 6, `fill="${dark}"`);
      if (pro) svg += rect(depth / 2 + 40, 8 - lensR, 6, lensR * 2, 1, `fill="#b3262b"`);
      svg += sideMarks(l, "metal", { x: -depth / 2 - 20, y: -56, w: depth, h: 112 }, c);
      return { svg: `${svg}</g>`, w: 2 * (pro ? 130 : 80), h: 130 };
    },
  };
}

function headphones(look: ItemLook): ItemModel {
  const over = look.variant === "over-ear";
  const cupR = over ? 38 : 28;
  const cups = { x: -95, y: 10, w: 190, h: cupR * 2 };
  return {
    faceBox: () => ({ front: cups, back: cups }),
    draw(view, l, _pose, _rng) {
      const c = l.colourHex;
      const dark = shade(c, -0.4);
      const cushion = shade(c, -0.55);
      if (view === "front" || view === "back") {
        // Symmetric by construction: front and back differ only by which way the headband leans.
        const lean = view === "front" ? -6 : 6;
        let svg = path(`M-70 40 C-75 -90 75 -90 70 40`, `fill="none" stroke="${dark}" stroke-width="14"`);
        svg += path(`M-70 40 C-75 ${-90 + lean} 75 ${-90 + lean} 70 40`, `fill="none" stroke="${c}" stroke-width="8"`);
        for (const x of [-72, 72]) {
          svg += ellipse(x, 10 + cupR, cupR * 0.55, cupR, `fill="${c}" stroke="${dark}" stroke-width="3"`);
          svg += ellipse(x - Math.sign(x) * -8, 10 + cupR, cupR * 0.3, cupR * 0.85, `fill="${cushion}"`);
        }
        svg += damageMarks(l.markSeed, view, l.condition[view], "fabric", cups, cushion);
        return { svg, w: 230, h: 180 + cupR };
      }
      let svg = path(
        `M-10 ${-cupR - 10} C-10 -120 10 -120 10 ${-cupR - 10}`,
        `fill="none" stroke="${dark}" stroke-width="14"`,
      );
      if (view === "top") {
        svg =
          path("M-80 10 Q0 -40 80 10", `fill="none" stroke="${c}" stroke-width="18"`) +
          ellipse(-80, 14, 14, cupR, `fill="${dark}"`) +
          ellipse(80, 14, 14, cupR, `fill="${dark}"`);
        return { svg: svg + sideMarks(l, "fabric", { x: -80, y: -20, w: 160, h: 40 }, c), w: 200, h: 2 * cupR + 40 };
      }
      svg += circle(0, 0, cupR + 8, `fill="${c}" stroke="${dark}" stroke-width="3"`);
      svg += logo(l.brandTier, 0, 0, cupR * 0.9, c);
      svg += sideMarks(l, "fabric", { x: -cupR, y: -cupR, w: cupR * 2, h: cupR * 2 }, c);
      return { svg, w: 2 * cupR + 30, h: 2 * cupR + 140 };
    },
  };
}

/** The model of one item. */
export function itemModel(look: ItemLook): ItemModel {
  switch (look.category) {
    case "smartphone":
      return slabPhone(look, 92, 190, 14, false);
    case "tablet":
      return slabPhone(look, 150, 205, 12, true);
    case "laptop":
      return laptop(look);
    case "wristwatch":
      return wristwatch();
    case "sneaker":
      return sneaker(look);
    case "handbag":
      return handbag(look);
    case "camera":
      return camera(look);
    case "headphones":
      return headphones(look);
  }
}
