import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { registerWasmTrainingKernels } from "./wasm/register";

// The one place that picks the tfjs backend: native TensorFlow when @tensorflow/tfjs-node is installed and loads,
// otherwise wasm with our training kernels registered, cpu only on request.

export type BackendName = "tensorflow" | "wasm" | "cpu";

export interface InitBackendOptions {
  /** Force a backend (tests, benchmarks); without it the fastest available one is chosen. */
  backend?: BackendName;
  /** Where the one-line choice is reported; defaults to console.info. */
  log?: (line: string) => void;
}

// tfjs-node is an optional dependency; a computed specifier keeps bundlers and tsc from requiring it to exist.
const NATIVE_PACKAGE = ["@tensorflow", "tfjs-node"].join("/");
const WASM_BINARY = "tfjs-backend-wasm-simd.wasm";

let pending: Promise<BackendName> | null = null;
let pendingFor: BackendName | "auto" | null = null;
let wasmPathsSet = false;
const logged = new Set<BackendName>();

/** Selects and initializes the tfjs backend once per process (or switches when a different one is forced). */
export function initBackend(options: InitBackendOptions = {}): Promise<BackendName> {
  const wanted = options.backend ?? "auto";
  const current = tf.getBackend() as BackendName | undefined;
  if (pending && (wanted === "auto" || (wanted === pendingFor && current === wanted))) return pending;
  pendingFor = wanted;
  pending = selectBackend(options.backend).then((name) => {
    if (!logged.has(name)) {
      logged.add(name);
      (options.log ?? console.info)(`[ml] tfjs backend: ${name}${describeChoice(name)}`);
    }
    return name;
  });
  pending.catch(() => {
    pending = null;
  });
  return pending;
}

async function selectBackend(forced?: BackendName): Promise<BackendName> {
  if (forced === "cpu") return activate("cpu");
  if (forced === "wasm") return activateWasm();
  if (await loadNative()) return activate("tensorflow");
  if (forced === "tensorflow") throw new Error(`${NATIVE_PACKAGE} is not installed or failed to load`);
  return activateWasm();
}

async function loadNative(): Promise<boolean> {
  if (tf.findBackend("tensorflow")) return true;
  try {
    await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ NATIVE_PACKAGE);
    return tf.findBackend("tensorflow") !== null;
  } catch {
    return false;
  }
}

async function activateWasm(): Promise<BackendName> {
  if (!wasmPathsSet) {
    setWasmPaths(`${locateWasmDirectory()}${path.sep}`);
    wasmPathsSet = true;
  }
  registerWasmTrainingKernels();
  return activate("wasm");
}

async function activate(name: BackendName): Promise<BackendName> {
  if (!(await tf.setBackend(name))) throw new Error(`the ${name} backend failed to initialize`);
  await tf.ready();
  return name;
}

/** Directory holding the .wasm binaries: resolved through Node's module resolution, else under the working directory. */
export function locateWasmDirectory(): string {
  const candidates: string[] = [];
  try {
    const require = createRequire(import.meta.url);
    candidates.push(path.join(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist"));
  } catch {
    // Bundled code may have no resolvable import.meta.url; the working directory below still works.
  }
  candidates.push(path.join(process.cwd(), "node_modules", "@tensorflow", "tfjs-backend-wasm", "dist"));
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, WASM_BINARY)));
  if (!found) throw new Error(`cannot find ${WASM_BINARY}; looked in ${candidates.join(", ")}`);
  return found;
}

function describeChoice(name: BackendName): string {
  if (name === "wasm") return " (tfjs-node unavailable; wasm training kernels registered)";
  if (name === "cpu") return " (forced; pure JavaScript, slow)";
  return "";
}
