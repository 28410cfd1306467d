/**
 * Stops a design that does not fit a memory budget before it trains, with a
 * message naming both figures: how the workbench reports the paper's
 * out-of-memory row honestly (the design is not trained, and says why).
 *
 * References: RealisDance-DiT (arXiv 2504.14977), ablation of model designs
 * (the Reference Net row runs out of memory).
 *
 * @module
 */

/** Thrown by {@link checkMemoryBudget}; carries the figures. */
export class MemoryBudgetError extends RangeError {
  /**
   * @param design the design's name
   * @param bytes the figure over budget
   * @param budgetBytes the budget
   * @param source whether `bytes` was measured during a training step or predicted before one
   */
  constructor(
    readonly design: string,
    readonly bytes: number,
    readonly budgetBytes: number,
    readonly source: "measured" | "predicted",
  ) {
    super(
      `Cannot train design "${design}" within the memory budget: its ${source} peak is ${
        formatBytes(bytes)
      } (${bytes} B) and the budget is ${formatBytes(budgetBytes)} (${budgetBytes} B) — out of memory`,
    );
    this.name = "MemoryBudgetError";
  }
}

/**
 * @param design the design's name (for the message)
 * @param budgetBytes the budget in bytes
 * @param figures the measured peak and/or the predicted floor, in bytes
 * @returns nothing; throws {@link MemoryBudgetError} when a figure exceeds the budget (the predicted one is checked first)
 * @example
 * ```ts
 * import { checkMemoryBudget } from "./check_memory_budget.ts";
 * checkMemoryBudget("full-finetune", 8e9, { predictedBytes: 1e9, peakBytes: 2e9 }); // fits: no error
 * try {
 *   checkMemoryBudget("reference-net", 8e9, { predictedBytes: 9e9 });
 * } catch (e) {
 *   console.log((e as Error).message); // Cannot train design "reference-net" within the memory budget: its predicted peak is 9.00 GB …
 * }
 * ```
 */
export function checkMemoryBudget(
  design: string,
  budgetBytes: number,
  figures: { peakBytes?: number; predictedBytes?: number },
): void {
  if (!(budgetBytes > 0) || !Number.isFinite(budgetBytes)) {
    throw new RangeError(`Cannot check the memory budget as it must be a finite number > 0: received ${budgetBytes}`);
  }
  const { peakBytes, predictedBytes } = figures;
  if (peakBytes === undefined && predictedBytes === undefined) {
    throw new RangeError(
      `Cannot check the memory budget of "${design}" as neither peakBytes nor predictedBytes is given`,
    );
  }
  if (predictedBytes !== undefined && predictedBytes > budgetBytes) {
    throw new MemoryBudgetError(design, predictedBytes, budgetBytes, "predicted");
  }
  if (peakBytes !== undefined && peakBytes > budgetBytes) {
    throw new MemoryBudgetError(design, peakBytes, budgetBytes, "measured");
  }
}

/** @returns bytes in decimal units with two decimals, e.g. "9.00 GB". */
function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let v = bytes, u = 0;
  while (Math.abs(v) >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(2)} ${units[u]}`;
}
