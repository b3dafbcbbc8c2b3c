import type { ProcessedPhoto } from "./process-photo";
import type { PhotoStorage } from "./storage/types";

/** Storage keys of one photo's stored copies. The raw upload itself is never stored. */
export interface StoredPhotoKeys {
  displayKey: string;
  thumbKey: string;
}

/**
 * Writes a processed photo's two copies. Keys are content addresses shared by every appraisal
 * holding the same bytes, so a failure here deletes nothing: a copy left without a database row
 * is removed later by sweeping `storage.list()` against the Photo table.
 */
export async function storeProcessedPhoto(
  storage: PhotoStorage,
  photo: Pick<ProcessedPhoto, "display" | "thumb">,
): Promise<StoredPhotoKeys> {
  const [displayKey, thumbKey] = await Promise.all([
    storage.put(photo.display, "webp"),
    storage.put(photo.thumb, "webp"),
  ]);
  return { displayKey, thumbKey };
}
