/**
 * Layers of the `-syn` networks on channels-last tensors with PyTorch-layout
 * weights and PyTorch's symmetric zero padding (private to lib/eval/syn).
 *
 * References: torch.nn.Conv2d / Conv3d (padding=k//2, weight [out, in, k…]);
 * torch.nn.GroupNorm (Wu & He, ECCV 2018).
 */
import * as tf from "@tensorflow/tfjs-core";

/** 3×3 Conv2d, padding 1, then bias and ReLU: x [N, H, W, Cin] → [N, H', W', Cout]. */
export function conv2dRelu(x: tf.Tensor4D, w: tf.Tensor, b: tf.Tensor, stride: number): tf.Tensor4D {
  const filter = tf.transpose(w, [2, 3, 1, 0]) as tf.Tensor4D; // (kh, kw, Cin, Cout)
  const padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]);
  return tf.relu(tf.add(tf.conv2d(padded, filter, stride, "valid"), b));
}

/**
 * Conv3d with kernel [kt, kh, kw], padding [kt/2, kh/2, kw/2] (floored), then
 * bias, an optional parameter-free GroupNorm (`groups` > 0) and ReLU:
 * x [N, T, H, W, Cin] → [N, T', H', W', Cout].
 */
export function conv3dRelu(
  x: tf.Tensor5D,
  w: tf.Tensor,
  b: tf.Tensor,
  stride: [number, number, number],
  groups = 0,
): tf.Tensor5D {
  const [, , kt, kh, kw] = w.shape;
  const filter = tf.transpose(w, [2, 3, 4, 1, 0]) as tf.Tensor5D; // (kt, kh, kw, Cin, Cout)
  const pt = Math.floor(kt / 2), ph = Math.floor(kh / 2), pw = Math.floor(kw / 2);
  const padded = pt + ph + pw > 0 ? tf.pad(x, [[0, 0], [pt, pt], [ph, ph], [pw, pw], [0, 0]]) : x;
  const y = tf.add(tf.conv3d(padded as tf.Tensor5D, filter, stride, "valid"), b) as tf.Tensor5D;
  return tf.relu(groups > 0 ? groupNorm(y, groups) : y);
}

/**
 * torch.nn.GroupNorm(groups, C, eps=1e-5, affine=False) on channels-last
 * [N, T, H, W, C]: each sample's channels split into `groups` groups,
 * normalised to zero mean and unit (biased) variance over the group's
 * channels and all of T, H, W.
 */
export function groupNorm(y: tf.Tensor5D, groups: number): tf.Tensor5D {
  const [n, t, h, w, c] = y.shape;
  const g = tf.reshape(y, [n, t * h * w, groups, c / groups]); // (N, T·H·W, G, C/G)
  const { mean, variance } = tf.moments(g, [1, 3], true);
  return tf.reshape(tf.div(tf.sub(g, mean), tf.sqrt(tf.add(variance, 1e-5))), [n, t, h, w, c]) as tf.Tensor5D; // (N, T, H, W, C)
}

/** Linear: x [N, in] · Wᵀ + b with W [out, in]. */
export function linear(x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  return tf.add(tf.matMul(x, w as tf.Tensor2D, false, true), b);
}

/** The training heads' logits, by head name. */
export function headLogits(
  params: Record<string, tf.Tensor>,
  features: tf.Tensor2D,
  heads: Readonly<Record<string, number>>,
): Record<string, tf.Tensor2D> {
  const out: Record<string, tf.Tensor2D> = {};
  for (const h of Object.keys(heads)) out[h] = linear(features, params[`heads.${h}.weight`], params[`heads.${h}.bias`]);
  return out;
}

/** Throws a TypeError naming the first parameter the network needs that is missing. */
export function requireParams(params: Record<string, tf.Tensor>, names: string[], network: string): void {
  for (const n of names) {
    if (!params[n]) throw new TypeError(`Cannot run ${network}: parameter "${n}" is missing`);
  }
}
