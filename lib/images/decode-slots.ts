import { availableParallelism } from "node:os";

/**
 * At most this many photos decode at once in the process. Two reasons: libvips must hold a whole
 * interlaced PNG or progressive JPEG in memory while decoding (up to ~400 MB for a 50-MP 16-bit
 * RGBA PNG), so an unbounded burst of uploads could exhaust memory; and sharp runs on libuv's
 * 4-thread pool, which file and crypto calls share — leaving threads free keeps the server
 * responsive. More decodes than cores would not finish sooner anyway.
 */
export const MAX_CONCURRENT_DECODES = Math.max(1, Math.min(4, availableParallelism()));

let active = 0;
const waiting: (() => void)[] = [];

/** Runs `fn` once a decode slot is free; slots are granted in arrival order. */
export async function withDecodeSlot<T>(fn: () => Promise<T>, limit = MAX_CONCURRENT_DECODES): Promise<T> {
  if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
  else active++;
  try {
    return await fn();
  } finally {
    const next = waiting.shift();
    // Hand the slot straight to the next waiter (active stays the same), or release it.
    if (next) next();
    else active--;
  }
}

/** How many decodes are running now (for tests and metrics). */
export function activeDecodes(): number {
  return active;
}
