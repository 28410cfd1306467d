/**
 * A floor for the memory of training a model in float32 with AdamW, before
 * running anything: the weights, one gradient per trainable value and AdamW's
 * two moments per trainable value. Activations come on top (measure them:
 * `tf.profile(step).peakBytes`), so a model whose floor exceeds a budget
 * cannot train within it.
 *
 * References: Loshchilov & Hutter 2019 (AdamW keeps first and second moments);
 * Rajbhandari et al. 2020 "ZeRO" §3 (model states: parameters, gradients,
 * optimizer states).
 *
 * @module
 */

/** Options of {@link predictTrainingBytes}. */
export interface PredictTrainingBytesOptions {
  /** Bytes per stored value (default 4, float32). */
  bytesPerValue?: number;
}

/**
 * @param counts number of parameter values in total and of trainable ones
 * @param options bytes per value
 * @returns bytesPerValue · (total + 3 · trainable)
 * @example
 * ```ts
 * import { predictTrainingBytes } from "./predict_training_bytes.ts";
 * console.log(predictTrainingBytes({ totalParams: 100, trainableParams: 10 })); // 520
 * ```
 */
export function predictTrainingBytes(
  counts: { totalParams: number; trainableParams: number },
  options: PredictTrainingBytesOptions = {},
): number {
  const { totalParams, trainableParams } = counts;
  const bpv = options.bytesPerValue ?? 4;
  if (!Number.isInteger(totalParams) || totalParams < 0) {
    throw new RangeError(
      `Cannot predict training memory as totalParams must be an integer >= 0: received ${totalParams}`,
    );
  }
  if (!Number.isInteger(trainableParams) || trainableParams < 0 || trainableParams > totalParams) {
    throw new RangeError(
      `Cannot predict training memory as trainableParams must be an integer in [0, ${totalParams}]: received ${trainableParams}`,
    );
  }
  if (!(bpv > 0)) throw new RangeError(`Cannot predict training memory as bytesPerValue must be > 0: received ${bpv}`);
  return bpv * (totalParams + 3 * trainableParams);
}
