/**
 * Merges LoRA adapters into the weights they sit on: W ← W + (α/r)·B·A for
 * every `X.lora_A.weight` / `X.lora_B.weight` pair, the adapters dropped, so
 * the result has the foundation's names and shapes and loads wherever the
 * full model does. The design's forward pass runs its adapters through this
 * very function on every call (differentiably: the gradient reaches A and B
 * through the sum), so a merged checkpoint computes exactly what the
 * unmerged model computes.
 *
 * References: Hu et al. 2021, "LoRA" §4.1 (W = W0 + BA, merged for
 * inference with no extra latency); huggingface/peft
 * `tuners/lora/layer.py` (`merge`: weight += scaling·B@A).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { ParamMap } from "../_nn.ts";
import { checkLoraConfig, type LoraConfig } from "./lora_config.ts";

const ADAPTER = /^(blocks\.(\d+)\.(.+))\.lora_([AB])\.weight$/;

/**
 * @param params the parameters with adapters (not disposed)
 * @param lora the adapters' rank, α and targets
 * @returns a new map: every adapted weight merged (new tensors, owned by the caller or the enclosing tidy),
 *   every other entry the same tensor as in `params`, no adapters
 * @throws {RangeError} when an adapter is missing, on a layer outside `targets`, or of the wrong shape
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { mergeLora } from "./merge_lora.ts";
 * const merged = mergeLora({
 *   "blocks.0.ffn.0.weight": tf.zeros([2, 2]),
 *   "blocks.0.ffn.0.lora_A.weight": tf.tensor2d([[1, 2]]),
 *   "blocks.0.ffn.0.lora_B.weight": tf.tensor2d([[1], [0]]),
 * }, { rank: 1, alpha: 2, targets: ["ffn.0"] });
 * console.log(merged["blocks.0.ffn.0.weight"].arraySync()); // [[2, 4], [0, 0]]
 * ```
 */
export function mergeLora(params: ParamMap, lora: LoraConfig): Record<string, tf.Tensor> {
  checkLoraConfig(lora);
  const scale = lora.alpha / lora.rank;
  const out: Record<string, tf.Tensor> = {};
  const layers = new Set<string>();
  const blocks = new Set<string>();
  for (const [name, p] of Object.entries(params)) {
    const m = ADAPTER.exec(name);
    if (!m) {
      out[name] = p;
      const b = /^blocks\.(\d+)\./.exec(name);
      if (b) blocks.add(b[1]);
      continue;
    }
    if (!(lora.targets as readonly string[]).includes(m[3])) {
      throw new RangeError(`Cannot merge the adapter "${name}" as ${m[3]} is not a target of this LoRA (${lora.targets.join(", ")})`);
    }
    layers.add(m[1]);
  }
  const expected = blocks.size * lora.targets.length;
  if (layers.size !== expected) {
    throw new RangeError(
      `Cannot merge the LoRA adapters as ${blocks.size} blocks × ${lora.targets.length} targets need ${expected} adapted layers: found ${layers.size} (build the design with this scope)`,
    );
  }
  for (const layer of layers) {
    const get = (n: string) => {
      const t = params[n];
      if (t === undefined) throw new RangeError(`Cannot merge the adapter of ${layer} as "${n}" is missing`);
      return t;
    };
    const w = get(`${layer}.weight`), a = get(`${layer}.lora_A.weight`), b = get(`${layer}.lora_B.weight`);
    const [o, i] = w.shape;
    if (!tf.util.arraysEqual(a.shape, [lora.rank, i]) || !tf.util.arraysEqual(b.shape, [o, lora.rank])) {
      throw new RangeError(
        `Cannot merge the adapter of ${layer} as A must be [${lora.rank}, ${i}] and B [${o}, ${lora.rank}]: received [${a.shape}] and [${b.shape}]`,
      );
    }
    out[`${layer}.weight`] = tf.tidy(() => tf.add(w, tf.mul(tf.matMul(b as tf.Tensor2D, a as tf.Tensor2D), scale))); // (out, in)
  }
  return out;
}
