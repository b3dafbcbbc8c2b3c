/**
 * Photo ingestion: everything between an uploaded file's bytes and a stored, normalized photo.
 * Server-only in spirit (never import it from client components) but without `import "server-only"`
 * because CLI scripts run by tsx import it too.
 *
 * Typical use in the upload handler:
 *
 *   checkPhotoByteSize(partBytesSoFar, { slot, fileName }, limits)   // while streaming, optional
 *   await sniffPhoto(bytes, { slot, fileName })                      // optional early refusal, cheap
 *   const photos = assessPhotoSet(
 *     await Promise.all(files.map((f, slot) => processPhoto(f.bytes, { slot, fileName: f.name }, { modelInputSize }))),
 *   );
 *   const storage = await getPhotoStorage();
 *   const { displayKey, thumbKey } = await storeProcessedPhoto(storage, photo);
 *
 * - processPhoto(bytes, ctx, opts): sniff (magic bytes, byte cap, header pixel cap, min side,
 *   aspect), then decode once with sharp (limitInputPixels, failOn "error", only JPEG/PNG/WebP
 *   loaders), apply EXIF orientation, composite alpha on white, 8-bit sRGB, and derive:
 *   `display` (WebP ≤ 800 px — the largest copy, stored instead of the raw upload),
 *   `thumb` (WebP ≤ 320 px), `modelInput` (toModelInput), sha256 of bytes and of pixels, a
 *   perceptual hash, and per-photo quality flags. No stored copy carries any metadata (no EXIF, no
 *   GPS, no XMP, no ICC): every copy is encoded from raw pixels.
 *   `opts.limits` defaults to the configured limits (MAX_PHOTO_BYTES, MAX_PHOTO_PIXELS, MIN_PHOTO_SIDE).
 * - Refusals are AppErrors with code unsupported_media (415), too_large (413) or invalid (422),
 *   `field` = `photos[<slot>]`, and a message naming slot and file:
 *   `Front photo "IMG_1234.HEIC": HEIC photos aren't supported yet — export as JPEG or PNG and try again.`
 *   Too many photos is the caller's check: `checkPhotoCount(n, maxPhotos)` (400 too_many).
 * - assessPhotoSet(photos): adds duplicate / near_duplicate flags naming the other slot.
 * - storeProcessedPhoto(storage, photo): puts display/thumb, returns their keys.
 * - Storage: `await getPhotoStorage()` (S3 when S3_ENDPOINT is set, else DATA_DIR/photos) gives a
 *   PhotoStorage whose keys are `<sha256>.<ext>` content addresses; `contentTypeFor(key)` for serving.
 *   Keys are shared across appraisals (same bytes, same key): never delete a key on failure, sweep
 *   `storage.list()` against the Photo table instead.
 * - ProcessedPhoto.width/height are the upload's own size, upright; the stored copies' sizes are
 *   DERIVATIVE_SIZES (see README.md, "Photo ingestion" for why 800 px).
 */

export { assessPhotoSet } from "./assess-photo-set";
export { checkPhotoCount } from "./check-photo-count";
export { DERIVATIVE_SIZES, type DerivativeSizes } from "./derivatives";
export { describePhoto, type PhotoContext, slotName } from "./describe";
export { DEFAULT_PHOTO_LIMITS, limitsFromEnv, type PhotoLimits } from "./limits";
export { toModelInput } from "./model-input";
export { type ProcessedPhoto, type ProcessPhotoOptions, processPhoto } from "./process-photo";
export { QUALITY_THRESHOLDS, type QualityCode, type QualityFlag } from "./quality";
export { checkPhotoByteSize, type PhotoFormat, type PhotoHeader, sniffPhoto } from "./sniff";
export * from "./storage";
export { type StoredPhotoKeys, storeProcessedPhoto } from "./store-photo";
