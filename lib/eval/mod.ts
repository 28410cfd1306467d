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
export { maskedPsnr } from "./masked_psnr.ts";
export type { MaskedPsnrOptions } from "./masked_psnr.ts";
export { temporalFlickering } from "./temporal_flickering.ts";
export type { TemporalFlickeringOptions } from "./temporal_flickering.ts";
export { seamContinuity } from "./seam_continuity.ts";
export type { SeamContinuity, SeamContinuityOptions } from "./seam_continuity.ts";
export { gaussianStats } from "./gaussian_stats.ts";
export type { GaussianStats, GaussianStatsOptions } from "./gaussian_stats.ts";
export { frechetDistance } from "./frechet_distance.ts";
export type { FrechetDistanceOptions } from "./frechet_distance.ts";
export { frechetDistanceFromStats } from "./frechet_distance_from_stats.ts";
export type { FrechetFromStatsOptions } from "./frechet_distance_from_stats.ts";
export type { FrameFeatures, VbenchScore } from "./features.ts";
export type { FeatureNetwork, NetworkSpec, PixelNormalization } from "./feature_network.ts";
export { preprocessPixels } from "./preprocess_pixels.ts";
export { loadGraphModelNetwork } from "./load_graph_model_network.ts";
export type { GraphModelNetworkOptions } from "./load_graph_model_network.ts";
export { loadOnnxNetwork, ONNXRUNTIME_SPECIFIER } from "./load_onnx_network.ts";
export type { OnnxNetworkOptions } from "./load_onnx_network.ts";
export { featureNetworkFromParams } from "./feature_network_from_params.ts";
export type { ParamsForward } from "./feature_network_from_params.ts";
export { NETWORK_PRESETS } from "./network_presets.ts";
export { embedVideos } from "./embed_videos.ts";
export type { EmbedVideosOptions } from "./embed_videos.ts";
export { fid } from "./fid.ts";
export type { FidOptions } from "./fid.ts";
export { fvd } from "./fvd.ts";
export type { FvdOptions } from "./fvd.ts";
export { lpips } from "./lpips.ts";
export type { LpipsExtractor, LpipsOptions } from "./lpips.ts";
export { i2vConsistency } from "./i2v_consistency.ts";
export { keypointError } from "./keypoint_error.ts";
export { keypointsFound } from "./keypoints_found.ts";
export type { KeypointScores } from "./keypoints_found.ts";
export type { FoundationScore, VideoScores } from "./foundation_score.ts";
export type { KeypointDetection, KeypointErrorOptions, KeypointErrorResult, KeypointTruth } from "./keypoint_error.ts";
export { featureConsistency } from "./feature_consistency.ts";
export { videoFrame } from "./frame.ts";
export type { FlowField, FlowFn, Frame, InterpolateFn } from "./frame.ts";
export { dynamicDegree } from "./dynamic_degree.ts";
export type { DynamicDegreeOptions, DynamicDegreeResult } from "./dynamic_degree.ts";
export { motionSmoothness } from "./motion_smoothness.ts";
export type { MotionSmoothnessOptions } from "./motion_smoothness.ts";
export { lucasKanadeFlow } from "./lucas_kanade_flow.ts";
export type { LucasKanadeOptions } from "./lucas_kanade_flow.ts";
export { flowInterpolate } from "./flow_interpolate.ts";
export type { FlowInterpolateOptions } from "./flow_interpolate.ts";
export { dynamicDegreeClassical } from "./dynamic_degree_classical.ts";
export type { DynamicDegreeClassicalOptions } from "./dynamic_degree_classical.ts";
export { motionSmoothnessClassical } from "./motion_smoothness_classical.ts";
export type { MotionSmoothnessClassicalOptions } from "./motion_smoothness_classical.ts";
// The offline -syn networks and metrics, recalibrated -classical dimensions, the paper's table columns.
export * from "./syn/mod.ts";
