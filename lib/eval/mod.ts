/**
 * Evaluation: exact metrics (SSIM, PSNR, temporal flickering, Fréchet
 * distance), feature-network plumbing (FID, FVD, LPIPS), VBench aggregations
 * and classical optical-flow fallbacks. Metrics are pure functions over saved
 * videos [N, F, H, W, C] in [0, 1] (or uint8).
 */
export { toVideo } from "./video.ts";
export type { Video, VideoLike } from "./video.ts";
export { toFeatures } from "./features.ts";
export type { Features, FeaturesLike } from "./features.ts";
export { ssim } from "./ssim.ts";
export type { SsimOptions } from "./ssim.ts";
export { psnr } from "./psnr.ts";
export type { PsnrOptions } from "./psnr.ts";
export { temporalFlickering } from "./temporal_flickering.ts";
export type { TemporalFlickeringOptions } from "./temporal_flickering.ts";
export { gaussianStats } from "./gaussian_stats.ts";
export type { GaussianStats, GaussianStatsOptions } from "./gaussian_stats.ts";
export { frechetDistance } from "./frechet_distance.ts";
export type { FrechetDistanceOptions } from "./frechet_distance.ts";
export { frechetDistanceFromStats } from "./frechet_distance_from_stats.ts";
export type { FrechetFromStatsOptions } from "./frechet_distance_from_stats.ts";
