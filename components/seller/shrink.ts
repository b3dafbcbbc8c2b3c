// Phone photos are 12–48 MP, but the server keeps nothing larger than 800 px on the long side
// (lib/images DERIVATIVE_SIZES). Shrinking in the browser to exactly that sends a small fraction of the bytes
// over a mobile connection, spares the server a decode of pixels it would throw away, and drops the
// EXIF block (GPS included) before it ever leaves the phone.

/**
 * Long side of what the browser uploads: the server's largest stored copy (DERIVATIVE_SIZES.display,
 * which a unit test keeps equal), so nothing the server would keep is lost.
 */
export const UPLOAD_MAX_SIDE = 800;
const JPEG_QUALITY = 0.9;

/**
 * A copy of `file` at most UPLOAD_MAX_SIDE px on its long side (upright, JPEG, on white), or `file`
 * itself when it is already small, the browser cannot decode it (the server then explains why), or
 * shrinking would not save bytes. Never throws.
 */
export async function shrinkForUpload(file: File): Promise<File> {
  if (typeof createImageBitmap !== "function" || typeof document === "undefined") return file;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    return file;
  }
  try {
    const scale = UPLOAD_MAX_SIDE / Math.max(bitmap.width, bitmap.height);
    if (scale >= 1) return file;
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext("2d");
    if (!ctx) return file;
    // The server composites transparency on white too, so a PNG cut-out looks the same either way.
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, width, height);
    ctx.imageSmoothingQuality = "high";
    ctx.drawImage(bitmap, 0, 0, width, height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/jpeg", JPEG_QUALITY));
    if (!blob || blob.size >= file.size) return file;
    // The name is kept: messages name the file the seller picked; the server trusts bytes, not names.
    return new File([blob], file.name, { type: "image/jpeg", lastModified: file.lastModified });
  } catch {
    return file;
  } finally {
    bitmap.close();
  }
}
