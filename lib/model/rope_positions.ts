/**
 * Per-token 3D RoPE positions (f, h, w) of a patch grid, row-major [L, 3],
 * token index f·H'·W' + h·W' + w as in the patch embedding. An offset shifts
 * every position, e.g. to place extra reference tokens after the video.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (`rope_apply`: the
 * frame/height/width frequencies indexed by the grid position of a token).
 *
 * @module
 */

/** Options of {@link ropePositions}. */
export interface RopePositionsOptions {
  /** Added to every (f, h, w); default (0, 0, 0). */
  offset?: readonly [number, number, number];
}

/**
 * @param grid the patch grid (F', H', W')
 * @param options a position offset
 * @returns Int32Array of length 3·F'·H'·W', rows (f, h, w)
 * @example
 * ```ts
 * import { ropePositions } from "./rope_positions.ts";
 * console.log(Array.from(ropePositions([1, 1, 2], { offset: [3, 0, 0] }))); // [3, 0, 0, 3, 0, 1]
 * ```
 */
export function ropePositions(grid: readonly [number, number, number], options: RopePositionsOptions = {}): Int32Array {
  const [f, h, w] = grid;
  for (const [i, v] of grid.entries()) {
    if (!Number.isInteger(v) || v < 0) {
      throw new RangeError(`Cannot build RoPE positions as grid[${i}] must be an integer >= 0: received ${v}`);
    }
  }
  const [of, oh, ow] = options.offset ?? [0, 0, 0];
  if (![of, oh, ow].every(Number.isInteger)) {
    throw new RangeError(`Cannot build RoPE positions as the offset must be integers: received [${options.offset}]`);
  }
  const out = new Int32Array(f * h * w * 3);
  let k = 0;
  for (let i = 0; i < f; i++) {
    for (let j = 0; j < h; j++) {
      for (let l = 0; l < w; l++) {
        out[k++] = i + of;
        out[k++] = j + oh;
        out[k++] = l + ow;
      }
    }
  }
  return out;
}
