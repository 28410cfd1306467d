/**
 * The state dict of a Wan DiT as names and shapes, in the official
 * `state_dict()` order, computed from the configuration alone.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (`WanModel`,
 * `WanAttentionBlock`, `Head`): Linear weights are [out, in], the Conv3d patch
 * embedding is [dim, in_dim, pt, ph, pw], `modulation` is [1, 6, dim].
 *
 * @module
 */
import { checkWanConfig, type WanConfig } from "./wan_config.ts";

/**
 * @param cfg the model configuration
 * @returns [name, shape] pairs in the order of the official state dict
 * @example
 * ```ts
 * import { wanParamShapes } from "./wan_param_shapes.ts";
 * import { MODEL_PRESETS } from "./model_presets.ts";
 * const shapes = new Map(wanParamShapes(MODEL_PRESETS["wan-smoke"]));
 * console.log(shapes.get("head.head.weight")); // [16, 32]
 * ```
 */
export function wanParamShapes(cfg: WanConfig): Array<[string, number[]]> {
  checkWanConfig(cfg);
  const { dim, ffn_dim: ffn, patch_size: [pt, ph, pw] } = cfg;
  const out: Array<[string, number[]]> = [];
  const linear = (name: string, o: number, i: number) => {
    out.push([`${name}.weight`, [o, i]], [`${name}.bias`, [o]]);
  };
  out.push(["patch_embedding.weight", [dim, cfg.in_dim, pt, ph, pw]], ["patch_embedding.bias", [dim]]);
  linear("text_embedding.0", dim, cfg.text_dim);
  linear("text_embedding.2", dim, dim);
  linear("time_embedding.0", dim, cfg.freq_dim);
  linear("time_embedding.2", dim, dim);
  linear("time_projection.1", 6 * dim, dim);
  for (let i = 0; i < cfg.num_layers; i++) {
    const b = `blocks.${i}`;
    out.push([`${b}.modulation`, [1, 6, dim]]);
    for (const attn of ["self_attn", "cross_attn"]) {
      if (attn === "cross_attn" && cfg.cross_attn_norm) {
        out.push([`${b}.norm3.weight`, [dim]], [`${b}.norm3.bias`, [dim]]);
      }
      for (const p of ["q", "k", "v", "o"]) linear(`${b}.${attn}.${p}`, dim, dim);
      if (cfg.qk_norm) out.push([`${b}.${attn}.norm_q.weight`, [dim]], [`${b}.${attn}.norm_k.weight`, [dim]]);
    }
    linear(`${b}.ffn.0`, ffn, dim);
    linear(`${b}.ffn.2`, dim, ffn);
  }
  out.push(["head.modulation", [1, 2, dim]]);
  linear("head.head", pt * ph * pw * cfg.out_dim, dim);
  return out;
}
