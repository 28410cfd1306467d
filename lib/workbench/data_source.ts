/**
 * Where a run's clips come from (`data.source`): the synthetic generator, or
 * a folder of clips ingested from real videos (`deno task data:ingest`) with
 * its own held-out evaluation split (`deno task data:eval-set --from`).
 *
 * References: RealisDance-DiT (2025) §4 (training on TikTok / UBC-fashion
 * videos, evaluation on held-out clips).
 *
 * @module
 */

/** A run's data source. */
export type DataSource =
  | {
    /**
     * The synthetic generator: training and validation clips from a set, the evaluation clips always from
     * realisdance-val-syn (datasets/realisdance-val-syn/manifest.json).
     */
    kind: "synthetic";
    /** The set of the training and validation clips (absent: "pretrain" for task pretrain, "finetune" otherwise). */
    set?: "pretrain" | "finetune";
  }
  | {
    /**
     * A folder of clip shards of one size (one per video, as `deno task data:ingest --out` writes them). Its
     * evaluation split is fixed by `<path>/<split>_manifest.json` (`deno task data:eval-set --from <path>
     * --clips N`): evaluation and validation clips come from it (the validation loss on its first
     * data.valClips), training clips are all the others. The clip size must be the run's data size.
     * A clip ingested without a caption trains and samples with the empty caption.
     */
    kind: "folder";
    /** The folder, relative to where the command runs (the repository root) or absolute. */
    path: string;
    /** The evaluation split's name (absent: "eval", i.e. `<path>/eval_manifest.json`). */
    split?: string;
  };

/**
 * Checks a data source's fields (the run config treats it as one value, so its keys are checked here).
 *
 * @param source the value of `data.source`
 * @param where context for messages
 * @throws {TypeError} for an unknown kind or key, or a field of the wrong type
 * @example
 * ```ts
 * import { checkDataSource } from "./data_source.ts";
 * checkDataSource({ kind: "folder", path: "datasets/my-videos" });
 * ```
 */
export function checkDataSource(source: DataSource, where = "config"): void {
  const s = source as Record<string, unknown> | null;
  const fields: Record<string, string[]> = { synthetic: ["kind", "set"], folder: ["kind", "path", "split"] };
  if (typeof s !== "object" || s === null || typeof s.kind !== "string" || !(s.kind in fields)) {
    throw new TypeError(
      `In ${where}: data.source must be { kind: "synthetic" } or { kind: "folder", path }, received ${JSON.stringify(source)}`,
    );
  }
  const known = fields[s.kind];
  for (const k of Object.keys(s)) {
    if (!known.includes(k)) {
      throw new TypeError(`In ${where}: unknown key "data.source.${k}" for kind "${s.kind}"; known keys: ${known.join(", ")}`);
    }
  }
  if (s.kind === "synthetic") {
    if (s.set !== undefined && s.set !== "pretrain" && s.set !== "finetune") {
      throw new TypeError(`In ${where}: data.source.set must be "pretrain" or "finetune" (or absent), received ${JSON.stringify(s.set)}`);
    }
    return;
  }
  if (typeof s.path !== "string" || s.path.trim() === "") {
    throw new TypeError(`In ${where}: data.source.path must name a folder of ingested clips, received ${JSON.stringify(s.path)}`);
  }
  if (s.split !== undefined && (typeof s.split !== "string" || !/^[A-Za-z0-9_.-]+$/.test(s.split))) {
    throw new TypeError(`In ${where}: data.source.split must be a name of letters, digits, _ . and - (or absent), received ${JSON.stringify(s.split)}`);
  }
}
