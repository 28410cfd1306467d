/**
 * Saves and loads the small text encoder next to a DiT checkpoint folder:
 * `text_encoder.safetensors` (parameters), `text_encoder.json` (its config)
 * and `tokenizer.json`, so a foundation checkpoint carries its text side.
 */
import * as tf from "@tensorflow/tfjs-core";
import { readSafetensors, writeSafetensors } from "../io/safetensors.ts";
import { atomicWrite } from "../io/atomic_write.ts";
import { type TextEncoderConfig, WordTokenizer, type WordTokenizerJson } from "../model/mod.ts";

/** A loaded text side of a foundation model. */
export interface TextEncoderBundle {
  params: Record<string, tf.Variable>;
  cfg: TextEncoderConfig;
  tokenizer: WordTokenizer;
}

/**
 * @param dir the DiT checkpoint folder
 * @param bundle parameters, config and tokenizer
 */
export async function saveTextEncoder(dir: string, bundle: TextEncoderBundle): Promise<void> {
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const [k, v] of Object.entries(bundle.params)) tensors[k] = { shape: v.shape, data: (await v.data()) as Float32Array };
  await writeSafetensors(`${dir}/text_encoder.safetensors`, tensors);
  await atomicWrite(`${dir}/text_encoder.json`, JSON.stringify(bundle.cfg, null, 2));
  await atomicWrite(`${dir}/tokenizer.json`, JSON.stringify(bundle.tokenizer.toJSON()));
}

/**
 * @param dir a DiT checkpoint folder written by the pipeline
 * @returns the text encoder's trainable variables, config and tokenizer
 */
export async function loadTextEncoder(dir: string): Promise<TextEncoderBundle> {
  const read = async (f: string) => {
    try {
      return await Deno.readTextFile(`${dir}/${f}`);
    } catch (e) {
      throw new Error(`Cannot load the text encoder of ${dir}: ${f} unreadable (${(e as Error).message})`);
    }
  };
  const cfg = JSON.parse(await read("text_encoder.json")) as TextEncoderConfig;
  const tokenizer = WordTokenizer.fromJSON(JSON.parse(await read("tokenizer.json")) as WordTokenizerJson);
  const { tensors } = await readSafetensors(`${dir}/text_encoder.safetensors`);
  const params: Record<string, tf.Variable> = {};
  for (const [k, t] of Object.entries(tensors)) {
    params[k] = tf.tidy(() => tf.variable(tf.tensor(t.data, t.shape), true, `text_encoder/${k}/${crypto.randomUUID()}`));
  }
  return { params, cfg, tokenizer };
}
