/**
 * The forward pass of a design: the Wan DiT with the design's conditioning.
 *
 * - pose: the pose latents [B, k·C, F, H, W] are ADDED to the video tokens
 *   through the zero-initialised projection of {@link poseProjection};
 * - concat: the reference latent [B, C, 1, H', W'] is concatenated along the
 *   sequence by {@link concatReference} (its own patch embedding, spatially
 *   shifted RoPE positions, dropped before the head);
 * - reference nets: the reference net's per-block hidden states become extra
 *   keys/values of the denoising self-attention.
 * - LoRA (a model built for a `{ lora }` scope): every adapted weight is used
 *   as W + (α/r)·B·A ({@link mergeLora}), the same sum a merged checkpoint holds.
 * Without `reference` the reference branch is absent (no tokens, no reference net).
 *
 * References: RealisDance-DiT (arXiv 2504.14977) §3; damo-cv/RealisDance
 * `src/models/rd_dit.py` (`RealisDanceDiT.forward`: `hidden_states +
 * add_proj(add_cond)`, `cat([hidden_states, attn_cond], dim=1)`, output sliced
 * to the video tokens); Animate Anyone (arXiv 2311.17117) §3.2; Hu et al.
 * 2021, "LoRA" §4.1.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { param, type ParamMap } from "../_nn.ts";
import type { WanConfig } from "../wan_config.ts";
import type { KVCapture } from "../wan_self_attention.ts";
import type { TextKVCache } from "../text_kv_cache.ts";
import { wanForward, type WanForwardOptions } from "../wan_forward.ts";
import { checkDesignConfig, type DesignConfig } from "./design_config.ts";
import { concatReference } from "./concat_reference.ts";
import { poseProjection } from "./pose_projection.ts";
import type { LoraConfig } from "./lora_config.ts";
import { mergeLora } from "./merge_lora.ts";
import { referenceNetKV } from "./_reference_net.ts";

/** Inputs of {@link designForward}. */
export interface DesignInputs {
  /** Noisy latents [B, C, F, H, W]. */
  x: tf.Tensor;
  /** Timesteps [B] in 0..1000. */
  t: tf.Tensor | ArrayLike<number>;
  /** Text features [B, Lc, text_dim]. */
  context: tf.Tensor;
  /** Reference latent [B, C, F', H', W'] (F' = 1 for one image); omitted = reference branch absent. */
  reference?: tf.Tensor;
  /** Pose latents [B, k·C, F, H, W] in the design's `poses` order; required iff the design has poses. */
  pose?: tf.Tensor;
}

/** Diagnostics of {@link designForward}. */
export interface DesignForwardHooks {
  /** Per denoising block: filled with its self-attention q (with `withQuery`), k and v over all its tokens (kept; the caller disposes). */
  captureKV?: ReadonlyArray<KVCapture | undefined>;
  /** Keeps the text side's cross-attention K/V between calls on one context (outside gradients; see TextKVCache). */
  textCache?: TextKVCache;
}

/**
 * @param model the design, its configuration and parameters (foundation and new), e.g. from `buildDesign`
 * @param inputs x, t, context, reference, pose
 * @param hooks diagnostics: capture each block's self-attention q/k/v
 * @returns the prediction [B, out_dim, F, H, W]
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { buildDesign } from "./build_design.ts";
 * import { designForward } from "./design_forward.ts";
 * import { initWanParams } from "../init_wan_params.ts";
 * import { MODEL_PRESETS } from "../model_presets.ts";
 * import { Prng } from "../../random/mod.ts";
 * const cfg = MODEL_PRESETS["wan-smoke"];
 * const design = { kind: "concat", shiftedRope: true, frameShift: false, poses: ["hands"] } as const;
 * const model = buildDesign({ cfg, params: initWanParams(cfg, { prng: new Prng(0) }) }, design, { prng: new Prng(1) });
 * const v = designForward(model, {
 *   x: tf.zeros([1, 4, 2, 4, 4]), t: [500], context: tf.zeros([1, 3, 16]),
 *   reference: tf.zeros([1, 4, 1, 6, 2]), pose: tf.zeros([1, 4, 2, 4, 4]),
 * });
 * console.log(v.shape); // [1, 4, 2, 4, 4]
 * ```
 */
export function designForward(
  model: { cfg: WanConfig; params: ParamMap; design: DesignConfig; lora?: LoraConfig },
  inputs: DesignInputs,
  hooks: DesignForwardHooks = {},
): tf.Tensor {
  const { cfg, params, design, lora } = model;
  checkDesignConfig(design, { cfg });
  if (lora === undefined) {
    const adapter = Object.keys(params).find((n) => n.endsWith(".lora_A.weight"));
    if (adapter !== undefined) {
      throw new RangeError(
        `Cannot run the ${design.kind} design as its parameters hold LoRA adapters ("${adapter}") but the model has no lora configuration: pass { lora } (DesignModel.lora) or merge them first`,
      );
    }
  }
  const { x, reference, pose } = inputs;
  if (x.rank !== 5 || x.shape[1] !== cfg.in_dim) {
    throw new RangeError(
      `Cannot run the ${design.kind} design as x must be [B, ${cfg.in_dim}, F, H, W]: received [${x.shape}]`,
    );
  }
  const [b, , f, h, w] = x.shape;
  const [pt, ph, pw] = cfg.patch_size;
  if (f % pt || h % ph || w % pw) {
    throw new RangeError(
      `Cannot run the ${design.kind} design as F, H, W of x must be divisible by the patch size (${pt}, ${ph}, ${pw}): received (${f}, ${h}, ${w})`,
    );
  }
  const k = design.poses.length;
  if (k === 0 && pose !== undefined) {
    throw new RangeError(`Cannot use cond.pose as the ${design.kind} design has no poses: received [${pose.shape}]`);
  }
  if (k > 0) {
    const channels = param(params, "pose_patch_embedding.weight").shape[1] as number;
    if (pose === undefined) {
      throw new RangeError(
        `Cannot run the ${design.kind} design without cond.pose: expected [${b}, ${channels}, ${f}, ${h}, ${w}] (${
          design.poses.join(", ")
        })`,
      );
    }
    if (!tf.util.arraysEqual(pose.shape, [b, channels, f, h, w])) {
      throw new RangeError(
        `Cannot use cond.pose as it must be [${b}, ${channels}, ${f}, ${h}, ${w}] (${
          design.poses.join(", ")
        }): received [${pose.shape}]`,
      );
    }
  }
  if (reference !== undefined) {
    const name = design.kind === "concat" ? "ref_patch_embedding.weight" : "reference_net.patch_embedding.weight";
    const c = param(params, name).shape[1];
    const [rb, rc, rf, rh, rw] = reference.shape as number[];
    if (reference.rank !== 5 || rb !== b || rc !== c || rf % pt || rh % ph || rw % pw) {
      throw new RangeError(
        `Cannot use cond.reference as it must be [${b}, ${c}, F', H', W'] with F', H', W' divisible by (${pt}, ${ph}, ${pw}): received [${reference.shape}]`,
      );
    }
  }
  return tf.tidy(() => {
    // LoRA: every adapted weight is W + (α/r)·B·A, computed here so the gradient reaches A and B.
    const p = lora ? mergeLora(params, lora) : params;
    const options: WanForwardOptions = {};
    if (pose !== undefined) options.addTokens = poseProjection(p, pose); // (B, L, dim)
    if (reference !== undefined && design.kind === "concat") {
      options.extraTokens = concatReference(p, reference, {
        videoGrid: [f / pt, h / ph, w / pw],
        shiftedRope: design.shiftedRope,
        frameShift: design.frameShift,
      });
    } else if (reference !== undefined) {
      options.extraKV = referenceNetKV(design, { ...model, params: p }, {
        reference,
        t: inputs.t,
        context: inputs.context,
      });
    }
    if (hooks.captureKV) options.captureKV = hooks.captureKV;
    if (hooks.textCache) options.textCache = hooks.textCache;
    return wanForward({ cfg, params: p }, { x, t: inputs.t, context: inputs.context }, options);
  });
}
