/**
 * Writes a Wan DiT as a checkpoint folder that {@link loadWanCheckpoint} and
 * the upstream code read: `config.json` + `diffusion_pytorch_model.safetensors`,
 * in Wan's naming (default) or diffusers' `WanTransformer3DModel` naming.
 *
 * The Wan config also carries text_dim, patch_size, qk_norm and
 * cross_attn_norm (Wan itself leaves them out); the diffusers config carries a
 * non-standard `text_len` so that the padding length survives a round trip.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py`; huggingface/diffusers
 * `scripts/convert_wan_to_diffusers.py` (names and config keys).
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import { atomicWrite } from "../io/atomic_write.ts";
import { type WriteDtype, writeSafetensors } from "../io/safetensors.ts";
import type { ParamMap } from "./_nn.ts";
import { wanToDiffusersName } from "./diffusers_name_map.ts";
import type { WanConfig } from "./wan_config.ts";
import { wanParamShapes } from "./wan_param_shapes.ts";

/** Options of {@link saveWanCheckpoint}. */
export interface SaveWanCheckpointOptions {
  /** Naming of the tensors and keys of config.json (default "wan"). */
  format?: "wan" | "diffusers";
  /** Stored dtype (default F32). */
  dtype?: Exclude<WriteDtype, "U8">;
}

/**
 * @param dir destination folder (created)
 * @param model configuration and parameters
 * @param options naming and dtype
 * @returns resolves when both files are written (atomically)
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import { saveWanCheckpoint } from "./save_wan_checkpoint.ts";
 * import { initWanParams } from "./init_wan_params.ts";
 * import { MODEL_PRESETS } from "./model_presets.ts";
 * import { Prng } from "../random/mod.ts";
 * const cfg = MODEL_PRESETS["wan-smoke"];
 * await saveWanCheckpoint(await Deno.makeTempDir(), { cfg, params: initWanParams(cfg, { prng: new Prng(0) }) });
 * ```
 */
export async function saveWanCheckpoint(
  dir: string,
  model: { cfg: WanConfig; params: ParamMap },
  options: SaveWanCheckpointOptions = {},
): Promise<void> {
  const { cfg, params } = model;
  const format = options.format ?? "wan";
  const tensors: Record<string, { shape: number[]; data: Float32Array; dtype?: Exclude<WriteDtype, "U8"> }> = {};
  for (const [name, shape] of wanParamShapes(cfg)) {
    const p: tf.Tensor | undefined = params[name];
    if (!p) throw new RangeError(`Cannot save the Wan checkpoint as parameter "${name}" is missing`);
    const key = format === "diffusers" ? wanToDiffusersName(name) : name;
    tensors[key] = { shape, data: (await p.data()) as Float32Array, dtype: options.dtype ?? "F32" };
  }
  const config = format === "diffusers"
    ? {
      _class_name: "WanTransformer3DModel",
      patch_size: [...cfg.patch_size],
      num_attention_heads: cfg.num_heads,
      attention_head_dim: cfg.dim / cfg.num_heads,
      in_channels: cfg.in_dim,
      out_channels: cfg.out_dim,
      text_dim: cfg.text_dim,
      freq_dim: cfg.freq_dim,
      ffn_dim: cfg.ffn_dim,
      num_layers: cfg.num_layers,
      cross_attn_norm: cfg.cross_attn_norm,
      qk_norm: cfg.qk_norm ? "rms_norm_across_heads" : null,
      eps: cfg.eps,
      image_dim: null,
      added_kv_proj_dim: null,
      rope_max_seq_len: 1024,
      text_len: cfg.text_len,
    }
    : { _class_name: "WanModel", ...cfg, patch_size: [...cfg.patch_size] };
  await Deno.mkdir(dir, { recursive: true });
  await writeSafetensors(`${dir}/diffusion_pytorch_model.safetensors`, tensors, { format: "pt" });
  await atomicWrite(`${dir}/config.json`, JSON.stringify(config, null, 1) + "\n");
}
