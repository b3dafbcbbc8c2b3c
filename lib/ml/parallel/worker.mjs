// Worker-thread entry: registers tsx so a plain Node worker can run the TypeScript worker module (tsx is a runtime
// dependency), then hands over.
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
