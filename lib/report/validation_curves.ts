/**
 * A metric logged during DiT training, one curve per run, on one axis of
 * total DiT steps: a run that continues another's DiT (`model.checkpoint`) is
 * drawn from where that run ended, its source's own offset and steps added
 * (the lineage walked back to a run trained from scratch).
 *
 * References: lib/train/metrics_log.ts (the `dit` phase rows).
 */
import type { Series } from "./line_figure.ts";
import type { FinishedRun } from "./load_finished_runs.ts";
import { checkpointRun, resultNumber, storedConfig } from "./_stored_run.ts";

/**
 * @param found the runs (a source outside them counts as a start from scratch)
 * @param key the metric, e.g. "val_loss"
 * @returns one series per run that logged it, x in total DiT steps
 * @throws {RangeError} when continued runs form a cycle
 * @example
 * ```ts ignore
 * await displayFigure(lineFigure(validationCurves(found, "val_loss"), { xTitle: "total DiT steps" }), "validation loss");
 * ```
 */
export function validationCurves(found: readonly FinishedRun[], key: string): Series[] {
  const offset = (name: string, seen: string[] = []): number => {
    if (seen.includes(name)) throw new RangeError(`Cannot place ${name} on total DiT steps: its runs continue each other in a cycle (${[...seen, name].join(" → ")})`);
    const run = found.find((f) => f.name === name)!.run;
    const source = checkpointRun(storedConfig(run).model.checkpoint, "dit");
    const from = source !== null ? found.find((f) => f.name === source) : undefined;
    return from ? offset(from.name, [...seen, name]) + (resultNumber(from.run, "steps") ?? 0) : 0;
  };
  return found.map(({ name, run }) => {
    const rows = run.metrics.filter((m) => m.phase === "dit" && typeof m[key] === "number");
    const at = offset(name);
    return { name, x: rows.map((m) => (m.step as number) + at), y: rows.map((m) => m[key] as number) };
  }).filter((s) => s.x.length > 0);
}
