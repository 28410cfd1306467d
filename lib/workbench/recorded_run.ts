/**
 * A run folder's recorded config as the result notebooks and their tests
 * report it, whichever shape config.json holds (migrate_run_config.ts): the
 * config in today's shape, the design under the name the sweep's tables and
 * the claims use (designLabel: a preset's name for a design equal to that
 * preset, so a run recorded as `"part-finetune"` and one recorded as the
 * preset's value group together), and the evaluation sampler in words.
 *
 * @module
 */
import type { GuidanceConfig } from "../diffusion/mod.ts";
import { migrateRunConfig } from "./migrate_run_config.ts";
import { designLabel } from "./model_design.ts";
import type { RunConfig } from "./run_config.ts";

/** What {@link recordedRun} reads from a recorded config. */
export interface RecordedRun {
  /** The config in today's shape. */
  config: RunConfig;
  /** The design's label (animate and benchmark runs), e.g. "part-finetune" or "concat-unshifted-part"; null for other tasks. */
  design: string | null;
  /** The evaluation sampler in words, e.g. "unipc 20 steps, CFG 2"; null for tasks that sample nothing of their own. */
  sampler: string | null;
}

/**
 * @param recorded the `config` of a run folder's config.json (either shape)
 * @returns the config in today's shape, its design label and its sampler in words
 * @throws {TypeError} as migrateRunConfig does, on a config that is not an object or holds a key of no task
 * @example
 * ```ts
 * import { recordedRun } from "./recorded_run.ts";
 * const old = recordedRun({ task: "animate", model: { design: "part-finetune" }, sample: { solver: "unipc", steps: 20, guidance: 2 } });
 * console.log(old.design, "|", old.sampler); // part-finetune | unipc 20 steps, CFG 2
 * ```
 */
export function recordedRun(recorded: unknown): RecordedRun {
  const config = migrateRunConfig(recorded);
  const design = config.task === "animate" || config.task === "benchmark" ? designLabel(config.model.design) : null;
  const s = config.task === "animate" || config.task === "pretrain" || config.task === "benchmark" ? config.sample : null;
  return { config, design, sampler: s ? `${s.solver} ${s.steps} steps, ${guidanceWords(s.guidance)}` : null };
}

/** "CFG 2" (the first shape's `sample.guidance: 2`), "no guidance" (its 1), or autoguidance's guide and scale. */
function guidanceWords(g: GuidanceConfig): string {
  switch (g.kind) {
    case "none":
      return "no guidance";
    case "cfg":
      return `CFG ${g.scale}`;
    case "autoguidance":
      return `autoguidance by ${g.guide} (${g.caption} caption) at ${g.scale}${g.cfg !== undefined && g.cfg !== 1 ? `, plus CFG ${g.cfg}` : ""}`;
  }
}
