/**
 * Spatially shifted RoPE: the RoPE positions (f, h, w) of the reference latent
 * tokens in the concat design. Shifted (RealisDance-DiT): the reference grid is placed diagonally
 * past the video's patch grid, h ∈ [H, H+H'), w ∈ [W, W+W'), so no reference
 * token shares a position with a video token whatever H', W' are. Unshifted
 * (the ablation): h ∈ [0, H'), w ∈ [0, W'), overlapping the first frame. The
 * frame index is 0, or F (one past the last video frame) with `frameShift`.
 *
 * References: RealisDance-DiT (arXiv 2504.14977) §3 ("shifted RoPE");
 * damo-cv/RealisDance `src/models/rd_dit.py` (`ShiftedWanRotaryPosEmbed`:
 * h from pph, w from ppw; its frame shift is a fixed index 81, here F).
 *
 * @module
 */
import { ropePositions } from "../rope_positions.ts";

/** Options of {@link shiftedRopePositions}. */
export interface ShiftedRopePositionsOptions {
  /** Spatial shift by the video grid (H, W); false places the reference at h, w from 0. */
  shiftedRope: boolean;
  /** Frame index F instead of 0 (default false). */
  frameShift?: boolean;
}

/**
 * @param grids the video patch grid (F, H, W) and the reference patch grid (F', H', W'), F' usually 1
 * @param options the shifts
 * @returns Int32Array [F'·H'·W', 3] row-major, token order of the reference patch embedding
 * @example
 * ```ts
 * import { shiftedRopePositions } from "./shifted_rope_positions.ts";
 * const p = shiftedRopePositions({ video: [2, 2, 3], reference: [1, 1, 2] }, { shiftedRope: true });
 * console.log(Array.from(p)); // [0, 2, 3, 0, 2, 4]
 * ```
 */
export function shiftedRopePositions(
  grids: { video: readonly [number, number, number]; reference: readonly [number, number, number] },
  options: ShiftedRopePositionsOptions,
): Int32Array {
  const [f, h, w] = grids.video;
  for (const [i, v] of grids.video.entries()) {
    if (!Number.isInteger(v) || v < 1) {
      throw new RangeError(`Cannot place reference tokens as video grid[${i}] must be an integer >= 1: received ${v}`);
    }
  }
  const offset: [number, number, number] = [
    options.frameShift ? f : 0,
    options.shiftedRope ? h : 0,
    options.shiftedRope ? w : 0,
  ];
  return ropePositions(grids.reference, { offset });
}
