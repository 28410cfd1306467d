/**
 * Maps state-dict names between Wan's original format and diffusers'
 * `WanTransformer3DModel` format (t2v). Note the swap: Wan's affine `norm3`
 * (before cross-attention) is diffusers' `norm2`; the unparameterised norms
 * have no weights, so nothing maps to Wan's `norm2`.
 *
 * References: huggingface/diffusers `scripts/convert_wan_to_diffusers.py`
 * (`TRANSFORMER_KEYS_RENAME_DICT`), `src/diffusers/models/transformers/transformer_wan.py`.
 *
 * @module
 */

// [Wan, diffusers] name stems; a stem matches a whole dotted prefix of the name.
const TOP: ReadonlyArray<[string, string]> = [
  ["patch_embedding", "patch_embedding"],
  ["text_embedding.0", "condition_embedder.text_embedder.linear_1"],
  ["text_embedding.2", "condition_embedder.text_embedder.linear_2"],
  ["time_embedding.0", "condition_embedder.time_embedder.linear_1"],
  ["time_embedding.2", "condition_embedder.time_embedder.linear_2"],
  ["time_projection.1", "condition_embedder.time_proj"],
  ["head.modulation", "scale_shift_table"],
  ["head.head", "proj_out"],
];
const BLOCK: ReadonlyArray<[string, string]> = [
  ["modulation", "scale_shift_table"],
  ["self_attn.q", "attn1.to_q"],
  ["self_attn.k", "attn1.to_k"],
  ["self_attn.v", "attn1.to_v"],
  ["self_attn.o", "attn1.to_out.0"],
  ["self_attn.norm_q", "attn1.norm_q"],
  ["self_attn.norm_k", "attn1.norm_k"],
  ["cross_attn.q", "attn2.to_q"],
  ["cross_attn.k", "attn2.to_k"],
  ["cross_attn.v", "attn2.to_v"],
  ["cross_attn.o", "attn2.to_out.0"],
  ["cross_attn.norm_q", "attn2.norm_q"],
  ["cross_attn.norm_k", "attn2.norm_k"],
  ["norm3", "norm2"],
  ["ffn.0", "ffn.net.0.proj"],
  ["ffn.2", "ffn.net.2"],
];

function rename(name: string, from: 0 | 1): string | null {
  const to = from === 0 ? 1 : 0;
  const m = /^blocks\.(\d+)\.(.+)$/.exec(name);
  const table = m ? BLOCK : TOP;
  const rest = m ? m[2] : name;
  for (const pair of table) {
    const stem = pair[from];
    if (rest === stem || rest.startsWith(`${stem}.`)) {
      const mapped = pair[to] + rest.slice(stem.length);
      return m ? `blocks.${m[1]}.${mapped}` : mapped;
    }
  }
  return null;
}

/**
 * @param name a Wan state-dict name
 * @returns the diffusers name
 * @example
 * ```ts
 * import { wanToDiffusersName } from "./diffusers_name_map.ts";
 * console.log(wanToDiffusersName("blocks.0.norm3.weight")); // "blocks.0.norm2.weight"
 * ```
 */
export function wanToDiffusersName(name: string): string {
  const out = rename(name, 0);
  if (out === null) throw new RangeError(`Cannot map "${name}" to a diffusers name: not a Wan t2v DiT parameter`);
  return out;
}

/**
 * @param name a diffusers `WanTransformer3DModel` state-dict name
 * @returns the Wan name
 * @example
 * ```ts
 * import { diffusersToWanName } from "./diffusers_name_map.ts";
 * console.log(diffusersToWanName("blocks.3.attn1.to_out.0.weight")); // "blocks.3.self_attn.o.weight"
 * ```
 */
export function diffusersToWanName(name: string): string {
  const out = rename(name, 1);
  if (out === null) {
    throw new RangeError(`Cannot map "${name}" to a Wan name: not a diffusers t2v WanTransformer3DModel parameter`);
  }
  return out;
}
