import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { contentTypeFor, getPhotoStorage } from "@/lib/images/storage";

export const PHOTO_SIZES = ["thumb", "display"] as const;
export type PhotoSize = (typeof PHOTO_SIZES)[number];

/** A photo's derivative by photo id (never by key or path) for the review screens. */
export async function readReviewPhoto(
  photoId: string,
  size: PhotoSize,
): Promise<{ bytes: Buffer; contentType: string }> {
  const photo = await db().photo.findUnique({ where: { id: photoId }, select: { thumbKey: true, displayKey: true } });
  if (!photo) throw new AppError("not_found", "No such photo.");
  const key = size === "thumb" ? photo.thumbKey : photo.displayKey;
  const bytes = await (await getPhotoStorage()).get(key);
  return { bytes, contentType: contentTypeFor(key) };
}
