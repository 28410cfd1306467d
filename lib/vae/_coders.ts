/**
 * Encoder3d and Decoder3d forward passes on channel-last activations.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/vae.py` (`Encoder3d.forward`,
 * `Decoder3d.forward`).
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { CoderPlan } from "./_architecture.ts";
import type { VaeLayers } from "./_layers.ts";
import { silu } from "../engine/silu.ts";

/**
 * Runs an encoder or decoder: conv in, blocks in order, RMS norm + SiLU + conv out.
 * @param layers the layers bound to the parameters
 * @param options the plan of this coder and its input (B, T, H, W, Cin)
 * @returns (B, T', H', W', Cout)
 */
export function runCoder(layers: VaeLayers, options: { plan: CoderPlan; x: tf.Tensor5D }): tf.Tensor5D {
  const { plan } = options;
  let x = layers.causalConv3d(plan.convIn.name, options.x, { padding: [1, 1, 1] });
  for (const b of plan.blocks) {
    if (b.kind === "res") x = layers.residualBlock(b.name, x);
    else if (b.kind === "attn") x = layers.attentionBlock(b.name, x);
    else if (b.kind === "down") x = layers.downsample(b.name, x, { temporal: b.temporal });
    else x = layers.upsample(b.name, x, { temporal: b.temporal });
  }
  x = silu(layers.rmsNorm(plan.headNorm.name, x));
  return layers.causalConv3d(plan.headConv.name, x, { padding: [1, 1, 1] });
}
