/**
 * Concatenation of the reference latent along the sequence (the concat
 * design): the reference latent [B, C, F', H', W'] goes through its own patch
 * embedding `ref_patch_embedding`, and its tokens are appended after the video
 * tokens at the spatially shifted RoPE positions of
 * {@link shiftedRopePositions}. They pass every block (same timestep
 * modulation, text cross-attention) and are dropped before the head, which
 * `wanForward` does for any `extraTokens`.
 *
 * References: RealisDance-DiT (arXiv 2504.14977) §3; damo-cv/RealisDance
 * `src/models/rd_dit.py` (`RealisDanceDiT.forward`: `attn_cond =
 * attn_conv_in(ref_latents)`, `cat([hidden_states, attn_cond], dim=1)`, the
 * output sliced to the video tokens).
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { ParamMap } from "../_nn.ts";
import { patchEmbed } from "../patch_embed.ts";
import { shiftedRopePositions, type ShiftedRopePositionsOptions } from "./shifted_rope_positions.ts";

/** Options of {@link concatReference}. */
export interface ConcatReferenceOptions extends ShiftedRopePositionsOptions {
  /** The video patch grid (F, H, W) the reference is placed past. */
  videoGrid: readonly [number, number, number];
}

/**
 * @param params the design's parameters (with `ref_patch_embedding.*`)
 * @param reference the reference latent [B, C, F', H', W']
 * @param options the video grid and the shifts
 * @returns `wanForward`'s `extraTokens`: tokens [B, F'·H'·W', dim] and their positions [F'·H'·W', 3]
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { buildDesign } from "./build_design.ts";
 * import { concatReference } from "./concat_reference.ts";
 * import { initWanParams } from "../init_wan_params.ts";
 * import { MODEL_PRESETS } from "../model_presets.ts";
 * import { Prng } from "../../random/mod.ts";
 * const cfg = MODEL_PRESETS["wan-smoke"];
 * const design = { kind: "concat", shiftedRope: true, frameShift: false, poses: [] } as const;
 * const { params } = buildDesign({ cfg, params: initWanParams(cfg, { prng: new Prng(0) }) }, design, { prng: new Prng(1) });
 * const { tokens, positions } = concatReference(params, tf.zeros([1, 4, 1, 2, 4]), { videoGrid: [2, 2, 2], shiftedRope: true });
 * console.log(tokens.shape, Array.from(positions)); // [1, 2, 32] [0, 2, 2, 0, 2, 3]
 * ```
 */
export function concatReference(
  params: ParamMap,
  reference: tf.Tensor,
  options: ConcatReferenceOptions,
): { tokens: tf.Tensor; positions: Int32Array } {
  const { tokens, grid } = patchEmbed(params, reference, { prefix: "ref_patch_embedding" }); // (B, L', dim)
  const positions = shiftedRopePositions(
    { video: options.videoGrid, reference: grid },
    { shiftedRope: options.shiftedRope, frameShift: options.frameShift },
  );
  return { tokens, positions };
}
