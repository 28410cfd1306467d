import * as tf from "@tensorflow/tfjs-core";
import type { VaeConfig } from "./vae_config.ts";
import { vaeCompression } from "./vae_compression.ts";

/**
 * A pixel mask at the latent grid of a VAE: latent position (f, h, w) is 1
 * when any pixel of the block it encodes is 1 (max-pooling). The first frame
 * is encoded alone and every later latent frame covers `temporal` frames, so
 * frame 0 maps to latent frame 0 and frames 1 + k·temporal … (k + 1)·temporal
 * to latent frame k + 1; space is pooled in `spatial` × `spatial` blocks.
 * Used to weight the character's latents in a loss.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/vae.py` (the causal encoder reads
 * frame 0 alone, then chunks of 4 frames; 8× spatial per 3 downsamplings).
 *
 * @param mask a mask [B, 1, F, H, W] with values in [0, 1]
 * @param config the VAE whose latent grid to use
 * @returns the pooled mask [B, 1, 1 + (F − 1)/temporal, H/spatial, W/spatial]
 * @throws {RangeError} when the mask is not [B, 1, F, H, W] or F − 1, H, W do not divide by the compression
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { latentMask } from "./latent_mask.ts";
 * import { VAE_PRESETS } from "./vae_presets.ts";
 * const m = latentMask(tf.zeros([1, 1, 9, 32, 32]), VAE_PRESETS["vae-toy-z16"]);
 * console.log(m.shape); // [1, 1, 3, 8, 8]
 * ```
 */
export function latentMask(mask: tf.Tensor, config: VaeConfig): tf.Tensor {
  const { spatial, temporal } = vaeCompression(config);
  const [b, c, f, h, w] = mask.shape;
  if (mask.rank !== 5 || c !== 1) {
    throw new RangeError(
      `Cannot pool a latent mask as mask must be [B, 1, F, H, W]: received [${mask.shape}]`,
    );
  }
  if ((f - 1) % temporal !== 0 || h % spatial !== 0 || w % spatial !== 0) {
    throw new RangeError(
      `Cannot pool a latent mask of [${mask.shape}] to this VAE's grid: F − 1 must divide by ${temporal} ` +
        `and H, W by ${spatial}`,
    );
  }
  return tf.tidy(() => {
    const first = tf.slice(mask, [0, 0, 0, 0, 0], [b, 1, 1, h, w]); // (B, 1, 1, H, W)
    const rest = tf.slice(mask, [0, 0, 1, 0, 0], [b, 1, f - 1, h, w]); // (B, 1, F−1, H, W)
    const groups = (f - 1) / temporal;
    const restT = tf.max(tf.reshape(rest, [b, 1, groups, temporal, h, w]), 3); // (B, 1, (F−1)/t, H, W)
    const frames = tf.concat([first, restT], 2); // (B, 1, F', H, W)
    const fl = 1 + groups, hl = h / spatial, wl = w / spatial;
    const blocks = tf.reshape(frames, [b, fl, hl, spatial, wl, spatial]); // (B, F', H', s, W', s)
    return tf.reshape(tf.max(blocks, [3, 5]), [b, 1, fl, hl, wl]); // (B, 1, F', H', W')
  });
}
