import fs from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { initBackend, locateWasmDirectory } from "@/lib/ml/backend";

// Backend selection without tfjs-node (absent here): wasm by default, forced backends on request, one log line each.

describe("initBackend", () => {
  it("finds the wasm binaries locally", () => {
    expect(fs.existsSync(path.join(locateWasmDirectory(), "tfjs-backend-wasm-simd.wasm"))).toBe(true);
  });

  it("falls back to wasm with the training kernels, logs once, and switches on request", async () => {
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    expect(await initBackend({ log })).toBe("wasm");
    expect(await initBackend({ log })).toBe("wasm");
    expect(tf.getKernel("Conv2DBackpropFilter", "wasm")).toBeDefined();
    expect(await initBackend({ backend: "cpu", log })).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
    expect(await initBackend({ backend: "wasm", log })).toBe("wasm");
    expect(tf.getBackend()).toBe("wasm");
    // vitest gives each test file fresh modules, so these are the process's first choices: one line each.
    expect(lines.filter((l) => l.includes("backend: wasm"))).toHaveLength(1);
    expect(lines.filter((l) => l.includes("backend: cpu"))).toHaveLength(1);
  });

  it("says so when native TensorFlow is forced but not installed", async () => {
    await expect(initBackend({ backend: "tensorflow", log: () => {} })).rejects.toThrow(/tfjs-node/);
    expect(await initBackend({ backend: "wasm", log: () => {} })).toBe("wasm");
  });
});
