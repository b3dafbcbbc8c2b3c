import "server-only";
import type { PhotoStorage, ProcessedPhoto } from "@/lib/images";
import { ingestSharp } from "@/lib/images/sharp";

export interface StoredKeys {
  displayKey: string;
  thumbKey: string;
  modelKey: string;
}

/** The model input as a lossless PNG, so reviewed items can be exported as exactly what the model saw. */
function encodeModelInput(input: ProcessedPhoto["modelInput"]): Promise<Buffer> {
  return ingestSharp()(Buffer.from(input.data.buffer, input.data.byteOffset, input.data.byteLength), {
    raw: { width: input.size, height: input.size, channels: 3 },
  })
    .png({ compressionLevel: 6 })
    .toBuffer();
}

/** Writes every stored copy of one photo; keys are content addresses, so a re-upload costs no space. */
export async function storePhoto(storage: PhotoStorage, photo: ProcessedPhoto): Promise<StoredKeys> {
  const [displayKey, thumbKey, modelKey] = await Promise.all([
    storage.put(photo.display, "webp"),
    storage.put(photo.thumb, "webp"),
    encodeModelInput(photo.modelInput).then((png) => storage.put(png, "png")),
  ]);
  return { displayKey, thumbKey, modelKey };
}

export const keysOf = (k: StoredKeys): string[] => [k.displayKey, k.thumbKey, k.modelKey];
