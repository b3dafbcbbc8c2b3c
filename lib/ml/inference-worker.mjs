// Worker-thread entry: lets a plain Node worker run the TypeScript inference worker, both under tsx CLIs
// and inside the Next.js server (tsx is a runtime dependency).
import { register } from "tsx/esm/api";

register();
await import("./inference-worker.ts");
