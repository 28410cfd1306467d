/**
 * The patch embedding of the Wan DiT: a Conv3d with kernel = stride =
 * (pt, ph, pw), written as a linear map over patches flattened in
 * (c, pt, ph, pw) order with the PyTorch weight [dim, in_dim, pt, ph, pw].
 * Token index = f·H'·W' + h·W' + w.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (`patch_embedding`,
 * `u.flatten(2).transpose(1, 2)`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { param, type ParamMap } from "./_nn.ts";

/** Options of {@link patchEmbed}. */
export interface PatchEmbedOptions {
  /** Parameter prefix; `patch_embedding` in Wan (a pose embedding uses its own). */
  prefix?: string;
}

/** Output of {@link patchEmbed}. */
export interface PatchEmbedOutput {
  /** [B, F'·H'·W', dim] */
  tokens: tf.Tensor;
  /** The patch grid (F', H', W'). */
  grid: [number, number, number];
}

/**
 * @param params parameters holding `${prefix}.weight` [dim, C, pt, ph, pw] and `${prefix}.bias` [dim]
 * @param x latents [B, C, F, H, W]; F, H, W divisible by the patch size
 * @param options the parameter prefix
 * @returns tokens [B, L, dim] and the grid
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { patchEmbed } from "./patch_embed.ts";
 * import { initWanParams } from "./init_wan_params.ts";
 * import { MODEL_PRESETS } from "./model_presets.ts";
 * import { Prng } from "../random/mod.ts";
 * const params = initWanParams(MODEL_PRESETS["wan-smoke"], { prng: new Prng(0) });
 * const { tokens, grid } = patchEmbed(params, tf.zeros([1, 4, 2, 4, 4]));
 * console.log(tokens.shape, grid); // [1, 8, 32] [2, 2, 2]
 * ```
 */
export function patchEmbed(params: ParamMap, x: tf.Tensor, options: PatchEmbedOptions = {}): PatchEmbedOutput {
  const prefix = options.prefix ?? "patch_embedding";
  const w = param(params, `${prefix}.weight`);
  if (w.rank !== 5) {
    throw new RangeError(
      `Cannot embed patches as ${prefix}.weight must be [dim, C, pt, ph, pw]: received [${w.shape}]`,
    );
  }
  const [dim, c, pt, ph, pw] = w.shape;
  if (x.rank !== 5 || x.shape[1] !== c) {
    throw new RangeError(`Cannot embed patches as x must be [B, ${c}, F, H, W]: received [${x.shape}]`);
  }
  const [b, , f, h, wd] = x.shape;
  if (f % pt || h % ph || wd % pw) {
    throw new RangeError(
      `Cannot embed patches as F, H, W must be divisible by the patch size (${pt}, ${ph}, ${pw}): received (${f}, ${h}, ${wd})`,
    );
  }
  const grid: [number, number, number] = [f / pt, h / ph, wd / pw];
  const tokens = tf.tidy(() => {
    const x8 = tf.reshape(x, [b, c, grid[0], pt, grid[1], ph, grid[2], pw]); // (B, C, F', pt, H', ph, W', pw)
    const x8t = tf.transpose(x8, [0, 2, 4, 6, 1, 3, 5, 7]); // (B, F', H', W', C, pt, ph, pw)
    const patches = tf.reshape(x8t, [b * grid[0] * grid[1] * grid[2], c * pt * ph * pw]); // (B·L, C·pt·ph·pw)
    const w2 = tf.reshape(w, [dim, c * pt * ph * pw]); // (dim, C·pt·ph·pw)
    const y = tf.add(tf.matMul(patches, w2, false, true), param(params, `${prefix}.bias`)); // (B·L, dim)
    return tf.reshape(y, [b, grid[0] * grid[1] * grid[2], dim]); // (B, L, dim)
  });
  return { tokens, grid };
}
