// Builders for seller-flow integration tests: multipart requests against the real route handlers.
import { sceneJpeg } from "@/tests/fixtures/images/scene";

export const BASE = "http://localhost:3000";

export interface Part {
  /** Form field name, e.g. "photos[0]" or "declaredCategory". */
  name: string;
  value: Buffer | string;
  fileName?: string;
  type?: string;
}

/** Distinct, photo-like JPEGs (different scenes, so no duplicate flags). */
export async function photos(count: number, size = { width: 640, height: 480 }): Promise<Buffer[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => sceneJpeg(size.width, size.height, { seed: 101 + i })));
}

/** Parts for photos in consecutive slots starting at Front. */
export function photoParts(files: Buffer[], slots = files.map((_, i) => i)): Part[] {
  return files.map((value, i) => ({
    name: `photos[${slots[i]}]`,
    value,
    fileName: `IMG_${i}.jpg`,
    type: "image/jpeg",
  }));
}

/** A multipart POST /api/appraisals request. */
export function uploadRequest(parts: Part[], headers: Record<string, string> = {}): Request {
  const form = new FormData();
  for (const p of parts) {
    if (typeof p.value === "string" && p.fileName === undefined) form.append(p.name, p.value);
    else
      form.append(
        p.name,
        new Blob([new Uint8Array(Buffer.from(p.value))], { type: p.type ?? "application/octet-stream" }),
        p.fileName ?? "file",
      );
  }
  return new Request(`${BASE}/api/appraisals`, { method: "POST", body: form, headers });
}

/** The Cookie header value that replays a response's Set-Cookie. */
export function cookieFrom(res: Response): string {
  const set = res.headers.get("set-cookie");
  if (!set) throw new Error("response set no cookie");
  return set.split(";")[0];
}

export async function errorOf(res: Response): Promise<{ code: string; message: string; field?: string }> {
  const body = (await res.json()) as { error: { code: string; message: string; field?: string } };
  return body.error;
}

/** A body stream that records how many bytes the server actually pulled. */
export function countingBody(
  total: number,
  chunk = 64 * 1024,
): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent >= total) return controller.close();
        const n = Math.min(chunk, total - sent);
        sent += n;
        controller.enqueue(new Uint8Array(n).fill(0x41));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => sent };
}
