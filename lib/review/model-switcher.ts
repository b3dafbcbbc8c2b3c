// Hot pick-up of a promoted model. The ModelVersion table says which model is active (model:promote
// flips it in one transaction); every app instance polls it, loads the new model next to the old one,
// switches new requests over, and disposes the old model only when its last in-flight request is done.
// No request is dropped or answered by a half-loaded model, and each answer names the version that made it.

export interface ActiveModelRef {
  id: string;
  dir: string;
}

export interface Disposable {
  dispose(): Promise<void>;
}

export interface ModelSwitcherOptions<S extends Disposable> {
  /** Loads (and warms) a model; the switcher calls it once per version. */
  load(ref: ActiveModelRef): Promise<S>;
  /** The version that should serve now, e.g. the active ModelVersion row. */
  findActive(): Promise<ActiveModelRef | null>;
  /** How often to look for a newly promoted model (0 = only when refresh() is called). */
  pollMs?: number;
  onSwap?(from: string | null, to: string): void;
  onError?(err: unknown): void;
}

interface Slot<S> {
  ref: ActiveModelRef;
  service: S;
  inFlight: number;
  retiring: boolean;
  disposed: boolean;
}

export interface ModelSwitcher<S> {
  /** Runs `fn` on the current model; the model stays loaded until `fn` settles, even if a newer one takes over. */
  use<T>(fn: (service: S, versionId: string) => Promise<T>): Promise<T>;
  /** Checks for a newly active version now and switches to it once loaded. */
  refresh(): Promise<void>;
  currentVersion(): string | null;
  stop(): Promise<void>;
}

/** A holder that serves the active model version and swaps in a promoted one without losing requests. */
export function createModelSwitcher<S extends Disposable>(options: ModelSwitcherOptions<S>): ModelSwitcher<S> {
  let current: Slot<S> | null = null;
  let switching: Promise<void> | null = null;
  const retired = new Set<Slot<S>>();

  async function disposeSlot(slot: Slot<S>) {
    if (slot.disposed) return;
    slot.disposed = true;
    retired.delete(slot);
    await slot.service.dispose().catch((err) => options.onError?.(err));
  }

  async function switchOnce() {
    const ref = await options.findActive();
    if (!ref || ref.id === current?.ref.id) return;
    const service = await options.load(ref);
    const old = current;
    current = { ref, service, inFlight: 0, retiring: false, disposed: false };
    options.onSwap?.(old?.ref.id ?? null, ref.id);
    if (old) {
      old.retiring = true;
      retired.add(old);
      if (old.inFlight === 0) await disposeSlot(old);
    }
  }

  let recheck = false;
  function refresh(): Promise<void> {
    // One switch at a time. A refresh asked for during a switch (say, a promotion landed meanwhile)
    // makes the running one look again before it settles, so nobody waits on a stale answer.
    if (switching) {
      recheck = true;
      return switching;
    }
    switching = (async () => {
      do {
        recheck = false;
        await switchOnce();
      } while (recheck);
    })().finally(() => {
      switching = null;
    });
    return switching;
  }

  const timer =
    options.pollMs && options.pollMs > 0
      ? setInterval(() => refresh().catch((err) => options.onError?.(err)), options.pollMs)
      : undefined;
  timer?.unref?.();

  return {
    async use(fn) {
      if (!current) await refresh();
      const slot = current;
      if (!slot) throw new Error("no active model version");
      slot.inFlight++;
      try {
        return await fn(slot.service, slot.ref.id);
      } finally {
        slot.inFlight--;
        if (slot.retiring && slot.inFlight === 0) void disposeSlot(slot);
      }
    },
    refresh,
    currentVersion: () => current?.ref.id ?? null,
    async stop() {
      if (timer) clearInterval(timer);
      await switching?.catch(() => undefined);
      const slots = [...retired, ...(current ? [current] : [])];
      current = null;
      await Promise.all(slots.map(disposeSlot));
    },
  };
}
