/**
 * The webgpu checks' cpu reference uses the corrected
 * ResizeNearestNeighborGrad, which the engine now registers for cpu and blas
 * at start-up (lib/engine/_resize_nearest_grad.ts); re-registering is
 * idempotent and keeps these subprocess checks explicit about it.
 */
export { fixCpuResizeNearestNeighborGrad } from "../../../lib/engine/_resize_nearest_grad.ts";
