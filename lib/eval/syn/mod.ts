/**
 * The offline `-syn` evaluation: small image and video feature networks
 * trained by this workbench on its synthetic corpus (stand-ins for
 * Inception/I3D/DINO/CLIP/DreamSim, always reported with a `-syn` suffix),
 * mask-based character crops and background views, the `-syn` metrics, the
 * recalibrated `-classical` VBench dimensions, and the paper's table columns.
 *
 * Not re-exported here (they depend on datasets/synthetic):
 * synthetic_reference_images.ts and train_feature_nets.ts (trained by
 * `deno task ablate feature_nets`, experiments/feature_nets.ts).
 *
 * @module
 */
export { SYN_NET_PRESETS } from "./syn_net_config.ts";
export type { SynImageConfig, SynNetConfig, SynVideoConfig } from "./syn_net_config.ts";
export { initSynNetParams } from "./init_syn_net_params.ts";
export type { InitSynNetParamsOptions } from "./init_syn_net_params.ts";
export { synImageForward } from "./syn_image_forward.ts";
export type { SynForwardResult, SynImageForwardOptions } from "./syn_image_forward.ts";
export { synVideoForward } from "./syn_video_forward.ts";
export type { SynVideoForwardOptions } from "./syn_video_forward.ts";
export { synFeatureNetwork } from "./syn_feature_network.ts";
export type { SynFeatureNetworkOptions } from "./syn_feature_network.ts";
export { synLpipsExtractor } from "./syn_lpips_extractor.ts";
export type { SynLpipsExtractorOptions } from "./syn_lpips_extractor.ts";
export { saveSynNetwork, SYN_NETWORK_FORMAT } from "./save_syn_network.ts";
export type { SaveSynNetworkOptions } from "./save_syn_network.ts";
export { loadSynNetwork } from "./load_syn_network.ts";
export type { LoadedSynNetwork } from "./load_syn_network.ts";
export { DEFAULT_FEATURE_NETS_DIR, loadSynNetworks, SYN_FILES } from "./load_syn_networks.ts";
export type { LoadSynNetworksOptions, SynNetworks } from "./load_syn_networks.ts";
export { CALIBRATION_FORMAT, readClassicalCalibration } from "./classical_calibration.ts";
export type { CalibrationEntry, ClassicalCalibration, SeparationStats } from "./classical_calibration.ts";
export { selectCalibration } from "./select_calibration.ts";
export type { SelectedCalibration } from "./select_calibration.ts";
export { calibrateDynamicDegree, separationAt } from "./calibrate_dynamic_degree.ts";
export type { CalibrateDynamicDegreeOptions } from "./calibrate_dynamic_degree.ts";
export { calibratedDynamicDegree } from "./calibrated_dynamic_degree.ts";
export type { CalibratedDynamicDegreeOptions, CalibratedDynamicDegreeResult } from "./calibrated_dynamic_degree.ts";
export { calibratedMotionSmoothness } from "./calibrated_motion_smoothness.ts";
export type {
  CalibratedMotionSmoothnessOptions,
  CalibratedMotionSmoothnessResult,
} from "./calibrated_motion_smoothness.ts";
export { toMaskBatch } from "./masked_videos.ts";
export type { MaskBatch, MaskedVideos, ReferenceImages } from "./masked_videos.ts";
export { maskUnion } from "./mask_union.ts";
export type { MaskUnionOptions } from "./mask_union.ts";
export { characterCrops } from "./character_crops.ts";
export type { CharacterCropsOptions } from "./character_crops.ts";
export { backgroundCrops } from "./background_crops.ts";
export type { BackgroundCropsOptions } from "./background_crops.ts";
export { subjectConsistencySyn } from "./subject_consistency_syn.ts";
export type { SynConsistencyOptions } from "./subject_consistency_syn.ts";
export { backgroundConsistencySyn } from "./background_consistency_syn.ts";
export { i2vSubjectSyn } from "./i2v_subject_syn.ts";
export { i2vBackgroundSyn } from "./i2v_background_syn.ts";
export { sampleDiversitySyn } from "./sample_diversity_syn.ts";
export type { SampleDiversitySynOptions } from "./sample_diversity_syn.ts";
export { fidSyn } from "./fid_syn.ts";
export type { FidSynOptions } from "./fid_syn.ts";
export { fvdSyn } from "./fvd_syn.ts";
export type { FvdSynOptions } from "./fvd_syn.ts";
export { lpipsSyn } from "./lpips_syn.ts";
export type { LpipsSynOptions } from "./lpips_syn.ts";
export { PAPER_COLUMNS, paperColumns, TIKTOK_COLUMNS, VBENCH_I2V_COLUMNS } from "./paper_columns.ts";
export type { PaperColumn, PaperColumnsInput, PaperColumnsOptions, PaperColumnsResult } from "./paper_columns.ts";
