/**
 * Channel-concatenates the VAE latents of the pose videos in a design's
 * `poses` order: k latents [B, C, F, H, W] → [B, k·C, F, H, W], the
 * `cond.pose` of a design.
 *
 * References: damo-cv/RealisDance `src/pipelines/rd_dit_pipeline.py`
 * (`latent_pose = torch.cat((latent_smpl, latent_hamer), dim=1)`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { PoseName } from "./design_config.ts";

/**
 * @param latents pose latents by name (extra names are ignored)
 * @param poses the order, e.g. `design.poses`
 * @returns [B, k·C, F, H, W] (a new tensor)
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { concatPoses } from "./concat_poses.ts";
 * const pose = concatPoses({ body: tf.zeros([1, 4, 2, 4, 4]), hands: tf.ones([1, 4, 2, 4, 4]) }, ["body", "hands"]);
 * console.log(pose.shape); // [1, 8, 2, 4, 4]
 * ```
 */
export function concatPoses(latents: Partial<Record<PoseName, tf.Tensor>>, poses: readonly PoseName[]): tf.Tensor {
  if (poses.length === 0) throw new RangeError("Cannot concatenate pose latents as poses is empty");
  const list = poses.map((name) => {
    const t = latents[name];
    if (t === undefined) {
      throw new RangeError(
        `Cannot concatenate pose latents as "${name}" is missing: received ${
          Object.keys(latents).join(", ") || "none"
        }`,
      );
    }
    return t;
  });
  const first = list[0];
  list.forEach((t, i) => {
    if (t.rank !== 5 || !tf.util.arraysEqual(t.shape, first.shape)) {
      throw new RangeError(
        `Cannot concatenate pose latents as each must be [B, C, F, H, W] like "${poses[0]}" [${first.shape}]: "${
          poses[i]
        }" is [${t.shape}]`,
      );
    }
  });
  return list.length === 1 ? tf.clone(first) : tf.concat(list, 1); // (B, k·C, F, H, W)
}
