import sharp from "sharp";
import { Rng } from "../random";
import type { PhotoScene } from "./scene";

/**
 * SVG scene → JPEG bytes: librsvg rasterizes, optics blur, then sensor noise, then the camera's
 * JPEG encoder. Deterministic for a given scene (same bytes on every run with the same libvips).
 */

const NOISE_TABLE_BITS = 20;
const NOISE_TABLE_MASK = (1 << NOISE_TABLE_BITS) - 1;
const NOISE_TABLE_STD = 32;

let noiseTable: Int8Array | undefined;

/** A fixed table of Gaussian values; each photo reads it from its own offset with its own gain. */
function getNoiseTable(): Int8Array {
  if (noiseTable) return noiseTable;
  const rng = new Rng(0x5eed);
  const table = new Int8Array(1 << NOISE_TABLE_BITS);
  for (let i = 0; i < table.length; i++)
    table[i] = Math.max(-127, Math.min(127, Math.round(rng.normal() * NOISE_TABLE_STD)));
  noiseTable = table;
  return table;
}

function addNoise(pixels: Buffer, std: number, seed: number): void {
  const table = getNoiseTable();
  const gain = Math.round((std / NOISE_TABLE_STD) * 256);
  const offset = seed & NOISE_TABLE_MASK;
  // A stride coprime with the table size so neighbouring photos do not share a pattern.
  const stride = ((seed >>> 20) | 1) & 0x7ff;
  for (let i = 0, j = offset; i < pixels.length; i++, j = (j + stride) & NOISE_TABLE_MASK) {
    const v = pixels[i] + ((table[j] * gain) >> 8);
    pixels[i] = v < 0 ? 0 : Math.min(v, 255);
  }
}

/** Rasterizes a photo scene to JPEG bytes. */
export async function rasterizeScene(scene: PhotoScene): Promise<Buffer> {
  let pipeline = sharp(Buffer.from(scene.svg)).removeAlpha();
  if (scene.blurSigma >= 0.3) pipeline = pipeline.blur(scene.blurSigma);
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  addNoise(data, scene.noise, scene.noiseSeed);
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
    .jpeg({ quality: scene.jpegQuality, chromaSubsampling: "4:2:0" })
    .toBuffer();
}
