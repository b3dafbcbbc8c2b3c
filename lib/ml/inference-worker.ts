import { parentPort, workerData } from "node:worker_threads";
import { isAppError } from "../errors";
import { type AppraisalModel, type LoadOptions, load, type PredictPhoto } from "./appraisal-model";

/** One inference worker: loads the model, then answers predict messages until told to stop. */

interface WorkerInit {
  modelDir: string;
  options: LoadOptions;
}

type Request = { type: "predict"; id: number; photos: PredictPhoto[] } | { type: "stop" };

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error("inference-worker must run in a worker thread");
  const init = workerData as WorkerInit;
  let model: AppraisalModel;
  try {
    model = await load(init.modelDir, init.options);
  } catch (err) {
    port.postMessage({ type: "failed", error: serializeError(err) });
    return;
  }
  port.postMessage({ type: "ready", card: model.card });
  port.on("message", (msg: Request) => {
    if (msg.type === "stop") {
      model.dispose();
      port.close();
      return;
    }
    model.predict(msg.photos).then(
      (prediction) => port.postMessage({ type: "result", id: msg.id, prediction }),
      (err) => port.postMessage({ type: "result", id: msg.id, error: serializeError(err) }),
    );
  });
}

function serializeError(err: unknown) {
  if (isAppError(err)) return { code: err.code, message: err.message, field: err.field };
  return { code: "internal", message: err instanceof Error ? err.message : String(err) };
}

void main();
