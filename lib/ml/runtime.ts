import { type BackendName, initBackend } from "./backend";

export type { BackendName };

/** Selects the tfjs backend for lib/ml (tfjs-node if installed, else wasm with training kernels; "cpu" on request). */
export function ensureBackend(prefer?: BackendName): Promise<BackendName> {
  return initBackend(prefer ? { backend: prefer } : {});
}
