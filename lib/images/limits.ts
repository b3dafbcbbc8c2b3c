/** Per-photo limits; passed in so tests can use small ones. `limitsFromEnv()` reads the configured values. */
export interface PhotoLimits {
  /** Bytes of one uploaded photo. */
  maxBytes: number;
  /** width × height read from the header, refused before any pixel is decoded. */
  maxPixels: number;
  /** Shortest side below which a photo is refused outright (quality flags handle "small but usable"). */
  minSide: number;
  /** Longest side ÷ shortest side; beyond this it is a banner or a strip, not a photo of an item. */
  maxAspectRatio: number;
}

export const DEFAULT_PHOTO_LIMITS: PhotoLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxPixels: 50_000_000,
  minSide: 64,
  maxAspectRatio: 8,
};

/** The configured limits (lib/env.ts). Loaded lazily: lib/env.ts is server-only and CLI scripts import lib/images. */
export async function limitsFromEnv(): Promise<PhotoLimits> {
  const { getEnv } = await import("../env");
  const env = getEnv();
  return {
    maxBytes: env.MAX_PHOTO_BYTES,
    maxPixels: env.MAX_PHOTO_PIXELS,
    minSide: env.MIN_PHOTO_SIDE,
    maxAspectRatio: DEFAULT_PHOTO_LIMITS.maxAspectRatio,
  };
}
