/**
 * Waits briefly at the end of a notebook cell so its display messages reach
 * the frontend before the cell reports completion. Deno's Jupyter kernel can
 * send a cell's idle status ahead of its last `Deno.jupyter.display` messages;
 * `jupyter nbconvert --execute` then drops them (observed here: the last 2 of
 * 5 figures of a cell missing in 1 of 4 runs on a loaded machine, none in 6
 * runs with this wait). The result notebooks call it as every cell's last
 * statement. The test and `notebooks:execute` executor
 * (tests/notebooks/_execute_notebook.py) now keeps such late outputs itself;
 * this wait is for frontends that stop listening at a cell's idle status.
 *
 * References: Jupyter messaging protocol (outputs precede `status: idle` on IOPub).
 */

/**
 * @param ms how long to wait (default 250)
 * @returns a promise resolved after `ms` milliseconds
 * @example
 * ```ts
 * import { settleDisplays } from "./settle_displays.ts";
 * await settleDisplays(0);
 * ```
 */
export function settleDisplays(ms = 250): Promise<void> {
  if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`Cannot wait as ms must be a finite number >= 0: received ${ms}`);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
