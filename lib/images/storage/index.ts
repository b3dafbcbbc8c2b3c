import path from "node:path";
import { LocalPhotoStorage } from "./local";
import { S3PhotoStorage } from "./s3";
import type { PhotoStorage } from "./types";

export { assertPhotoKey, contentTypeFor, isPhotoKey, photoKeyFor } from "./keys";
export { LocalPhotoStorage } from "./local";
export { S3PhotoStorage, type S3StorageConfig } from "./s3";
export { PHOTO_EXTS, type PhotoExt, type PhotoStorage, type StoredPhoto } from "./types";

let configured: Promise<PhotoStorage> | undefined;

/**
 * The process's photo storage: S3-compatible when S3_ENDPOINT is set, else DATA_DIR/photos.
 * Async because lib/env.ts is server-only and is loaded lazily (CLI scripts import lib/images).
 */
export function getPhotoStorage(): Promise<PhotoStorage> {
  configured ??= import("../../env").then(({ getEnv }) => {
    const env = getEnv();
    if (env.S3_ENDPOINT) {
      if (!env.S3_BUCKET) throw new Error("S3_BUCKET must be set when S3_ENDPOINT is set");
      return new S3PhotoStorage({
        endpoint: env.S3_ENDPOINT,
        bucket: env.S3_BUCKET,
        region: env.S3_REGION,
        accessKeyId: env.S3_ACCESS_KEY_ID,
        secretAccessKey: env.S3_SECRET_ACCESS_KEY,
      });
    }
    return new LocalPhotoStorage(path.join(env.DATA_DIR, "photos"));
  });
  configured.catch(() => {
    configured = undefined;
  });
  return configured;
}

/** Tests only: forget the configured storage so the next call re-reads the configuration. */
export function resetPhotoStorageForTests(): void {
  configured = undefined;
}
