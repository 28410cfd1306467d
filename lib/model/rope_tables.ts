/**
 * cos/sin tables of Wan's 3D RoPE for explicit per-token positions.
 *
 * The head dim d has c = d/2 complex channels, split c − 2⌊c/3⌋ / ⌊c/3⌋ / ⌊c/3⌋
 * (real dims d − 4⌊d/6⌋ / 2⌊d/6⌋ / 2⌊d/6⌋) between frame, height and width.
 * Within an axis part of n real dims, pair j rotates by pos · θ^(−2j/n), θ = 10000.
 * Angles are computed on the host in float64, as the original does, then
 * stored as float32.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (`rope_params`,
 * `rope_apply`, `WanModel.__init__` "freqs").
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/**
 * Per-channel tables, shaped [batch, L, numHeads, d] (a suffix-shaped operand
 * of q/k, which TF.js multiplies without per-element broadcasting):
 * `cos` holds cos θ for both channels of a pair, `sin` holds (−sin θ, +sin θ),
 * so that rotate(x) = x·cos + swapPairs(x)·sin.
 */
export interface RopeTables {
  cos: tf.Tensor;
  sin: tf.Tensor;
  /** The pair-swap permutation [d, d] (x·swap exchanges channels 2i and 2i+1). */
  swap: tf.Tensor;
  /** Number of tokens L. */
  length: number;
  /** Head dim d. */
  headDim: number;
}

/** Options of {@link ropeTables}. */
export interface RopeTablesOptions {
  /** Head dim d (even). */
  headDim: number;
  /** Base θ; 10000 in Wan. */
  theta?: number;
  /** Heads N to lay the tables out for (default 1: broadcast over heads). */
  numHeads?: number;
  /** Batch size B to lay the tables out for (default 1: broadcast over the batch). */
  batch?: number;
}

/**
 * Splits of the d/2 complex channels between the frame, height and width axes.
 * @param headDim head dim d
 * @returns [frame, height, width] numbers of channel pairs
 * @example
 * ```ts
 * import { ropeSplit } from "./rope_tables.ts";
 * console.log(ropeSplit(128)); // [22, 21, 21]
 * ```
 */
export function ropeSplit(headDim: number): [number, number, number] {
  const c = headDim / 2;
  const hw = Math.floor(c / 3);
  return [c - 2 * hw, hw, hw];
}

/**
 * @param positions row-major [L, 3] positions (f, h, w); integers for the grid, any finite reals allowed
 * @param options head dim and base
 * @returns float32 tables [batch, L, numHeads, d] and the pair swap (the caller disposes them)
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import { ropeTables } from "./rope_tables.ts";
 * import { ropePositions } from "./rope_positions.ts";
 * const r = ropeTables(ropePositions([2, 1, 1]), { headDim: 12, numHeads: 3 });
 * console.log(r.cos.shape); // [1, 2, 3, 12]
 * ```
 */
export function ropeTables(positions: ArrayLike<number>, options: RopeTablesOptions): RopeTables {
  const d = options.headDim;
  const theta = options.theta ?? 10000;
  if (!Number.isInteger(d) || d <= 0 || d % 2 !== 0) {
    throw new RangeError(`Cannot build RoPE tables as headDim must be a positive even integer: received ${d}`);
  }
  if (positions.length % 3 !== 0) {
    throw new RangeError(
      `Cannot build RoPE tables as positions must be [L, 3] row-major: received length ${positions.length}`,
    );
  }
  const len = positions.length / 3;
  const c = d / 2;
  const split = ropeSplit(d);
  // Per channel pair: which axis it follows and its inverse frequency θ^(−2j/n).
  const axis = new Int32Array(c);
  const inv = new Float64Array(c);
  let k = 0;
  for (let a = 0; a < 3; a++) {
    const n = 2 * split[a];
    for (let j = 0; j < split[a]; j++, k++) {
      axis[k] = a;
      inv[k] = 1 / Math.pow(theta, (2 * j) / n);
    }
  }
  const heads = options.numHeads ?? 1;
  const batch = options.batch ?? 1;
  for (const [key, v] of [["numHeads", heads], ["batch", batch]] as const) {
    if (!Number.isInteger(v) || v <= 0) {
      throw new RangeError(`Cannot build RoPE tables as ${key} must be a positive integer: received ${v}`);
    }
  }
  const row = heads * d;
  const cos = new Float32Array(batch * len * row);
  const sin = new Float32Array(batch * len * row);
  for (let l = 0; l < len; l++) {
    for (let a = 0; a < 3; a++) {
      const p = positions[3 * l + a];
      if (!Number.isFinite(p)) {
        throw new RangeError(
          `Cannot build RoPE tables as positions must be finite: received ${p} at token ${l}, axis ${a}`,
        );
      }
    }
    for (let j = 0; j < c; j++) {
      const angle = positions[3 * l + axis[j]] * inv[j];
      const cj = Math.cos(angle), sj = Math.sin(angle);
      for (let h = 0; h < heads; h++) {
        const o = l * row + h * d + 2 * j;
        cos[o] = cj;
        cos[o + 1] = cj;
        sin[o] = -sj;
        sin[o + 1] = sj;
      }
    }
  }
  for (let b = 1; b < batch; b++) {
    cos.copyWithin(b * len * row, 0, len * row);
    sin.copyWithin(b * len * row, 0, len * row);
  }
  // A permutation matrix rather than a gather: its gradient is a matMul, where a
  // gather's (UnsortedSegmentSum) is very slow on the TF.js CPU backends.
  const swap = new Float32Array(d * d);
  for (let i = 0; i < d; i++) swap[(i ^ 1) * d + i] = 1;
  return {
    cos: tf.tensor4d(cos, [batch, len, heads, d]),
    sin: tf.tensor4d(sin, [batch, len, heads, d]),
    swap: tf.tensor2d(swap, [d, d]),
    length: len,
    headDim: d,
  };
}
