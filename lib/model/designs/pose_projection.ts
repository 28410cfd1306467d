/**
 * The zero-initialised pose projection: the pose latents [B, k·C, F, H, W]
 * (the design's pose videos concatenated along channels) go through their own
 * patch embedding `pose_patch_embedding` and the Linear `pose_proj`, whose
 * weight and bias start at zero, and the result is ADDED to the video tokens.
 * At step 0 the pose branch therefore adds exactly nothing and the design
 * equals its foundation. (`pose_proj`'s zeros are set with the design's other
 * new parameters in `_init_values.ts`.)
 *
 * References: RealisDance-DiT (arXiv 2504.14977) §3; damo-cv/RealisDance
 * `src/models/rd_dit.py` (`add_proj = zero_module(nn.Linear(...))`,
 * `hidden_states + add_proj(add_cond)`); ControlNet (arXiv 2302.05543) §3
 * (zero convolutions).
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import { linear, type ParamMap } from "../_nn.ts";
import { patchEmbed } from "../patch_embed.ts";

/**
 * @param params the design's parameters (with `pose_patch_embedding.*` and `pose_proj.*`)
 * @param pose the pose latents [B, k·C, F, H, W]
 * @returns `wanForward`'s `addTokens` [B, L, dim]
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { buildDesign } from "./build_design.ts";
 * import { poseProjection } from "./pose_projection.ts";
 * import { initWanParams } from "../init_wan_params.ts";
 * import { MODEL_PRESETS } from "../model_presets.ts";
 * import { Prng } from "../../random/mod.ts";
 * const cfg = MODEL_PRESETS["wan-smoke"];
 * const design = { kind: "concat", shiftedRope: true, frameShift: false, poses: ["hands"] } as const;
 * const { params } = buildDesign({ cfg, params: initWanParams(cfg, { prng: new Prng(0) }) }, design, { prng: new Prng(1) });
 * const added = poseProjection(params, tf.ones([1, 4, 2, 4, 4]));
 * console.log(added.shape, tf.max(tf.abs(added)).dataSync()[0]); // [1, 8, 32] 0
 * ```
 */
export function poseProjection(params: ParamMap, pose: tf.Tensor): tf.Tensor {
  const { tokens } = patchEmbed(params, pose, { prefix: "pose_patch_embedding" }); // (B, L, dim)
  return linear(params, "pose_proj", tokens); // (B, L, dim)
}
