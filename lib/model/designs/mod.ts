/**
 * The conditioning designs of the RealisDance-DiT ablation on the Wan DiT:
 * the concat design (reference tokens with shifted RoPE, pose tokens through
 * a zero-initialised projection), Reference Net and light Reference Net
 * baselines, fine-tuning scopes (full, part, LoRA adapters with merge and
 * unmerge), condition dropping, guidance, and memory accounting.
 *
 * @module
 */
export { buildDesign } from "./build_design.ts";
export type { BuildDesignOptions, DesignModel } from "./build_design.ts";
export { checkMemoryBudget, MemoryBudgetError } from "./check_memory_budget.ts";
export { concatPoses } from "./concat_poses.ts";
export { concatReference } from "./concat_reference.ts";
export type { ConcatReferenceOptions } from "./concat_reference.ts";
export { countDesignParams } from "./count_design_params.ts";
export type { CountDesignParamsOptions } from "./count_design_params.ts";
export { checkDesignConfig, POSE_NAMES } from "./design_config.ts";
export type { CheckDesignConfigOptions, DesignConfig, DesignKind, FinetuneScope, PoseName } from "./design_config.ts";
export { designForward } from "./design_forward.ts";
export type { DesignInputs } from "./design_forward.ts";
export { designGuidance } from "./design_guidance.ts";
export type { DesignGuidance, DesignGuidanceOptions } from "./design_guidance.ts";
export { designModelFn } from "./design_model_fn.ts";
export { designParamShapes } from "./design_param_shapes.ts";
export type { DesignParamShapesOptions } from "./design_param_shapes.ts";
export { DESIGN_PRESETS, getDesignPreset } from "./design_presets.ts";
export type { DesignPreset, DesignPresetName } from "./design_presets.ts";
export { dropConditions } from "./drop_conditions.ts";
export type { DropConditionsOptions, DroppedConditions } from "./drop_conditions.ts";
export { checkLoraConfig, LORA_SELF_ATTENTION, LORA_TARGETS, loraOfScope, loraParamShapes, loraTargetShape } from "./lora_config.ts";
export type { LoraConfig, LoraTarget } from "./lora_config.ts";
export { mergeLora } from "./merge_lora.ts";
export { unmergeLora } from "./unmerge_lora.ts";
export { parseByteSize } from "./parse_byte_size.ts";
export { poseProjection } from "./pose_projection.ts";
export { predictTrainingBytes } from "./predict_training_bytes.ts";
export type { PredictTrainingBytesOptions } from "./predict_training_bytes.ts";
export { shiftedRopePositions } from "./shifted_rope_positions.ts";
export type { ShiftedRopePositionsOptions } from "./shifted_rope_positions.ts";
export { resolveTrainable } from "./resolve_trainable.ts";
export { referenceAttentionMass } from "./reference_attention_mass.ts";
export type { ReferenceAttentionMass } from "./reference_attention_mass.ts";
export type { DesignForwardHooks } from "./design_forward.ts";
