/**
 * Training objectives of the `-syn` networks (private to lib/eval/syn).
 *
 * References: Oord et al., "Representation Learning with Contrastive
 * Predictive Coding" (2018), InfoNCE; Radford et al., CLIP (2021), the
 * symmetric cross-view form; Chen et al., SimCLR (2020), temperature 0.1.
 */
import * as tf from "@tensorflow/tfjs-core";

/**
 * Symmetric InfoNCE between two views: row i of a and row i of b are a
 * positive pair, all other rows negatives. With â, b̂ unit rows and
 * L = â·b̂ᵀ/τ: ½(CE(L, I) + CE(Lᵀ, I)).
 */
export function infoNce(a: tf.Tensor2D, b: tf.Tensor2D, temperature: number): tf.Scalar {
  return tf.tidy(() => {
    const na = tf.div(a, tf.add(tf.norm(a, 2, 1, true), 1e-8));
    const nb = tf.div(b, tf.add(tf.norm(b, 2, 1, true), 1e-8));
    const logits = tf.div(tf.matMul(na, nb, false, true), temperature) as tf.Tensor2D; // (B, B)
    const eye = tf.eye(a.shape[0]);
    const ab = tf.neg(tf.mean(tf.sum(tf.mul(eye, tf.logSoftmax(logits, 1)), 1)));
    const ba = tf.neg(tf.mean(tf.sum(tf.mul(eye, tf.logSoftmax(tf.transpose(logits), 1)), 1))); // (B, B) transposed
    return tf.mul(tf.add(ab, ba), 0.5) as tf.Scalar;
  });
}

/** Mean cross-entropy over the rows where mask = 1 (0 when none): logits [N, K], oneHot [N, K], mask [N]. */
export function maskedCrossEntropy(logits: tf.Tensor2D, oneHot: tf.Tensor2D, mask: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const perRow = tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits, 1)), 1)); // (N)
    return tf.div(tf.sum(tf.mul(perRow, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
  });
}

/** Fraction of masked rows whose arg-max logit is the labelled class. */
export async function maskedAccuracy(logits: tf.Tensor2D, labels: Int32Array, mask: Float32Array): Promise<number> {
  const pred = tf.argMax(logits, 1);
  const p = await pred.data();
  pred.dispose();
  let hit = 0, n = 0;
  for (let i = 0; i < labels.length; i++) {
    if (!mask[i]) continue;
    n++;
    if (p[i] === labels[i]) hit++;
  }
  return n ? hit / n : NaN;
}
