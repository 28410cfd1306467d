/**
 * A causal 3D video VAE in the style of Wan 2.1: pixels [B, 3, F, H, W] in
 * [−1, 1] ⇄ latents [B, zDim, 1 + (F−1)/temporal, H/spatial, W/spatial].
 *
 * @module
 */
export type { DiagonalGaussian, LatentStats, Vae, VaeConfig, VaeParams } from "./vae_config.ts";
export { VAE_PRESETS } from "./vae_presets.ts";
export type { VaePresetName } from "./vae_presets.ts";
export { vaeCompression } from "./vae_compression.ts";
export { latentMask } from "./latent_mask.ts";
export type { VaeCompression } from "./vae_compression.ts";
export { vaeParamShapes } from "./vae_param_shapes.ts";
export { initVaeParams } from "./init_vae_params.ts";
export type { InitVaeParamsOptions } from "./init_vae_params.ts";
export { vaeEncode } from "./vae_encode.ts";
export { vaeSample } from "./vae_sample.ts";
export type { VaeSampleOptions } from "./vae_sample.ts";
export { vaeDecode } from "./vae_decode.ts";
export type { VaeDecodeOptions } from "./vae_decode.ts";
export { normalizeLatents } from "./normalize_latents.ts";
export { denormalizeLatents } from "./denormalize_latents.ts";
export { vaeLoss } from "./vae_loss.ts";
export type { VaeLossOptions, VaeLossResult } from "./vae_loss.ts";
export { computeLatentStats } from "./compute_latent_stats.ts";
export { reconstructionPsnr } from "./reconstruction_psnr.ts";
export { VAE_FILES, saveVae } from "./save_vae.ts";
export { loadVae } from "./load_vae.ts";
export { WAN21_LATENT_STATS } from "./wan21_latent_stats.ts";
