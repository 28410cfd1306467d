/**
 * The generator of the synthetic open-world character-animation corpus: a
 * clip spec (characters, motions, objects, scene, camera, light) sampled from
 * a seed, the body model and its forward kinematics, and the rendering of a
 * deterministic clip with RGB frames, reference image, DWPose/HaMeR/SMPL-CS
 * style pose conditions, masks, keypoints, captions and categories; contact
 * sheets of clips. The sets built from it, their cache and the evaluation
 * manifest are in datasets/synthetic.
 *
 * @module
 */
export { GENERATOR_VERSION } from "./version.ts";
export { CATEGORIES, clipCategories, STYLES } from "./clip_spec.ts";
export type { Category, ClipSpec, PersonSpec, Style } from "./clip_spec.ts";
export { CLIP_DURATION, DEFAULT_RATES, sampleClipSpec } from "./sample_clip_spec.ts";
export type { CategoryRates, SampleClipSpecOptions } from "./sample_clip_spec.ts";
export { assertClipSize, generateClip, MAX_OBJECT_PARTS } from "./generate_clip.ts";
export type { ClipSize, GenerateClipOptions, SyntheticClip, SyntheticMeta } from "./generate_clip.ts";
export { CAPTION_VOCABULARY, captionClip, STYLE_WORDS } from "./caption_clip.ts";
export { clipStrip, STRIP_COLUMNS, writeClipStrip } from "./clip_strip.ts";
export type { ClipStripOptions } from "./clip_strip.ts";
export { categoryGrid } from "./category_grid.ts";
export type { CategoryGrid, CategoryGridOptions } from "./category_grid.ts";
export { DRAWN_LIMBS, drawOpenPoseBody, OPENPOSE_COLORS, OPENPOSE_LIMBS } from "./draw_openpose_body.ts";
export { renderCapsules } from "./render_capsules.ts";
export type { Capsule, CapsuleScene } from "./render_capsules.ts";
export { COCO18, KEYPOINTS_PER_PERSON, LEFT_HAND_OFFSET, projectKeypoints, RIGHT_HAND_OFFSET } from "./keypoints.ts";
export type { KeypointTarget } from "./keypoints.ts";
export { DOF, forwardKinematics, J, joint, JOINTS, LEFT_HAND, POSE_DOFS, RIGHT_HAND } from "./forward_kinematics.ts";
export type { PoseDof, Skeleton } from "./forward_kinematics.ts";
export { makeBodyShape } from "./body_shape.ts";
export type { BodyShape, BodyShapeParams } from "./body_shape.ts";
export { MOTION_FAMILIES, MOTION_KINDS, poseAt, sampleMotion } from "./motion.ts";
export type { MotionFamily, MotionKind, MotionSpec } from "./motion.ts";
export { ballAt, ballBounces, GRAVITY, HELD_OBJECTS, heldObjectGrip, heldObjectParts } from "./objects.ts";
export type { BallSpec, Bounce, HeldObjectSpec } from "./objects.ts";
export { cameraAt, lightDirAt, project } from "./scene.ts";
export type { CameraFrame, CameraSpec, LightSpec } from "./scene.ts";
