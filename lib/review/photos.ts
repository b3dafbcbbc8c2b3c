import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { contentTypeFor, getPhotoStorage } from "@/lib/images/storage";

/** thumb and display are derivatives; original is what the seller uploaded, for zooming into detail. */
export const PHOTO_SIZES = ["thumb", "display", "original"] as const;
export type PhotoSize = (typeof PHOTO_SIZES)[number];

/** A photo's derivative by photo id (never by key or path) for the review screens. */
export async function readReviewPhoto(
  photoId: string,
  size: PhotoSize,
): Promise<{ bytes: Buffer; contentType: string }> {
  const photo = await db().photo.findUnique({
    where: { id: photoId },
    select: { thumbKey: true, displayKey: true, originalKey: true },
  });
  if (!photo) throw new AppError("not_found", "No such photo.");
  const key = size === "thumb" ? photo.thumbKey : size === "display" ? photo.displayKey : photo.originalKey;
  const bytes = await (await getPhotoStorage()).get(key);
  return { bytes, contentType: contentTypeFor(key) };
}
