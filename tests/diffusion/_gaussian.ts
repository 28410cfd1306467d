/**
 * A data distribution whose flow-matching velocity is known in closed form:
 * each element x0 ~ N(μ, s²) independently, ε ~ N(0, 1). Then
 * x_σ ~ N((1 − σ)μ, (1 − σ)²s² + σ²) and the exact velocity is
 * v(x, σ) = E[ε − x0 | x_σ = x] = −μ + (σ − (1 − σ)s²)/std_σ² · (x − (1 − σ)μ).
 * The flow ODE transports x at σ_a to μ + s·(x − (1 − σ_a)μ)/std_{σ_a} at σ = 0.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { ModelFn } from "../../lib/diffusion/mod.ts";

export interface Gaussian {
  mu: tf.Tensor;
  sd: tf.Tensor;
  /** Exact velocity model (reads σ = t/1000). */
  model: ModelFn;
  /** Where the exact flow takes x from noise level sigmaStart to σ = 0. */
  transport(x: tf.Tensor, sigmaStart: number): tf.Tensor;
}

export function gaussian(mu: number[], sd: number[], shape: number[]): Gaussian {
  const m = tf.tensor(mu, shape);
  const s = tf.tensor(sd, shape);
  const model: ModelFn = (x, t) =>
    tf.tidy(() => {
      const sigma = tf.reshape(tf.div(t, 1000), [-1, ...shape.slice(1).map(() => 1)]); // (B, 1, 1, 1, 1)
      const alpha = tf.sub(1, sigma);
      const variance = tf.add(tf.mul(tf.square(alpha), tf.square(s)), tf.square(sigma));
      const gain = tf.div(tf.sub(sigma, tf.mul(alpha, tf.square(s))), variance);
      return tf.add(tf.neg(m), tf.mul(gain, tf.sub(x, tf.mul(alpha, m))));
    });
  const transport = (x: tf.Tensor, sigmaStart: number) =>
    tf.tidy(() => {
      const a = 1 - sigmaStart;
      const std = tf.sqrt(tf.add(tf.mul(tf.square(s), a * a), sigmaStart * sigmaStart));
      return tf.add(m, tf.div(tf.mul(s, tf.sub(x, tf.mul(m, a))), std));
    });
  return { mu: m, sd: s, model, transport };
}

/** max |a − b| */
export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}
