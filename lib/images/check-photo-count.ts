import { AppError } from "../errors";

/** Refuses an appraisal with no photo or more photos than allowed (400). */
export function checkPhotoCount(count: number, maxPhotos: number): void {
  if (count === 0) {
    throw new AppError("validation", "Add at least a Front photo of the item.", { field: "photos[0]" });
  }
  if (count > maxPhotos) {
    throw new AppError(
      "too_many",
      `You added ${count} photos; an appraisal can have at most ${maxPhotos} — remove ${count - maxPhotos}.`,
      { field: "photos" },
    );
  }
}
