import * as tf from "@tensorflow/tfjs-core";
import type { LatentStats } from "./vae_config.ts";

/**
 * Checks the statistics against z and returns them as [1, C, 1, 1, 1] arrays.
 * @param z latents [B, C, F, H, W]
 * @param options the statistics, and the verb for error messages
 * @returns mean and std tensors (caller disposes through tidy)
 */
export function channelStats(
  z: tf.Tensor,
  options: { stats: LatentStats; verb: string },
): [tf.Tensor, tf.Tensor] {
  const { stats, verb } = options;
  const c = z.shape[1];
  if (z.rank !== 5) {
    throw new RangeError(`Cannot ${verb} latents as they must be [B, C, F, H, W]: received [${z.shape.join(", ")}]`);
  }
  if (stats.mean.length !== c || stats.std.length !== c) {
    throw new RangeError(
      `Cannot ${verb} latents as the statistics must have ${c} channels: received mean ${stats.mean.length}, std ${stats.std.length}`,
    );
  }
  const bad = stats.std.findIndex((s) => !(s > 0) || !Number.isFinite(s));
  if (bad >= 0) {
    throw new RangeError(`Cannot ${verb} latents as std must be > 0: received ${stats.std[bad]} for channel ${bad}`);
  }
  return [tf.tensor(stats.mean, [1, c, 1, 1, 1]), tf.tensor(stats.std, [1, c, 1, 1, 1])];
}
