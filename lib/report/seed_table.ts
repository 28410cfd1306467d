/**
 * A results table with one row per group (design, sampler, batch…) and, per
 * column, "mean ± std" over the group's runs (one per seed), with the seeds
 * listed, so every number of a comparison shows its spread and provenance.
 *
 * References: issue 9 ("at least 3 seeds … show the spread").
 */
import { meanStdText, type SeedStats, seedStats } from "./seed_stats.ts";

/** A run as the table reads it: its seed, plus whatever the accessors need. */
export interface SeededRun {
  seed: number;
}

/** Options of {@link seedTable}. */
export interface SeedTableOptions<R extends SeededRun> {
  /** The group a run belongs to (a row). */
  group: (run: R) => string;
  /** Column name → the run's value (null/undefined/NaN = missing). */
  columns: Record<string, (run: R) => number | null | undefined>;
  /** Row order (default: first appearance); groups not listed follow. */
  order?: readonly string[];
  /** Name of the group column (default "group"). */
  label?: string;
  /** Significant digits (default 4). */
  digits?: number;
}

/** The table and the statistics behind it. */
export interface SeedTable {
  /** One record per group: label, "seeds", "n", then each column's "mean ± std". */
  rows: Record<string, string | number>[];
  /** group → column → stats. */
  stats: Record<string, Record<string, SeedStats>>;
}

/**
 * @param runs the runs
 * @param options grouping, columns, order
 * @returns rows for `tableBundle` and the stats
 * @example
 * ```ts
 * import { seedTable } from "./seed_table.ts";
 * const runs = [{ seed: 0, d: "a", v: 1 }, { seed: 1, d: "a", v: 3 }];
 * const t = seedTable(runs, { group: (r) => r.d, columns: { v: (r) => r.v }, label: "design" });
 * console.log(t.rows[0]); // { design: "a", seeds: "0, 1", n: 2, v: "2 ± 1.414" }
 * ```
 */
export function seedTable<R extends SeededRun>(runs: readonly R[], options: SeedTableOptions<R>): SeedTable {
  const { label = "group", digits = 4 } = options;
  const groups = new Map<string, R[]>();
  for (const g of options.order ?? []) groups.set(g, []);
  for (const r of runs) {
    const g = options.group(r);
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push(r);
  }
  const rows: SeedTable["rows"] = [];
  const stats: SeedTable["stats"] = {};
  for (const [g, members] of groups) {
    if (members.length === 0) continue;
    const row: Record<string, string | number> = {
      [label]: g,
      seeds: [...new Set(members.map((r) => r.seed))].sort((a, b) => a - b).join(", "),
      n: members.length,
    };
    stats[g] = {};
    for (const [name, get] of Object.entries(options.columns)) {
      const s = seedStats(members.map((r) => {
        const v = get(r);
        return typeof v === "number" ? v : null;
      }));
      stats[g][name] = s;
      row[name] = meanStdText(s, { digits });
    }
    rows.push(row);
  }
  return { rows, stats };
}
