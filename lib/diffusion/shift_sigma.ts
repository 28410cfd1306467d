/**
 * Shifts a noise level toward 1: σ' = shift·σ / (1 + (shift − 1)·σ).
 * shift > 1 spends more of the schedule at high noise (Wan uses 5 for
 * 480p T2V sampling, 3 for I2V); shift = 1 is the identity. Maps [0, 1]
 * onto [0, 1] monotonically, with 0 ↦ 0 and 1 ↦ 1.
 *
 * References: Esser et al. 2024 (SD3) §5.3.2 "resolution-dependent shifting";
 * Wan2.1 `wan/utils/fm_solvers_unipc.py` (`shift * sigmas / (1 + (shift - 1) * sigmas)`).
 *
 * @param sigma noise level in [0, 1]
 * @param shift shift factor, > 0
 * @returns the shifted noise level in [0, 1]
 * @example
 * ```ts
 * import { shiftSigma } from "./shift_sigma.ts";
 * console.log(shiftSigma(0.5, 3)); // 0.75
 * ```
 */
export function shiftSigma(sigma: number, shift: number): number {
  if (!(shift > 0) || !Number.isFinite(shift)) {
    throw new RangeError(`Cannot shift sigma as shift must be a finite number > 0: received ${shift}`);
  }
  if (!(sigma >= 0 && sigma <= 1)) {
    throw new RangeError(`Cannot shift sigma as sigma must be in [0, 1]: received ${sigma}`);
  }
  return (shift * sigma) / (1 + (shift - 1) * sigma);
}
