/**
 * The range check both solvers' `setBeginIndex` make: a schedule entry that
 * is still to be stepped.
 * @param solver the solver's name, for the message
 * @param index the entry to begin at
 * @param steps the schedule's step count (0 before setTimesteps)
 * @throws {RangeError} when index is not an integer in 0..steps−1
 */
export function checkBeginIndex(solver: string, index: number, steps: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= steps) {
    throw new RangeError(`Cannot begin the ${solver} solver at step ${index}: expected an integer in 0..${steps - 1} (call setTimesteps first)`);
  }
}
