/**
 * The state dict of a design as names and shapes, computed from the
 * configuration alone: the foundation's parameters (official order) followed
 * by the design's new ones.
 *
 * - every design with poses: `pose_patch_embedding.{weight,bias}` (Conv3d
 *   [dim, k·C, pt, ph, pw]) and `pose_proj.{weight,bias}` (Linear [dim, dim]);
 * - concat: `ref_patch_embedding.{weight,bias}` (Conv3d [dim, C, pt, ph, pw]);
 * - reference nets: `reference_net.patch_embedding.*`, `reference_net.blocks.{j}.*`
 *   (Wan block names), and when narrower than the DiT (width d_r):
 *   `reference_net.text_proj` [d_r, dim], `reference_net.time_proj` [6·d_r, dim]
 *   and `reference_net.proj.{j}` [dim, d_r];
 * - with a LoRA scope, last: `blocks.{i}.{target}.lora_A.weight` [r, in] and
 *   `….lora_B.weight` [out, r] for every block and target.
 *
 * References: damo-cv/RealisDance `src/models/rd_dit.py` (`add_conv_in`,
 * `add_proj`, `attn_conv_in`, here named like Wan's `patch_embedding`);
 * Wan-Video/Wan2.1 `wan/modules/model.py` (block names).
 *
 * @module
 */
import { wanParamShapes } from "../wan_param_shapes.ts";
import type { WanConfig } from "../wan_config.ts";
import { checkDesignConfig, type DesignConfig, type FinetuneScope } from "./design_config.ts";
import { loraOfScope, loraParamShapes } from "./lora_config.ts";
import { referenceNetLayout } from "./_reference_net_config.ts";

/** Options of {@link designParamShapes}. */
export interface DesignParamShapesOptions {
  /** Channels C of one VAE latent (reference, each pose); default the DiT's in_dim. */
  latentChannels?: number;
  /** A LoRA scope adds its adapters (`blocks.{i}.{target}.lora_A/lora_B.weight`) after the design's layers. */
  scope?: FinetuneScope;
}

/**
 * @param cfg the foundation's configuration
 * @param design the design
 * @param options latent channels
 * @returns [name, shape] pairs: foundation first, then the design's new parameters
 * @example
 * ```ts
 * import { designParamShapes } from "./design_param_shapes.ts";
 * import { MODEL_PRESETS } from "../model_presets.ts";
 * const shapes = new Map(designParamShapes(MODEL_PRESETS["wan-smoke"], {
 *   kind: "concat", shiftedRope: true, frameShift: false, poses: ["skeleton", "hands"],
 * }));
 * console.log(shapes.get("pose_patch_embedding.weight")); // [32, 8, 1, 2, 2]
 * ```
 */
export function designParamShapes(
  cfg: WanConfig,
  design: DesignConfig,
  options: DesignParamShapesOptions = {},
): Array<[string, number[]]> {
  checkDesignConfig(design, { cfg });
  const c = options.latentChannels ?? cfg.in_dim;
  if (!Number.isInteger(c) || c < 1) {
    throw new RangeError(`Cannot build the design as latentChannels must be a positive integer: received ${c}`);
  }
  const { dim, patch_size: patch } = cfg;
  const out = wanParamShapes(cfg);
  const conv = (name: string, o: number, i: number) =>
    out.push([`${name}.weight`, [o, i, ...patch]], [`${name}.bias`, [o]]);
  const linear = (name: string, o: number, i: number) => out.push([`${name}.weight`, [o, i]], [`${name}.bias`, [o]]);
  if (design.poses.length > 0) {
    conv("pose_patch_embedding", dim, design.poses.length * c);
    linear("pose_proj", dim, dim);
  }
  const lora = loraOfScope(options.scope);
  const layout = referenceNetLayout(cfg, design);
  if (layout === null) {
    conv("ref_patch_embedding", dim, c);
    if (lora) out.push(...loraParamShapes(cfg, lora));
    return out;
  }
  const r = layout.cfg;
  conv("reference_net.patch_embedding", r.dim, c);
  if (layout.narrow) {
    linear("reference_net.text_proj", r.dim, dim);
    linear("reference_net.time_proj", 6 * r.dim, dim);
  }
  for (const [name, shape] of wanParamShapes(r)) {
    if (name.startsWith("blocks.")) out.push([`reference_net.${name}`, shape]);
  }
  if (layout.narrow) layout.inject.forEach((_, j) => linear(`reference_net.proj.${j}`, dim, r.dim));
  if (lora) out.push(...loraParamShapes(cfg, lora));
  return out;
}
