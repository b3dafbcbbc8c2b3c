import sharp, { type Sharp } from "sharp";

/**
 * The one function that turns a photo into model input, used by training (lib/ml, lib/dataset)
 * and by ingestion alike, so the server feeds the model exactly what it was trained on.
 * Output: `size`×`size` RGB, 8-bit, row-major HWC. The model itself scales to [0,1].
 * `fit: "fill"` squashes rather than crops: no part of the item is ever cut away, and the
 * distortion is the same at training and at inference.
 */
export async function toModelInput(
  input: Buffer | Uint8Array | Sharp,
  size: number,
): Promise<{ data: Uint8Array; size: number }> {
  const pipeline = input instanceof Uint8Array ? sharp(input, { failOn: "error" }) : input;
  const { data, info } = await pipeline
    .rotate()
    .resize(size, size, { fit: "fill", kernel: "lanczos3" })
    .flatten({ background: "#ffffff" })
    .toColourspace("srgb")
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`model input must have 3 channels, got ${info.channels}`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), size };
}
