/** Shared argument checks of the timestep samplers. */

/** Throws unless n is an integer >= 0. */
export function checkCount(n: number): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`Cannot draw timesteps as n must be an integer >= 0: received ${n}`);
  }
}
