import { type BackendName, initBackend } from "./backend";

export type { BackendName };

/**
 * Selects the tfjs backend for lib/ml (tfjs-node if installed, else wasm with training kernels; "cpu" on request).
 * `log` receives the one-line choice (CLIs send it to stderr so stdout stays the report).
 */
export function ensureBackend(prefer?: BackendName, log?: (line: string) => void): Promise<BackendName> {
  return initBackend({ ...(prefer ? { backend: prefer } : {}), ...(log ? { log } : {}) });
}
