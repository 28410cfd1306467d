/**
 * The text side of a run: the tokenizer and the small text encoder, new or
 * from a foundation checkpoint, and captions → token tensors.
 */
import * as tf from "@tensorflow/tfjs-core";
import {
  encodeText,
  initTextEncoderParams,
  TEXT_ENCODER_PRESETS,
  type TextEncoderConfig,
  type WanConfig,
  WordTokenizer,
} from "../model/mod.ts";
import { loadTextEncoder, type TextEncoderBundle } from "./_text_encoder_io.ts";
import { stream } from "./_pipeline_data.ts";

/** The text side plus helpers bound to it. */
export interface TextSide extends TextEncoderBundle {
  /** Captions → token ids [N, text_len] (int32). */
  tokens(captions: readonly string[]): tf.Tensor2D;
  /** Token ids → context [N, text_len, text_dim]. */
  encode(tokens: tf.Tensor): tf.Tensor;
  /** How many of the captions do not fit text_len (BOS + words + EOS) and are cut. */
  truncated(captions: readonly string[]): number;
}

/**
 * @param options the DiT config, the model preset name, a foundation DiT folder (or null), the captions a new vocabulary is built from, seed
 * @returns the text side
 */
export async function textSide(options: {
  dit: WanConfig;
  preset: string;
  checkpoint: string | null;
  captions: readonly string[];
  seed: number;
}): Promise<TextSide> {
  const { dit } = options;
  let bundle: TextEncoderBundle;
  if (options.checkpoint) {
    bundle = await loadTextEncoder(options.checkpoint);
  } else {
    const cfg = (TEXT_ENCODER_PRESETS as Record<string, TextEncoderConfig>)[options.preset];
    if (!cfg) {
      throw new RangeError(
        `No text encoder preset for model preset "${options.preset}": expected one of ${Object.keys(TEXT_ENCODER_PRESETS).join(", ")}`,
      );
    }
    const tokenizer = WordTokenizer.fromCaptions(options.captions);
    const params = initTextEncoderParams(cfg, { prng: stream(options.seed, "text-init"), vocabSize: tokenizer.vocabSize });
    bundle = { cfg, tokenizer, params };
  }
  // encodeText never reads the ids back (webgpu cannot): they are valid because the tokenizer makes them.
  const rows = bundle.params["token_embedding.weight"]?.shape[0];
  if (rows !== bundle.tokenizer.vocabSize) {
    throw new RangeError(
      `The tokenizer's vocabulary of ${bundle.tokenizer.vocabSize} does not match the text encoder's ` +
        `token_embedding.weight of ${rows} rows: token ids would fall outside the table`,
    );
  }
  if (bundle.cfg.dim !== dit.text_dim) {
    throw new RangeError(`The text encoder's width ${bundle.cfg.dim} does not match the DiT's text_dim ${dit.text_dim}`);
  }
  return {
    ...bundle,
    tokens(captions) {
      return tf.tensor2d(bundle.tokenizer.encodeBatch(captions, { length: dit.text_len }), [captions.length, dit.text_len], "int32");
    },
    encode: (tokens) => encodeText(bundle.params, tokens, { cfg: bundle.cfg }),
    truncated: (captions) => captions.filter((c) => WordTokenizer.tokenCount(c) > dit.text_len).length,
  };
}
