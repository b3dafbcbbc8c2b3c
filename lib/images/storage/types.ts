/** Where photo files live. Keys are content addresses chosen by the storage, never by a user. */
export interface PhotoStorage {
  /** Stores bytes under `<sha256>.<ext>` and returns that key; storing the same bytes again is a no-op. */
  put(bytes: Buffer, ext: PhotoExt): Promise<string>;
  /** The stored bytes; throws AppError not_found if the key is absent. */
  get(key: string): Promise<Buffer>;
  /** Removes the file; absent keys are fine (deletes are retried by sweeps). */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Every stored key, for sweeping files no database row refers to. */
  list(): AsyncIterable<StoredPhoto>;
}

export interface StoredPhoto {
  key: string;
  modifiedAt: Date;
}

export const PHOTO_EXTS = ["jpg", "png", "webp"] as const;
export type PhotoExt = (typeof PHOTO_EXTS)[number];
