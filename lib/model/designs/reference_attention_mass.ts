/**
 * Do the video tokens look at the reference? For the concat design, the
 * share of each block's self-attention that the video tokens' queries put on
 * the appended reference tokens: softmax(q·kᵀ/√d) over all keys, summed over
 * the reference keys, averaged over batch, heads and video queries. Attention
 * spread evenly over all keys would give Lref / (L + Lref); a design that has
 * learnt to copy the reference's background puts more there.
 *
 * References: RealisDance-DiT (arXiv 2504.14977) §3 (the reference latent
 * appended along the sequence, attended by full self-attention).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { KVCapture } from "../wan_self_attention.ts";
import { type DesignInputs, designForward } from "./design_forward.ts";
import type { DesignConfig } from "./design_config.ts";
import type { LoraConfig } from "./lora_config.ts";
import type { WanConfig } from "../wan_config.ts";
import type { ParamMap } from "../_nn.ts";

/** What {@link referenceAttentionMass} returns. */
export interface ReferenceAttentionMass {
  /** Per denoising block: mean attention probability on the reference tokens. */
  perBlock: number[];
  /** Lref / (L + Lref): the share under attention spread evenly over all keys. */
  uniform: number;
}

/**
 * @param model a concat design (configuration, parameters, design)
 * @param inputs x, t, context, reference (required), pose
 * @returns the reference's share of the video tokens' self-attention per block, and the even-spread share
 * @throws {RangeError} for a design that is not concat or inputs without a reference
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { buildDesign } from "./build_design.ts";
 * import { referenceAttentionMass } from "./reference_attention_mass.ts";
 * import { initWanParams } from "../init_wan_params.ts";
 * import { MODEL_PRESETS } from "../model_presets.ts";
 * import { Prng } from "../../random/mod.ts";
 * const cfg = MODEL_PRESETS["wan-smoke"];
 * const design = { kind: "concat", shiftedRope: true, frameShift: false, poses: [] } as const;
 * const model = buildDesign({ cfg, params: initWanParams(cfg, { prng: new Prng(0) }) }, design, { prng: new Prng(1) });
 * const m = referenceAttentionMass(model, {
 *   x: tf.zeros([1, 4, 2, 4, 4]), t: [500], context: tf.zeros([1, 3, 16]), reference: tf.zeros([1, 4, 1, 4, 4]),
 * });
 * console.log(m.uniform); // 4 / 12 ≈ 0.333 (8 video tokens, 4 reference tokens)
 * ```
 */
export function referenceAttentionMass(
  model: { cfg: WanConfig; params: ParamMap; design: DesignConfig; lora?: LoraConfig },
  inputs: DesignInputs,
): ReferenceAttentionMass {
  if (model.design.kind !== "concat") {
    throw new RangeError(`Cannot measure attention on reference tokens as the design must be concat: received ${model.design.kind}`);
  }
  if (!inputs.reference) throw new RangeError("Cannot measure attention on reference tokens without inputs.reference");
  const [pt, ph, pw] = model.cfg.patch_size;
  const [, , f, h, w] = inputs.x.shape;
  const videoTokens = (f / pt) * (h / ph) * (w / pw);
  const captures: KVCapture[] = Array.from({ length: model.cfg.num_layers }, () => ({ withQuery: true }));
  try {
    designForward(model, inputs, { captureKV: captures }).dispose();
    let total = 0;
    const perBlock = captures.map((c) =>
      tf.tidy(() => {
        const [b, lt, n, d] = c.q!.shape;
        total = lt;
        const q = tf.transpose(tf.slice(c.q!, [0, 0, 0, 0], [b, videoTokens, n, d]), [0, 2, 1, 3]); // (B, N, L, d)
        const k = tf.transpose(c.k!, [0, 2, 1, 3]); // (B, N, L+Lref, d)
        const p = tf.softmax(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(d))); // (B, N, L, L+Lref)
        const onRef = tf.slice(p, [0, 0, 0, videoTokens], [b, n, videoTokens, lt - videoTokens]); // (B, N, L, Lref)
        return tf.mean(tf.sum(onRef, -1)).dataSync()[0];
      })
    );
    return { perBlock, uniform: (total - videoTokens) / total };
  } finally {
    for (const c of captures) tf.dispose([c.q ?? [], c.k ?? [], c.v ?? []]);
  }
}
