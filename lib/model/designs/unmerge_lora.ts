/**
 * The inverse of {@link mergeLora}: takes the adapters back out of merged
 * weights, W ← W' − (α/r)·B·A, and returns the parameters with the adapters
 * beside them, e.g. to keep training a LoRA whose merged checkpoint and
 * adapter file are all that was kept. Exact up to float32 rounding.
 *
 * References: Hu et al. 2021, "LoRA" §4.1 (switching tasks by subtracting BA);
 * huggingface/peft `tuners/lora/layer.py` (`unmerge`: weight −= scaling·B@A).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { ParamMap } from "../_nn.ts";
import { checkLoraConfig, type LoraConfig } from "./lora_config.ts";

const ADAPTER = /^(blocks\.\d+\.(.+))\.lora_A\.weight$/;

/**
 * @param merged merged parameters (no adapters; not disposed)
 * @param adapters the `….lora_A.weight` / `….lora_B.weight` tensors (not disposed; other entries ignored)
 * @param lora the adapters' rank, α and targets
 * @returns a new map: adapted weights unmerged (new tensors), the adapters and every other entry as given
 * @throws {RangeError} when a weight or a B is missing, or merged already holds adapters
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { unmergeLora } from "./unmerge_lora.ts";
 * const p = unmergeLora({ "blocks.0.ffn.0.weight": tf.tensor2d([[2, 4], [0, 0]]) }, {
 *   "blocks.0.ffn.0.lora_A.weight": tf.tensor2d([[1, 2]]),
 *   "blocks.0.ffn.0.lora_B.weight": tf.tensor2d([[1], [0]]),
 * }, { rank: 1, alpha: 2, targets: ["ffn.0"] });
 * console.log(p["blocks.0.ffn.0.weight"].arraySync()); // [[0, 0], [0, 0]]
 * ```
 */
export function unmergeLora(merged: ParamMap, adapters: ParamMap, lora: LoraConfig): Record<string, tf.Tensor> {
  checkLoraConfig(lora);
  const inMerged = Object.keys(merged).find((n) => /\.lora_[AB]\.weight$/.test(n));
  if (inMerged) throw new RangeError(`Cannot unmerge as the merged parameters already hold the adapter "${inMerged}"`);
  const scale = lora.alpha / lora.rank;
  const out: Record<string, tf.Tensor> = { ...merged };
  for (const [name, a] of Object.entries(adapters)) {
    const m = ADAPTER.exec(name);
    if (!m) continue;
    const layer = m[1];
    const b = adapters[`${layer}.lora_B.weight`];
    const w = merged[`${layer}.weight`];
    if (b === undefined) throw new RangeError(`Cannot unmerge ${layer} as "${layer}.lora_B.weight" is missing`);
    if (w === undefined) throw new RangeError(`Cannot unmerge ${layer} as the merged parameters have no "${layer}.weight"`);
    out[`${layer}.weight`] = tf.tidy(() => tf.sub(w, tf.mul(tf.matMul(b as tf.Tensor2D, a as tf.Tensor2D), scale))); // (out, in)
    out[name] = a;
    out[`${layer}.lora_B.weight`] = b;
  }
  return out;
}
