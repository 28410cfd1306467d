/**
 * The feature-matrix type shared by the Fréchet distance and the VBench
 * aggregations, and its validation.
 *
 * References: pytorch-fid `calculate_activation_statistics` (activations [N, D]).
 */

/** N feature vectors of dimension D, row-major: `shape` is [N, D]. */
export interface Features {
  data: Float32Array | Float64Array;
  shape: [number, number];
}

/** Features of F frames of each of N videos, row-major: `shape` is [N, F, D]. */
export interface FrameFeatures {
  data: Float32Array | Float64Array;
  shape: [number, number, number];
}

/** Overall and per-video scores of a VBench dimension (VBench returns both). */
export interface VbenchScore {
  /** The dimension's overall score. */
  score: number;
  /** One score per video, in input order. */
  perVideo: number[];
}

/** A {@link Features} or an array of N rows of D numbers. */
export type FeaturesLike = Features | number[][];

/**
 * Validates a feature matrix (shape, length, finite values) and returns it
 * as {@link Features}; nested arrays are copied to a Float64Array.
 *
 * @param input the features
 * @param name how errors name this input, e.g. "a"
 * @returns the checked features (no copy for Features inputs)
 * @example
 * ```ts
 * import { toFeatures } from "./features.ts";
 * console.log(toFeatures([[1, 2], [3, 4]], "a").shape); // [2, 2]
 * ```
 */
export function toFeatures(input: FeaturesLike, name = "features"): Features {
  let feats: Features;
  if (Array.isArray(input)) {
    const n = input.length;
    const d = n > 0 && Array.isArray(input[0]) ? input[0].length : 0;
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const row = input[i];
      if (!Array.isArray(row) || row.length !== d) {
        throw new RangeError(
          `Cannot use ${name} as features: every row must have ${d} numbers, row ${i} has ${
            Array.isArray(row) ? row.length : typeof row
          }`,
        );
      }
      for (let j = 0; j < d; j++) data[i * d + j] = row[j];
    }
    feats = { data, shape: [n, d] };
  } else {
    feats = input;
  }
  const { data, shape } = feats;
  if (!(data instanceof Float32Array) && !(data instanceof Float64Array)) {
    throw new TypeError(`Cannot use ${name} as features: data must be a Float32Array or Float64Array`);
  }
  if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((s) => Number.isInteger(s) && s >= 0)) {
    throw new RangeError(`Cannot use ${name} as features: shape must be [N, D], received ${JSON.stringify(shape)}`);
  }
  if (shape[0] === 0 || shape[1] === 0) {
    throw new RangeError(`Cannot use ${name} as features: the set is empty, received shape [${shape}]`);
  }
  if (data.length !== shape[0] * shape[1]) {
    throw new RangeError(
      `Cannot use ${name} as features: shape [${shape}] needs ${shape[0] * shape[1]} values, received ${data.length}`,
    );
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new RangeError(
        `Cannot use ${name} as features: value ${data[i]} at row ${Math.floor(i / shape[1])}, column ${
          i % shape[1]
        } is not finite`,
      );
    }
  }
  return feats;
}
