/**
 * The Wan-2.1 video DiT (t2v) with exact state-dict names, its presets,
 * checkpoint I/O (Wan and diffusers naming), and a small umT5-style text
 * encoder with a word tokenizer for the small presets.
 *
 * @module
 */
export { applyRope } from "./apply_rope.ts";
export { attention } from "./attention.ts";
export type { AttentionOptions } from "./attention.ts";
export { configFromJson } from "./config_from_json.ts";
export type { CheckpointFormat, ConfigFromJsonOptions } from "./config_from_json.ts";
export { countParams } from "./count_params.ts";
export { diffusersToWanName, wanToDiffusersName } from "./diffusers_name_map.ts";
export { initTextEncoderParams, textEncoderParamSpecs } from "./init_text_encoder_params.ts";
export type { InitTextEncoderParamsOptions } from "./init_text_encoder_params.ts";
export { initWanParams } from "./init_wan_params.ts";
export type { InitWanParamsOptions } from "./init_wan_params.ts";
export { loadWanCheckpoint } from "./load_wan_checkpoint.ts";
export type { LoadedWanCheckpoint, LoadWanCheckpointOptions } from "./load_wan_checkpoint.ts";
export { getPreset, MODEL_PRESETS } from "./model_presets.ts";
export type { PresetName } from "./model_presets.ts";
export { patchEmbed } from "./patch_embed.ts";
export { preflightWan } from "./preflight_wan.ts";
export type { BufferEstimate, PreflightWanOptions } from "./preflight_wan.ts";
export type { PatchEmbedOptions, PatchEmbedOutput } from "./patch_embed.ts";
export { ropePositions } from "./rope_positions.ts";
export type { RopePositionsOptions } from "./rope_positions.ts";
export { ropeSplit, ropeTables } from "./rope_tables.ts";
export type { RopeTables, RopeTablesOptions } from "./rope_tables.ts";
export { saveWanCheckpoint } from "./save_wan_checkpoint.ts";
export type { SaveWanCheckpointOptions } from "./save_wan_checkpoint.ts";
export { sinusoidalEmbedding } from "./sinusoidal_embedding.ts";
export { encodeText } from "./text_encoder.ts";
export type { EncodeTextOptions } from "./text_encoder.ts";
export { TEXT_ENCODER_PRESETS } from "./text_encoder_presets.ts";
export type { TextEncoderConfig } from "./text_encoder_presets.ts";
export { textEmbedding } from "./text_embedding.ts";
export type { TextEmbeddingOptions } from "./text_embedding.ts";
export { timeEmbedding } from "./time_embedding.ts";
export type { TimeEmbeddingOptions, TimeEmbeddingOutput } from "./time_embedding.ts";
export { unpatchify } from "./unpatchify.ts";
export type { UnpatchifyOptions } from "./unpatchify.ts";
export { wanBlock } from "./wan_block.ts";
export type { WanBlockOptions } from "./wan_block.ts";
export { checkWanConfig } from "./wan_config.ts";
export type { WanConfig } from "./wan_config.ts";
export { crossAttentionKV, wanCrossAttention } from "./wan_cross_attention.ts";
export { TextKVCache } from "./text_kv_cache.ts";
export type { WanCrossAttentionOptions } from "./wan_cross_attention.ts";
export { wanForward } from "./wan_forward.ts";
export type { WanForwardOptions, WanInputs } from "./wan_forward.ts";
export { wanHead } from "./wan_head.ts";
export type { WanHeadOptions } from "./wan_head.ts";
export type { Params, WanModel } from "./wan_model.ts";
export { wanModelFn } from "./wan_model_fn.ts";
export type { Cond, ModelFn } from "../diffusion/types.ts";
export { wanParamShapes } from "./wan_param_shapes.ts";
export { wanSelfAttention } from "./wan_self_attention.ts";
export type { KeyValue, KVCapture, WanSelfAttentionOptions } from "./wan_self_attention.ts";
export { WordTokenizer } from "./word_tokenizer.ts";
export type { FromCaptionsOptions, WordTokenizerJson } from "./word_tokenizer.ts";
// The conditioning designs of the RealisDance-DiT ablation (lib/model/designs).
export * from "./designs/mod.ts";
