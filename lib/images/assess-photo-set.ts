import { slotName } from "./describe";
import type { ProcessedPhoto } from "./process-photo";
import { hammingDistance, QUALITY_THRESHOLDS, type QualityFlag } from "./quality";

type SetFlagged = Pick<ProcessedPhoto, "slot" | "originalSha256" | "pixelSha256" | "phash" | "quality">;

/**
 * Adds duplicate (same bytes or same pixels) and near-duplicate (perceptual hash within
 * QUALITY_THRESHOLDS.nearDuplicateBits) flags across one appraisal's photos. Each later photo is
 * flagged against the first earlier photo it matches, so the Front photo is never the one blamed.
 * Returns new objects; earlier set flags are replaced, so calling it twice is harmless.
 */
export function assessPhotoSet<T extends SetFlagged>(photos: T[]): T[] {
  const ordered = [...photos].sort((a, b) => a.slot - b.slot);
  const flagsBySlot = new Map<number, QualityFlag>();
  for (let i = 0; i < ordered.length; i++) {
    const photo = ordered[i];
    for (let j = 0; j < i; j++) {
      const earlier = ordered[j];
      const other = slotName(earlier.slot);
      if (photo.originalSha256 === earlier.originalSha256 || photo.pixelSha256 === earlier.pixelSha256) {
        flagsBySlot.set(photo.slot, {
          code: "duplicate",
          severity: "serious",
          message: `This is the same photo as the ${other} photo — replace it with a different view of the item.`,
          otherSlot: earlier.slot,
        });
        break;
      }
      const distance = hammingDistance(photo.phash, earlier.phash);
      if (distance <= QUALITY_THRESHOLDS.nearDuplicateBits) {
        flagsBySlot.set(photo.slot, {
          code: "near_duplicate",
          severity: "warning",
          message: `This photo looks almost the same as the ${other} photo — a different angle helps the appraisal more.`,
          value: distance,
          otherSlot: earlier.slot,
        });
        break;
      }
    }
  }
  return photos.map((photo) => {
    const kept = photo.quality.filter((f) => f.code !== "duplicate" && f.code !== "near_duplicate");
    const setFlag = flagsBySlot.get(photo.slot);
    return { ...photo, quality: setFlag ? [...kept, setFlag] : kept };
  });
}
