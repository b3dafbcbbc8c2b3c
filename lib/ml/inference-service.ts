import path from "node:path";
import { Worker } from "node:worker_threads";
import { AppError, type ErrorCode } from "../errors";
import type { LoadOptions, Prediction, PredictPhoto } from "./appraisal-model";
import type { ModelCard } from "./model-card";

/** Inference off the event loop: N worker threads, each with its own warm model; requests go to the least busy. */

export interface InferenceService {
  card: ModelCard;
  predict(photos: PredictPhoto[]): Promise<Prediction>;
  dispose(): Promise<void>;
}

export interface ServiceOptions extends LoadOptions {
  workers?: number;
}

type WorkerMessage =
  | { type: "ready"; card: ModelCard }
  | { type: "failed"; error: SerializedError }
  | { type: "result"; id: number; prediction?: Prediction; error?: SerializedError };

interface SerializedError {
  code: ErrorCode;
  message: string;
  field?: string;
}

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve(p: Prediction): void; reject(e: unknown): void }>;
}

/** The worker entry, resolved from the working directory so it works from tsx CLIs and from the Next.js server. */
export function workerEntryPath(): string {
  return path.resolve(process.cwd(), "lib/ml/inference-worker.mjs");
}

/** Starts `workers` threads (default 1) that each load `modelDir`; resolves when all are warm. */
export async function createInferenceService(
  modelDir: string,
  options: ServiceOptions = {},
): Promise<InferenceService> {
  const { workers = 1, ...loadOptions } = options;
  const absDir = path.resolve(modelDir);
  const slots: Slot[] = [];
  let card: ModelCard | undefined;
  try {
    for (let i = 0; i < Math.max(1, workers); i++) {
      const worker = new Worker(workerEntryPath(), { workerData: { modelDir: absDir, options: loadOptions } });
      const slot: Slot = { worker, pending: new Map() };
      slots.push(slot);
      card = await waitReady(worker);
      worker.on("message", (msg: WorkerMessage) => {
        if (msg.type !== "result") return;
        const p = slot.pending.get(msg.id);
        if (!p) return;
        slot.pending.delete(msg.id);
        if (msg.error) p.reject(toError(msg.error));
        else if (msg.prediction) p.resolve(msg.prediction);
      });
      worker.on("error", (err) => failAll(slot, err));
      worker.on("exit", () => failAll(slot, new AppError("unavailable", "an inference worker exited")));
    }
  } catch (err) {
    await Promise.all(slots.map((s) => s.worker.terminate()));
    throw err;
  }
  let nextId = 0;
  let disposed = false;
  return {
    card: card as ModelCard,
    predict(photos) {
      if (disposed) return Promise.reject(new AppError("unavailable", "the inference service has been disposed"));
      const slot = slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        slot.worker.postMessage({ type: "predict", id, photos });
      });
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await Promise.all(
        slots.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.worker.once("exit", () => resolve());
              s.worker.postMessage({ type: "stop" });
              // A worker stuck in a long computation is terminated rather than waited for.
              setTimeout(() => void s.worker.terminate(), 5000).unref();
            }),
        ),
      );
    },
  };
}

function waitReady(worker: Worker): Promise<ModelCard> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: WorkerMessage) => {
      if (msg.type === "ready") {
        cleanup();
        resolve(msg.card);
      } else if (msg.type === "failed") {
        cleanup();
        reject(toError(msg.error));
      }
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`inference worker exited with code ${code} before it was ready`));
    };
    const cleanup = () => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
    };
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
  });
}

function failAll(slot: Slot, err: unknown): void {
  for (const p of slot.pending.values()) p.reject(err);
  slot.pending.clear();
}

function toError(e: SerializedError): Error {
  return e.code === "internal" ? new Error(e.message) : new AppError(e.code, e.message, { field: e.field });
}
