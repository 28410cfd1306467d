/**
 * Exponential moving average of a curve, debiased as TensorBoard's scalar
 * smoothing is: s_t = w·s_{t−1} + (1 − w)·x_t with s_0 = 0, divided by
 * 1 − w^t, so the first points are not pulled toward zero. The notebooks use
 * it (w = 0.9) for the training-loss curves, whose per-step values are noisy
 * (each step sees a different batch and noise level). Non-finite points are
 * skipped (they keep the previous average and give null).
 *
 * References: TensorBoard scalar dashboard smoothing (debiased EMA);
 * RealisDance-DiT (2025) plots smoothed training losses (smoothing unstated).
 */

/**
 * @param values the raw curve (null = missing point)
 * @param options the weight w in [0, 1) (default 0.9)
 * @returns the smoothed curve, same length
 * @example
 * ```ts
 * import { emaSmooth } from "./ema_smooth.ts";
 * console.log(emaSmooth([1, 0], { weight: 0.5 })); // [1, 0.3333333333333333]
 * ```
 */
export function emaSmooth(values: readonly (number | null)[], options: { weight?: number } = {}): (number | null)[] {
  const { weight = 0.9 } = options;
  if (!(weight >= 0 && weight < 1)) {
    throw new RangeError(`Cannot smooth a curve as weight must be in [0, 1): received ${weight}`);
  }
  let acc = 0, k = 0;
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return null;
    acc = weight * acc + (1 - weight) * v;
    k++;
    return acc / (1 - weight ** k);
  });
}
