/** TensorFlow.js set-up and backend choice; the OpenBLAS "blas" backend and its fused ops. */
export { BACKENDS, initEngine } from "./init_engine.ts";
export type { BackendName, EngineInfo, EngineOptions } from "./init_engine.ts";
export { BLAS_BACKEND_NAME, registerBlasBackend } from "./blas_backend.ts";
export type { BlasBackendOptions, BlasInfo } from "./blas_backend.ts";
export { ensureOpenBlas } from "./ensure_open_blas.ts";
export type { EnsureOpenBlasOptions } from "./ensure_open_blas.ts";
export { profileKernels } from "./profile_kernels.ts";
export type { KernelProfile, KernelTime, ProfileOptions } from "./profile_kernels.ts";
export { geluTanh } from "./gelu_tanh.ts";
export { fusedAttention } from "./fused_attention.ts";
export type { FusedAttentionOptions } from "./fused_attention.ts";
export { fusedLayerNorm } from "./fused_layer_norm.ts";
export type { LayerNormOptions } from "./fused_layer_norm.ts";
export { fusedRmsNorm } from "./fused_rms_norm.ts";
export type { RmsNormOptions } from "./fused_rms_norm.ts";
