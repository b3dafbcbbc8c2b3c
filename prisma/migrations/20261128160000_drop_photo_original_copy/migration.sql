-- The 1280-px JPEG "original" duplicated the 1280-px WebP display copy at ~10% of ingestion CPU.
-- Its files become unreferenced and are removed by the orphan sweep (lib/appraisals/sweep-orphan-photos.ts).
ALTER TABLE "Photo" DROP COLUMN "originalKey";
