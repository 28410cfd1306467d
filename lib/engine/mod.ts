/** TensorFlow.js set-up and backend choice. */
export { BACKENDS, initEngine } from "./init_engine.ts";
export type { BackendName, EngineInfo, EngineOptions } from "./init_engine.ts";
