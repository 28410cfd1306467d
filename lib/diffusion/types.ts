/**
 * The model as the diffusion code sees it: a function, never an import.
 *
 * References: facebookresearch/DiT `diffusion/gaussian_diffusion.py`
 * (`training_losses(model, x, t, model_kwargs)`).
 */
import type * as tf from "@tensorflow/tfjs-core";

/** Named conditioning tensors (context, reference, pose, …); opaque to the diffusion code except for CFG drops. */
export type Cond = Record<string, tf.Tensor>;

/**
 * A velocity model: x [B, C, F, H, W], t [B] float32 in 0..1000 (t = 1000·σ),
 * returns v [B, C, F, H, W] (the flow-matching target ε − x0).
 */
export type ModelFn = (x: tf.Tensor, t: tf.Tensor, cond: Cond) => tf.Tensor;
