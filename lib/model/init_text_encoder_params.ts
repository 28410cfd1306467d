/**
 * Names, shapes and initial values of the small umT5-style text encoder,
 * mirroring Wan's `T5Encoder` (shared_pos=False, as in umT5) and its
 * `init_weights`: token embedding N(0, 1); q N(0, (dim·dim_attn)^−1);
 * k, v N(0, dim^−1); o N(0, (heads·dim_attn)^−1); gate and fc1 N(0, dim^−1);
 * fc2 N(0, dim_ffn^−1); position bias N(0, (2·buckets·heads)^−1); norms 1.
 * Values are drawn in the listed order from the given PRNG.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/t5.py` (`T5Encoder`, `T5SelfAttention`,
 * `T5FeedForward`, `T5RelativeEmbedding`, `init_weights`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Prng } from "../random/mod.ts";
import type { TextEncoderConfig } from "./text_encoder_presets.ts";
import type { Params } from "./wan_model.ts";

/** Options of {@link initTextEncoderParams}. */
export interface InitTextEncoderParamsOptions {
  prng: Prng;
  /** Vocabulary size (the tokenizer's `vocabSize`). */
  vocabSize: number;
  /** Make the variables trainable (default true). */
  trainable?: boolean;
}

/**
 * @param cfg encoder sizes
 * @param options vocabulary size
 * @returns [name, shape, std] rows (std 0 means "ones")
 * @example
 * ```ts
 * import { textEncoderParamSpecs } from "./init_text_encoder_params.ts";
 * import { TEXT_ENCODER_PRESETS } from "./text_encoder_presets.ts";
 * console.log(textEncoderParamSpecs(TEXT_ENCODER_PRESETS["wan-smoke"], { vocabSize: 50 }).length); // 12
 * ```
 */
export function textEncoderParamSpecs(
  cfg: TextEncoderConfig,
  options: { vocabSize: number },
): Array<[string, number[], number]> {
  const { dim, dim_attn: da, dim_ffn: df, num_heads: nh, num_buckets: nb } = cfg;
  if (!Number.isInteger(options.vocabSize) || options.vocabSize < 4) {
    throw new RangeError(
      `Cannot build a text encoder as vocabSize must be an integer >= 4: received ${options.vocabSize}`,
    );
  }
  if (da % nh !== 0) {
    throw new RangeError(
      `Cannot build a text encoder as dim_attn must be divisible by num_heads: received ${da}, ${nh}`,
    );
  }
  const out: Array<[string, number[], number]> = [["token_embedding.weight", [options.vocabSize, dim], 1]];
  for (let i = 0; i < cfg.num_layers; i++) {
    const b = `blocks.${i}`;
    out.push(
      [`${b}.norm1.weight`, [dim], 0],
      [`${b}.attn.q.weight`, [da, dim], (dim * da) ** -0.5],
      [`${b}.attn.k.weight`, [da, dim], dim ** -0.5],
      [`${b}.attn.v.weight`, [da, dim], dim ** -0.5],
      [`${b}.attn.o.weight`, [dim, da], (nh * da) ** -0.5],
      [`${b}.norm2.weight`, [dim], 0],
      [`${b}.ffn.gate.0.weight`, [df, dim], dim ** -0.5],
      [`${b}.ffn.fc1.weight`, [df, dim], dim ** -0.5],
      [`${b}.ffn.fc2.weight`, [dim, df], df ** -0.5],
      [`${b}.pos_embedding.embedding.weight`, [nb, nh], (2 * nb * nh) ** -0.5],
    );
  }
  out.push(["norm.weight", [dim], 0]);
  return out;
}

/**
 * @param cfg encoder sizes
 * @param options PRNG and vocabulary size
 * @returns tf.Variables keyed by Wan-T5-style names
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import { initTextEncoderParams } from "./init_text_encoder_params.ts";
 * import { TEXT_ENCODER_PRESETS } from "./text_encoder_presets.ts";
 * import { Prng } from "../random/mod.ts";
 * const p = initTextEncoderParams(TEXT_ENCODER_PRESETS["wan-smoke"], { prng: new Prng(0), vocabSize: 50 });
 * console.log(p["token_embedding.weight"].shape); // [50, 16]
 * ```
 */
export function initTextEncoderParams(cfg: TextEncoderConfig, options: InitTextEncoderParamsOptions): Params {
  const trainable = options.trainable ?? true;
  const params: Params = {};
  for (const [name, shape, std] of textEncoderParamSpecs(cfg, options)) {
    const size = shape.reduce((a, b) => a * b, 1);
    let data: Float32Array;
    if (std === 0) {
      data = new Float32Array(size).fill(1);
    } else {
      data = options.prng.normals(size);
      for (let i = 0; i < size; i++) data[i] *= std;
    }
    params[name] = tf.tidy(() => tf.variable(tf.tensor(data, shape, "float32"), trainable)); // no stray initial tensor
  }
  return params;
}
