/**
 * A small umT5-style text encoder (trainable with the DiT) for the small
 * presets: token embedding → blocks of [x + attn(RMSNorm(x)) with a per-layer
 * relative-position bias and a key mask on PAD, no 1/√d scaling; x +
 * fc2(fc1(RMSNorm(x)) · GELU(gate(RMSNorm(x))))] → RMSNorm. No dropout.
 *
 * Rows at PAD positions are set to zero, which equals what Wan does with umT5
 * output: it keeps only the real tokens (`u[:seq_len]`) and the DiT pads them
 * with zero rows to text_len. An all-PAD row gives an all-zero context (defined,
 * finite); the empty caption ([BOS, EOS, PAD…]) gives two non-zero rows.
 * Real umT5 features from a file can be used instead: the DiT only sees context.
 * Checked against Wan's own `T5Encoder` (tests/fixtures/wan/t5, to 1e-4).
 *
 * References: Wan-Video/Wan2.1 `wan/modules/t5.py` (`T5Encoder`, `T5Attention`,
 * `T5FeedForward`, `T5LayerNorm`, `T5EncoderModel.__call__`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { embeddingLookup, geluTanh, linear, param, type ParamMap, rmsNorm } from "./_nn.ts";
import { relativePositionBuckets } from "./_relative_position_bucket.ts";
import { attention } from "./attention.ts";
import type { TextEncoderConfig } from "./text_encoder_presets.ts";
import { WordTokenizer } from "./word_tokenizer.ts";

/** Options of {@link encodeText}. */
export interface EncodeTextOptions {
  cfg: TextEncoderConfig;
}

const MASKED = -3.4028234663852886e38; // torch.finfo(torch.float32).min, as T5Attention uses

/**
 * @param params encoder parameters (see `initTextEncoderParams`)
 * @param tokens int32 ids [B, L] (PAD = 0), each in [0, vocab). They are never read on the host (so this
 *   runs on every backend, webgpu included): an id outside the table embeds as a zero row, so check ids
 *   where they are made (a `WordTokenizer` with the table's `vocabSize` only makes valid ones).
 * @param options encoder sizes
 * @returns context [B, L, dim], zero rows at PAD
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { encodeText } from "./text_encoder.ts";
 * import { initTextEncoderParams } from "./init_text_encoder_params.ts";
 * import { TEXT_ENCODER_PRESETS } from "./text_encoder_presets.ts";
 * import { WordTokenizer } from "./word_tokenizer.ts";
 * import { Prng } from "../random/mod.ts";
 * const cfg = TEXT_ENCODER_PRESETS["wan-smoke"];
 * const tok = WordTokenizer.fromCaptions(["a person waves"]);
 * const params = initTextEncoderParams(cfg, { prng: new Prng(0), vocabSize: tok.vocabSize });
 * const ids = tf.tensor2d(tok.encodeBatch(["a person waves", ""], { length: 8 }), [2, 8], "int32");
 * console.log(encodeText(params, ids, { cfg }).shape); // [2, 8, 16]
 * ```
 */
export function encodeText(params: ParamMap, tokens: tf.Tensor, options: EncodeTextOptions): tf.Tensor {
  const { cfg } = options;
  if (tokens.rank !== 2 || tokens.dtype !== "int32") {
    throw new TypeError(
      `Cannot encode text as tokens must be int32 [B, L]: received ${tokens.dtype} [${tokens.shape}]`,
    );
  }
  const [b, len] = tokens.shape as [number, number];
  const n = cfg.num_heads;
  const d = cfg.dim_attn / n;
  const buckets = relativePositionBuckets(len, cfg.num_buckets, cfg.max_dist);
  return tf.tidy(() => {
    const keep = tf.cast(tf.notEqual(tokens, WordTokenizer.PAD), "float32"); // (B, L)
    // Padding keys get T5's float32-min bias. Added to the position bias (small) it stays float32-min, and its
    // softmax weight is exactly 0, as with T5's masked_fill. Broadcast in one add, never tiled to (B, N, L, L) twice.
    const keyMask = tf.reshape(tf.mul(tf.sub(1, keep), MASKED), [b, 1, 1, len]); // (B, 1, 1, L)
    const bucketIds = tf.tensor1d(buckets, "int32");
    let x = embeddingLookup(param(params, "token_embedding.weight"), tokens); // (B, L, dim)
    for (let i = 0; i < cfg.num_layers; i++) {
      const p = `blocks.${i}`;
      const bias = tf.tidy(() => {
        const table = embeddingLookup(param(params, `${p}.pos_embedding.embedding.weight`), bucketIds); // (L·L, N)
        const pos = tf.transpose(tf.reshape(table, [len, len, n]), [2, 0, 1]); // (N, L, L)
        return tf.add(tf.reshape(pos, [1, n, len, len]), keyMask); // (B, N, L, L)
      });
      const h = rmsNorm(params, `${p}.norm1`, x, cfg.eps);
      const q = tf.reshape(linear(params, `${p}.attn.q`, h, { bias: false }), [b, len, n, d]); // (B, L, N, d)
      const k = tf.reshape(linear(params, `${p}.attn.k`, h, { bias: false }), [b, len, n, d]);
      const v = tf.reshape(linear(params, `${p}.attn.v`, h, { bias: false }), [b, len, n, d]);
      const att = tf.reshape(attention(q, { k, v }, { scale: 1, bias }), [b, len, n * d]); // (B, L, dim_attn)
      x = tf.add(x, linear(params, `${p}.attn.o`, att, { bias: false }));
      const h2 = rmsNorm(params, `${p}.norm2`, x, cfg.eps);
      const gate = geluTanh(linear(params, `${p}.ffn.gate.0`, h2, { bias: false }));
      const hidden = tf.mul(linear(params, `${p}.ffn.fc1`, h2, { bias: false }), gate); // (B, L, dim_ffn)
      x = tf.add(x, linear(params, `${p}.ffn.fc2`, hidden, { bias: false }));
    }
    const out = rmsNorm(params, "norm", x, cfg.eps);
    return tf.mul(out, tf.reshape(keep, [b, len, 1])); // (B, L, dim)
  });
}
