import sharp from "sharp";
import { Rng } from "../random";
import type { Light, PhotoScene } from "./scene";
import { n } from "./svg";

/**
 * Scene → JPEG bytes. librsvg rasterizes; blur comes from rendering at a lower resolution and
 * upscaling (a soft lens or a small phone sensor, and cheaper than a Gaussian at full size);
 * light falloff, colour cast and sensor noise are applied in one pass over the pixels; then the
 * camera's JPEG encoder. Same scene → same bytes on every run with the same libvips.
 */

const NOISE_TABLE_BITS = 20;
const NOISE_TABLE_MASK = (1 << NOISE_TABLE_BITS) - 1;
const NOISE_TABLE_STD = 32;

let noiseTable: Int8Array | undefined;

/** A fixed table of Gaussian values; each photo reads it from its own offset and stride. */
function getNoiseTable(): Int8Array {
  if (noiseTable) return noiseTable;
  const rng = new Rng(0x5eed);
  const table = new Int8Array(1 << NOISE_TABLE_BITS);
  for (let i = 0; i < table.length; i++) {
    table[i] = Math.max(-127, Math.min(127, Math.round(rng.normal() * NOISE_TABLE_STD)));
  }
  noiseTable = table;
  return table;
}

/** Applies light falloff, colour cast and sensor noise in place to packed RGB pixels. */
export function applyLightAndNoise(
  pixels: Uint8Array,
  width: number,
  height: number,
  light: Light,
  noiseStd: number,
  seed: number,
): void {
  const table = getNoiseTable();
  const noiseScale = noiseStd / NOISE_TABLE_STD;
  let j = seed & NOISE_TABLE_MASK;
  // An odd stride is coprime with the table size, so each photo walks its own sequence.
  const stride = ((seed >>> 20) | 1) & 0x7ff;
  const keep = 1 - light.tintOpacity;
  const add = light.tint.map((c) => c * light.tintOpacity);
  const gx = (2 * light.dx) / width;
  const gy = (2 * light.dy) / height;
  const [addR, addG, addB] = add;
  // A clamped view does the 0..255 clamping and rounding on store.
  const out = new Uint8ClampedArray(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  let i = 0;
  for (let y = 0; y < height; y++) {
    let gain = (1 - light.dx - light.dy + gy * y) * keep;
    const step = gx * keep;
    for (let x = 0; x < width; x++, gain += step, i += 3) {
      // Luminance noise only: 4:2:0 JPEG would average chroma noise away anyway, and one table
      // read per pixel instead of three keeps this pass at ~1 ms for 640×480.
      const noise = table[j] * noiseScale;
      j = (j + stride) & NOISE_TABLE_MASK;
      out[i] = out[i] * gain + addR + noise;
      out[i + 1] = out[i + 1] * gain + addG + noise;
      out[i + 2] = out[i + 2] * gain + addB + noise;
    }
  }
}

function svgDocument(scene: PhotoScene, width: number, height: number): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${n(scene.viewWidth)} ${n(scene.viewHeight)}">${scene.body}</svg>`,
  );
}

/** Rasterizes a photo scene to JPEG bytes. */
export async function rasterizeScene(scene: PhotoScene): Promise<Buffer> {
  const { width, height } = scene;
  const blurred = scene.blurSigma >= 0.4;
  const reduce = blurred ? 1 / (1 + 0.8 * scene.blurSigma) : 1;
  let pipeline = sharp(svgDocument(scene, Math.round(width * reduce), Math.round(height * reduce))).removeAlpha();
  if (blurred) pipeline = pipeline.resize(width, height, { fit: "fill", kernel: "cubic" });
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || info.width !== width || info.height !== height) {
    throw new Error(`unexpected raster ${info.width}x${info.height}x${info.channels}`);
  }
  applyLightAndNoise(data, width, height, scene.light, scene.noise, scene.noiseSeed);
  return sharp(data, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: scene.jpegQuality, chromaSubsampling: "4:2:0" })
    .toBuffer();
}
