import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";

export type BackendName = "wasm" | "cpu" | "tensorflow";

let ready: Promise<BackendName> | null = null;

/** Selects the tfjs backend once per process (wasm by default, "cpu" on request) and returns its name. */
export function ensureBackend(prefer?: BackendName): Promise<BackendName> {
  if (prefer && tf.getBackend() && tf.getBackend() !== prefer) ready = null;
  ready ??= selectBackend(prefer);
  return ready;
}

async function selectBackend(prefer?: BackendName): Promise<BackendName> {
  if (prefer === "cpu") {
    await tf.setBackend("cpu");
    await tf.ready();
    return "cpu";
  }
  // The .wasm binaries ship inside the package; an absolute directory works from tsx CLIs,
  // vitest and the Next.js server alike, with no network.
  setWasmPaths(`${path.resolve(process.cwd(), "node_modules/@tensorflow/tfjs-backend-wasm/dist")}/`);
  const ok = await tf.setBackend("wasm");
  if (!ok) throw new Error("the wasm backend failed to initialize");
  await tf.ready();
  return "wasm";
}
