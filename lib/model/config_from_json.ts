/**
 * Reads a DiT `config.json` in either format into a {@link WanConfig}:
 * - Wan's (`WanModel`): dim, ffn_dim, freq_dim, text_len, in_dim, out_dim,
 *   num_heads, num_layers, model_type, eps. Wan leaves text_dim, patch_size,
 *   qk_norm, cross_attn_norm and window_size out of its saved config
 *   (`ignore_for_config`), so they are inferred from the weight shapes when given,
 *   else take `WanModel`'s code defaults (4096, (1,2,2), true, true; the
 *   docstring's cross_attn_norm=False is not what the code does).
 * - diffusers' (`WanTransformer3DModel`): num_attention_heads × attention_head_dim,
 *   in_channels, out_channels, … ; text_len is not part of it (the pipeline pads
 *   prompts to 512), so 512 unless a `text_len` key is present.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (`WanModel.__init__`,
 * `ignore_for_config`); huggingface/diffusers `transformer_wan.py`
 * (`WanTransformer3DModel.__init__`), `pipeline_wan.py` (max_sequence_length 512).
 *
 * @module
 */
import { checkWanConfig, type WanConfig } from "./wan_config.ts";

/** Which naming a checkpoint uses. */
export type CheckpointFormat = "wan" | "diffusers";

/** Options of {@link configFromJson}. */
export interface ConfigFromJsonOptions {
  /** Shapes of the checkpoint's tensors by their (Wan) names, to infer what the config leaves out. */
  shapes?: Readonly<Record<string, readonly number[]>>;
}

/**
 * @param json the parsed config.json
 * @param options tensor shapes for inference of missing keys
 * @returns the configuration and the format it was written in
 * @example
 * ```ts
 * import { configFromJson } from "./config_from_json.ts";
 * const { cfg } = configFromJson({ dim: 1536, ffn_dim: 8960, freq_dim: 256, in_dim: 16, out_dim: 16,
 *   num_heads: 12, num_layers: 30, text_len: 512, model_type: "t2v", eps: 1e-6 });
 * console.log(cfg.text_dim); // 4096
 * ```
 */
export function configFromJson(
  json: Record<string, unknown>,
  options: ConfigFromJsonOptions = {},
): { cfg: WanConfig; format: CheckpointFormat } {
  const shapes = options.shapes ?? {};
  const diffusers = json._class_name === "WanTransformer3DModel" || "num_attention_heads" in json;
  const num = (key: string, fallback?: number): number => {
    const v = json[key] ?? fallback;
    if (typeof v !== "number") {
      throw new TypeError(
        `Cannot read config.json as "${key}" must be a number: received ${JSON.stringify(json[key])}`,
      );
    }
    return v;
  };
  const bool = (key: string, fallback: boolean): boolean => {
    const v = json[key] ?? fallback;
    if (typeof v !== "boolean") {
      throw new TypeError(
        `Cannot read config.json as "${key}" must be a boolean: received ${JSON.stringify(json[key])}`,
      );
    }
    return v;
  };
  const patch = (): [number, number, number] => {
    const w = shapes["patch_embedding.weight"];
    const inferred: [number, number, number] = w && w.length === 5 ? [w[2], w[3], w[4]] : [1, 2, 2];
    const v = json.patch_size ?? inferred;
    if (!Array.isArray(v) || v.length !== 3) {
      throw new TypeError(
        `Cannot read config.json as "patch_size" must be [pt, ph, pw]: received ${JSON.stringify(v)}`,
      );
    }
    return [v[0], v[1], v[2]];
  };
  const textDim = shapes["text_embedding.0.weight"]?.[1] ?? 4096;
  const hasQkNorm = shapes["blocks.0.self_attn.norm_q.weight"] !== undefined || Object.keys(shapes).length === 0;
  const hasNorm3 = shapes["blocks.0.norm3.weight"] !== undefined || Object.keys(shapes).length === 0;

  let cfg: WanConfig;
  if (diffusers) {
    for (const key of ["image_dim", "added_kv_proj_dim", "pos_embed_seq_len"]) {
      if (json[key] !== undefined && json[key] !== null) {
        throw new RangeError(
          `Cannot load a diffusers Wan DiT with ${key} = ${JSON.stringify(json[key])}: only t2v (null) is implemented`,
        );
      }
    }
    const qk = json.qk_norm === undefined ? "rms_norm_across_heads" : json.qk_norm;
    if (qk !== null && qk !== "rms_norm_across_heads") {
      throw new RangeError(
        `Cannot load a diffusers Wan DiT with qk_norm = ${
          JSON.stringify(qk)
        }: expected "rms_norm_across_heads" or null`,
      );
    }
    const heads = num("num_attention_heads");
    cfg = {
      model_type: "t2v",
      patch_size: patch(),
      text_len: num("text_len", 512),
      in_dim: num("in_channels"),
      dim: heads * num("attention_head_dim"),
      ffn_dim: num("ffn_dim"),
      freq_dim: num("freq_dim"),
      text_dim: num("text_dim", textDim),
      out_dim: num("out_channels", num("in_channels")),
      num_heads: heads,
      num_layers: num("num_layers"),
      qk_norm: qk !== null,
      cross_attn_norm: bool("cross_attn_norm", true),
      eps: num("eps", 1e-6),
    };
  } else {
    const type = json.model_type ?? "t2v";
    if (type !== "t2v") {
      throw new RangeError(`Cannot load a Wan DiT with model_type ${JSON.stringify(type)}: only "t2v" is implemented`);
    }
    const window = json.window_size;
    if (window !== undefined && JSON.stringify(window) !== "[-1,-1]") {
      throw new RangeError(
        `Cannot load a Wan DiT with window_size ${
          JSON.stringify(window)
        }: only global attention [-1, -1] is implemented`,
      );
    }
    cfg = {
      model_type: "t2v",
      patch_size: patch(),
      text_len: num("text_len", 512),
      in_dim: num("in_dim"),
      dim: num("dim"),
      ffn_dim: num("ffn_dim"),
      freq_dim: num("freq_dim", 256),
      text_dim: num("text_dim", textDim),
      out_dim: num("out_dim"),
      num_heads: num("num_heads"),
      num_layers: num("num_layers"),
      qk_norm: bool("qk_norm", hasQkNorm),
      cross_attn_norm: bool("cross_attn_norm", hasNorm3),
      eps: num("eps", 1e-6),
    };
  }
  return { cfg: checkWanConfig(cfg), format: diffusers ? "diffusers" : "wan" };
}
