import "server-only";
import { db } from "@/lib/db";
import { getPhotoStorage, LocalPhotoStorage, type PhotoStorage } from "@/lib/images";
import { logger } from "@/lib/log";

/**
 * Files are written before their rows commit, so a crash or a failed transaction can leave files no
 * row refers to. The grace period protects uploads still in flight: their files exist, their rows
 * don't yet.
 */
export const ORPHAN_GRACE_MS = 60 * 60 * 1000;
const BATCH = 500;

export interface SweepResult {
  scanned: number;
  deleted: number;
}

/** Keys among `keys` that some Photo row refers to. */
export async function findReferencedKeys(keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db().photo.findMany({
    where: {
      OR: [{ displayKey: { in: keys } }, { thumbKey: { in: keys } }, { modelKey: { in: keys } }],
    },
    select: { displayKey: true, thumbKey: true, modelKey: true },
  });
  return new Set(rows.flatMap((r) => [r.displayKey, r.thumbKey, r.modelKey]));
}

/** Deletes the given keys unless a row refers to them (content addressing: another appraisal may share a file). */
export async function deleteUnreferencedKeys(storage: PhotoStorage, keys: string[]): Promise<number> {
  const unique = [...new Set(keys)];
  const referenced = await findReferencedKeys(unique);
  const doomed = unique.filter((k) => !referenced.has(k));
  await Promise.all(doomed.map((k) => storage.delete(k)));
  return doomed.length;
}

/** Deletes stored photo files older than `olderThanMs` that no Photo row refers to. */
export async function sweepOrphanPhotos(
  options: { olderThanMs?: number; storage?: PhotoStorage; now?: Date } = {},
): Promise<SweepResult> {
  const storage = options.storage ?? (await getPhotoStorage());
  const cutoff = (options.now ?? new Date()).getTime() - (options.olderThanMs ?? ORPHAN_GRACE_MS);
  let scanned = 0;
  let deleted = 0;
  let batch: string[] = [];
  const flush = async () => {
    deleted += await deleteUnreferencedKeys(storage, batch);
    batch = [];
  };
  for await (const file of storage.list()) {
    scanned++;
    if (file.modifiedAt.getTime() > cutoff) continue;
    batch.push(file.key);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  if (storage instanceof LocalPhotoStorage) await storage.removeStaleTempFiles(options.olderThanMs ?? ORPHAN_GRACE_MS);
  return { scanned, deleted };
}

const TIMER = Symbol.for("appraise.orphanSweep");
type TimerCache = { [TIMER]?: NodeJS.Timeout };

/** Runs the sweep hourly in this process (idempotent; the timer never keeps the process alive). */
export function scheduleOrphanSweep(intervalMs = ORPHAN_GRACE_MS): void {
  const g = globalThis as TimerCache;
  if (g[TIMER]) return;
  g[TIMER] = setInterval(() => {
    sweepOrphanPhotos().then(
      (r) => r.deleted > 0 && logger().info(r, "swept orphan photo files"),
      (err) => logger().warn({ err }, "orphan photo sweep failed"),
    );
  }, intervalMs);
  g[TIMER].unref();
}
