import type { Category } from "../categories";
import { CATEGORY_SPECS, type Face } from "../price";
import { hashSeed, Rng } from "../random";
import type { ItemPlan, PhotoPlan } from "../sample";
import { type Drawing, type ItemLook, type ItemView, itemModel, type Pose } from "./items";
import { damageCenter, logo } from "./marks";
import { circle, ellipse, n, n2, path, rect, shade } from "./svg";

/**
 * One photo as an SVG scene: background, the item (or what the seller added) posed, scaled and
 * lit, plus the nuisance parameters the rasterizer applies afterwards (blur, sensor noise, JPEG).
 */

/** Applied per pixel after rasterizing (cheaper than a full-frame SVG gradient). */
export interface Light {
  /** Brightness gain change across the frame (±) along x and y. */
  dx: number;
  dy: number;
  tint: readonly [number, number, number];
  tintOpacity: number;
}

export interface PhotoScene {
  /** SVG content (no root element): the rasterizer chooses the render resolution. */
  body: string;
  /** Output size in pixels. */
  width: number;
  height: number;
  /** The SVG user space the body is drawn in. */
  viewWidth: number;
  viewHeight: number;
  light: Light;
  blurSigma: number;
  /** Standard deviation of the sensor noise in 8-bit levels. */
  noise: number;
  jpegQuality: number;
  /** Seeds the noise pattern. */
  noiseSeed: number;
}

/**
 * What each category's packaging looks like from above: another category's silhouette in box
 * colours (a phone box is a tablet-shaped slab, a laptop box has a carry handle like a bag, …).
 */
export const PACKAGING_LOOKALIKE: Record<Category, { category: Category; view: ItemView }> = {
  smartphone: { category: "tablet", view: "front" },
  tablet: { category: "laptop", view: "back" },
  laptop: { category: "handbag", view: "back" },
  wristwatch: { category: "camera", view: "back" },
  sneaker: { category: "laptop", view: "back" },
  handbag: { category: "tablet", view: "back" },
  camera: { category: "smartphone", view: "back" },
  headphones: { category: "handbag", view: "front" },
};

const REFERENCE_WIDTH = 640;

const BOX_COLOURS = ["#f2f1ed", "#1d1e22", "#b89468", "#e9e4da"];

function background(rng: Rng, width: number, height: number): string {
  const kind = rng.weightedIndex([0.4, 0.35, 0.25]);
  const base = rng.pick(["#e8e6e1", "#d9d4ca", "#f4f4f2", "#8d8a86", "#c3cbd3", "#6e5a48", "#2e3136", "#a7b59a"]);
  let svg = rect(0, 0, width, height, 0, `fill="${base}"`);
  if (kind === 1) {
    // Wood grain or fabric weave as one stroked path: librsvg renders <pattern> fills ~3× slower.
    const step = rng.int(8, 26);
    const line = shade(base, rng.uniform(-0.25, 0.2));
    const angle = rng.pick([0, 0, 30, 90]);
    const reach = Math.hypot(width, height);
    let d = "";
    for (let y = -reach / 2; y < reach / 2; y += step) d += `M${n(-reach / 2)} ${n(y)}H${n(reach / 2)}`;
    if (rng.chance(0.4))
      for (let x = -reach / 2; x < reach / 2; x += step) d += `M${n(x)} ${n(-reach / 2)}V${n(reach / 2)}`;
    svg += `<g transform="translate(${n(width / 2)} ${n(height / 2)}) rotate(${angle})">${path(d, `stroke="${line}" stroke-width="${n(step * rng.uniform(0.15, 0.45))}"`)}</g>`;
  } else if (kind === 2) {
    // Cluttered table: mugs, papers, pens, cables around and under the item.
    const count = rng.int(4, 9);
    for (let i = 0; i < count; i++) {
      const x = rng.uniform(0, width);
      const y = rng.uniform(0, height);
      const colour = rng.pick(["#f7f7f7", "#3b5b8c", "#b33a3a", "#d9b44a", "#222222", "#5c8a4d", "#8f8f8f"]);
      const shape = rng.int(0, 2);
      if (shape === 0)
        svg += rect(
          x,
          y,
          rng.uniform(40, 160),
          rng.uniform(30, 120),
          4,
          `fill="${colour}" transform="rotate(${n(rng.uniform(-40, 40))} ${n(x)} ${n(y)})"`,
        );
      else if (shape === 1)
        svg += circle(x, y, rng.uniform(15, 55), `fill="${colour}" stroke="${shade(colour, -0.3)}" stroke-width="4"`);
      else
        svg += path(
          `M${n(x)} ${n(y)}q${n(rng.uniform(-120, 120))} ${n(rng.uniform(-120, 120))} ${n(rng.uniform(-200, 200))} ${n(rng.uniform(-80, 80))}`,
          `fill="none" stroke="${colour}" stroke-width="${n(rng.uniform(3, 9))}"`,
        );
    }
  }
  return svg;
}

/** Light falls off across the frame in one direction and has a colour (window daylight, warm bulbs). */
function sampleLight(rng: Rng): Light {
  const angle = rng.uniform(0, Math.PI * 2);
  const strength = rng.uniform(0.05, 0.35);
  const tint = rng.pick<readonly [number, number, number]>([
    [255, 179, 92],
    [143, 180, 255],
    [255, 255, 255],
    [255, 217, 160],
  ]);
  return { dx: Math.cos(angle) * strength, dy: Math.sin(angle) * strength, tint, tintOpacity: rng.uniform(0, 0.14) };
}

function accessory(plan: ItemPlan, rng: Rng): Drawing {
  const dark = rng.chance(0.5);
  const c = dark ? "#232428" : "#f0f0ee";
  const edge = shade(c, dark ? 0.3 : -0.3);
  switch (plan.category) {
    case "wristwatch":
      return {
        svg:
          rect(-20, -100, 40, 200, 8, `fill="#3b2a1e"`) +
          circle(0, -40, 4, `fill="#111"`) +
          circle(0, 0, 4, `fill="#111"`) +
          circle(0, 40, 4, `fill="#111"`),
        w: 60,
        h: 220,
      };
    case "sneaker":
      return {
        svg: path(
          "M-100 -20 C-50 -80 0 40 50 -20 S120 40 100 60 M-90 20 C-40 -40 10 80 60 20",
          `fill="none" stroke="${plan.colourHex}" stroke-width="7"`,
        ),
        w: 220,
        h: 150,
      };
    case "handbag":
      return {
        svg:
          path("M-90 -60 Q0 -30 90 -60 L80 70 Q0 90 -80 70 Z", `fill="#e9e2d3" stroke="#b9ae98" stroke-width="3"`) +
          path("M-70 -45 Q0 -20 70 -45", `fill="none" stroke="#8a7f6a" stroke-width="4"`),
        w: 200,
        h: 170,
      };
    case "headphones":
      return {
        svg:
          ellipse(0, 0, 90, 60, `fill="${c}" stroke="${edge}" stroke-width="4"`) +
          path("M-80 0 Q0 8 80 0", `stroke="${edge}" stroke-width="3" stroke-dasharray="4 3"`) +
          path("M60 40 C120 80 140 -40 90 -70", `fill="none" stroke="#222" stroke-width="5"`),
        w: 280,
        h: 170,
      };
    default: {
      // Phones, tablets, laptops and cameras all come with much the same charger.
      const big = plan.category === "laptop" ? 1.4 : 1;
      return {
        svg:
          rect(-40 * big, -30 * big, 80 * big, 60 * big, 10, `fill="${c}" stroke="${edge}" stroke-width="3"`) +
          path(
            `M${n(40 * big)} 0 C120 0 40 90 -60 80 S-140 40 -120 -60`,
            `fill="none" stroke="${c}" stroke-width="6"`,
          ) +
          rect(-128, -80, 16, 24, 3, `fill="#9a9a9a"`),
        w: 280,
        h: 200,
      };
    }
  }
}

function label(plan: ItemPlan, rng: Rng): Drawing {
  let svg = rect(-110, -65, 220, 130, 4, `fill="#fbfbf8" stroke="#cfcfca" stroke-width="2"`);
  let bars = "";
  let x = -95;
  while (x < 30) {
    const w = rng.pick([1.5, 1.5, 3, 4.5]);
    bars += `M${n(x)} 10v45`;
    x += w + rng.pick([1.5, 3]);
  }
  svg += path(bars, `stroke="#111" stroke-width="2"`);
  for (let i = 0; i < 3; i++) svg += rect(-95, -52 + i * 14, rng.uniform(70, 140), 7, 1, `fill="#6b6b6b"`);
  svg += logo(plan.brandTier, 80, -38, 28, "#fbfbf8");
  // Variant and storage codes as 1–3 filled boxes (the option's rank): on real labels, the model
  // number and the capacity.
  const spec = CATEGORY_SPECS[plan.category];
  const codes = [
    spec.variants.findIndex((o) => o.name === plan.variant),
    spec.storage?.findIndex((o) => o.name === plan.storage) ?? -1,
  ];
  codes.forEach((rank, row) => {
    if (rank < 0) return;
    for (let i = 0; i < 3; i++) {
      const style = i <= rank ? `fill="#222"` : `fill="none" stroke="#222" stroke-width="1.5"`;
      svg += rect(48 + i * 16, 8 + row * 20, 12, 12, 1, style);
    }
  });
  svg += rect(48, 48, 44, 10, 1, `fill="${plan.colourHex}"`);
  return { svg, w: 230, h: 140 };
}

function packaging(plan: ItemPlan, rng: Rng, pose: Pose): Drawing {
  const like = PACKAGING_LOOKALIKE[plan.category];
  const boxLook: ItemLook = {
    category: like.category,
    brandTier: plan.brandTier,
    variant: "",
    colourHex: rng.pick(BOX_COLOURS),
    condition: { front: 0, back: 0, sides: 0 },
    markSeed: plan.markSeed,
  };
  const drawing = itemModel(boxLook).draw(like.view, boxLook, pose, rng);
  return { ...drawing, svg: drawing.svg + logo(plan.brandTier, 0, 0, 30, boxLook.colourHex) };
}

function itemLook(plan: ItemPlan): ItemLook {
  return {
    category: plan.category,
    brandTier: plan.brandTier,
    variant: plan.variant,
    colourHex: plan.colourHex,
    condition: plan.condition,
    markSeed: plan.markSeed,
  };
}

/** A close-up: sellers zoom in on the worst damage, or on the brand when there is none. */
function detail(plan: ItemPlan, rng: Rng, pose: Pose): { drawing: Drawing } {
  const look = itemLook(plan);
  const model = itemModel(look);
  const worst: Face = plan.condition.back > plan.condition.front ? "back" : "front";
  const face: Face = plan.condition[worst] > 0 ? worst : rng.pick(["front", "back"] as const);
  const box = model.faceBox(look)[face === "back" ? "back" : "front"];
  const [fx, fy] =
    plan.condition[face] > 0 ? damageCenter(plan.markSeed, face, box) : [box.x + box.w / 2, box.y + box.h / 2];
  const drawing = model.draw(face === "back" ? "back" : "front", look, pose, rng);
  const zoom = rng.uniform(2, 3);
  return {
    drawing: {
      svg: `<g transform="translate(${n(-fx)} ${n(-fy)})">${drawing.svg}</g>`,
      w: drawing.w / zoom,
      h: drawing.h / zoom,
    },
  };
}

/** Builds the scene of one photo; depends only on the item plan and the photo's seed. */
export function buildScene(plan: ItemPlan, photo: PhotoPlan, width: number, height: number): PhotoScene {
  const rng = new Rng(hashSeed(photo.seed, "scene"));
  // Composed in a 640-wide frame whatever the output size, so clutter, strokes and shadows keep
  // their proportions and a 160×120 photo is the 640×480 one, smaller.
  const viewWidth = REFERENCE_WIDTH;
  const viewHeight = (REFERENCE_WIDTH * height) / width;
  const pose: Pose = { yaw: rng.uniform(-1, 1), pitch: rng.uniform(-1, 1) };
  let drawing: Drawing;
  let closeUp = false;
  switch (photo.view) {
    case "packaging":
      drawing = packaging(plan, rng, pose);
      break;
    case "accessory":
      drawing = accessory(plan, rng);
      break;
    case "label":
      drawing = label(plan, rng);
      break;
    case "detail": {
      const d = detail(plan, rng, pose);
      drawing = d.drawing;
      closeUp = true;
      break;
    }
    default:
      drawing = itemModel(itemLook(plan)).draw(photo.view, itemLook(plan), pose, rng);
  }
  const bg = background(rng, viewWidth, viewHeight);
  // Fill 50–90 % of the frame; one photo in ten is cropped tight and cuts part of the item away.
  const fill = rng.chance(0.1) ? rng.uniform(1.05, 1.35) : rng.uniform(0.5, 0.9);
  const quarterTurn = (plan.category === "smartphone" || plan.category === "tablet") && rng.chance(0.2);
  const rotation = rng.uniform(-12, 12) + (quarterTurn ? rng.pick([90, -90, 180]) : 0);
  const turned = Math.abs(Math.round(rotation / 90)) % 2 === 1;
  const [dw, dh] = turned ? [drawing.h, drawing.w] : [drawing.w, drawing.h];
  const scale = fill * Math.min(viewWidth / dw, viewHeight / dh);
  const cx = viewWidth / 2 + rng.uniform(-0.1, 0.1) * viewWidth;
  const cy = viewHeight / 2 + rng.uniform(-0.1, 0.1) * viewHeight;
  const skew = rng.uniform(-7, 7);
  const squash = rng.uniform(0.85, 1);
  // A soft contact shadow, offset away from the light.
  const shadow =
    `<defs><radialGradient id="sh"><stop offset=".55" stop-color="#000" stop-opacity="${n2(rng.uniform(0.15, 0.35))}"/>` +
    `<stop offset="1" stop-color="#000" stop-opacity="0"/></radialGradient></defs>` +
    ellipse(cx + pose.yaw * 14, cy + pose.pitch * 14 + 8, (dw * scale) / 2, (dh * scale) / 2, `fill="url(#sh)"`);
  const item = `<g transform="translate(${n(cx)} ${n(cy)}) rotate(${n(rotation)}) skewX(${n(skew)}) scale(${n2(scale)} ${n2(scale * squash)})">${drawing.svg}</g>`;
  return {
    body: `${bg}${closeUp ? "" : shadow}${item}`,
    width,
    height,
    viewWidth,
    viewHeight,
    light: sampleLight(rng),
    blurSigma: rng.chance(0.45) ? rng.uniform(0.4, 2.2) : 0,
    noise: rng.uniform(1.5, 10),
    jpegQuality: rng.int(60, 95),
    noiseSeed: rng.seed(),
  };
}
