/**
 * Moves the foundation scores written before sampling was a task into sample
 * folders, once. `foundation:score` used to sample and score in one call and
 * name the file after the settings it overrode
 * (`<run>/foundation_score_guidance=2_guide=….json`, strips in
 * `<run>/samples/<that name>/`); now a sample folder holds `sampler.json` and
 * the evaluator's `foundation_score.json`. Each such file becomes
 *
 *   <run>/samples/<its name without .json>/sampler.json        its `sample` record as a SamplerConfig
 *                                          sample_set.json     foundation, clips, seed, strips, migrated_from
 *                                          foundation_score.json  the same numbers, without sample/overrides/strips_dir
 *
 * beside the strips already there (they hold no latents or videos: they were
 * never saved). A VAE-only run's score (no samples) stays at
 * `<run>/foundation_score.json` in the new shape. Folders already migrated are
 * left alone, so running it twice changes nothing.
 *
 *   deno run -A lib/workbench/migrate_foundation_scores.ts [results root]
 *
 * References: lib/diffusion/sampler_config.ts (the fields), the old
 * `FoundationScore.sample` record (solver, steps, guidance, shift, strength,
 * guide { run, caption, cfg }, interval).
 */
import type { GuidanceConfig, SamplerConfig, SolverName } from "../diffusion/mod.ts";
import { checkSamplerConfig } from "../diffusion/mod.ts";
import type { FoundationScore } from "../eval/mod.ts";
import { readJson, writeJson } from "./run_folder.ts";
import { SAMPLE_SET_FILE, type SampleSet, SAMPLER_FILE } from "./sample_foundation.ts";
import { FOUNDATION_SCORE_FILE } from "./score_foundation.ts";

/** The sampler record of a score file written before sampling was a task. */
export interface OldSampleRecord {
  solver: SolverName;
  steps: number;
  /** Classifier-free scale, or autoguidance's when `guide` is set (1: no guidance). */
  guidance: number;
  shift: number;
  /** 1 (or absent): from noise. */
  strength?: number;
  guide?: { run: string; caption: "same" | "empty"; cfg?: number | null } | null;
  interval?: { min: number; max: number } | null;
}

/**
 * @param old a score file's `sample` record
 * @returns the sampler config that draws the same samples (the old sampler guided only at scale ≠ 1 and started
 *   from the clips only at strength < 1)
 * @example
 * ```ts
 * import { samplerFromOldRecord } from "./migrate_foundation_scores.ts";
 * const s = samplerFromOldRecord({ solver: "unipc", steps: 20, guidance: 3, shift: 1, strength: 1, guide: null });
 * console.log(s.guidance); // { kind: "cfg", scale: 3, drop: ["context"] }
 * ```
 */
export function samplerFromOldRecord(old: OldSampleRecord): SamplerConfig {
  const { guide } = old;
  const guidance: GuidanceConfig = old.guidance === 1
    ? { kind: "none" }
    : guide
    ? { kind: "autoguidance", scale: old.guidance, guide: guide.run, caption: guide.caption, ...(guide.cfg ? { cfg: guide.cfg } : {}) }
    : { kind: "cfg", scale: old.guidance, drop: ["context"] };
  const sampler: SamplerConfig = {
    solver: old.solver,
    steps: old.steps,
    shift: old.shift,
    guidance,
    interval: old.interval ? { min: old.interval.min, max: old.interval.max } : null,
    init: old.strength !== undefined && old.strength !== 1 ? { strength: old.strength } : null,
  };
  checkSamplerConfig(sampler, "a migrated score's sample record");
  return sampler;
}

/**
 * @param root the results root (`results/`)
 * @returns the files migrated, as `<old path> → <new path>`
 * @throws {RangeError} when an old record cannot be a sampler config
 */
export async function migrateFoundationScores(root: string): Promise<string[]> {
  const moved: string[] = [];
  for (const run of await subfolders(root, 2)) {
    const files = (await list(run)).filter((n) => /^foundation_score(_.+)?\.json$/.test(n)).sort();
    for (const file of files) {
      const path = `${run}/${file}`;
      const old = (await readJson<Record<string, unknown>>(path))!;
      if (!("sample" in old)) continue; // the new shape: a VAE-only run's score, already migrated
      const { sample, overrides: _o, strips_dir, ...rest } = old as Record<string, unknown> & { sample: OldSampleRecord | null; strips_dir?: string | null };
      if (sample === null) {
        await writeJson(path, { ...rest, seed: null } satisfies Partial<FoundationScore>);
        moved.push(`${path} → ${path}`);
        continue;
      }
      const name = file.replace(/\.json$/, "");
      const dir = `${run}/samples/${name}`;
      await Deno.mkdir(dir, { recursive: true });
      if (strips_dir && strips_dir !== `samples/${name}`) {
        for (const png of (await list(`${run}/${strips_dir}`)).filter((n) => n.endsWith(".png"))) {
          await Deno.rename(`${run}/${strips_dir}/${png}`, `${dir}/${png}`);
        }
      }
      const strips = (await list(dir)).filter((n) => /^eval-\d+\.png$/.test(n)).length;
      const score = rest as unknown as FoundationScore;
      const set: SampleSet = { foundation: score.run, clips: score.clips, seed: score.seed!, strips, migrated_from: file };
      await writeJson(`${dir}/${FOUNDATION_SCORE_FILE}`, score);
      await writeJson(`${dir}/${SAMPLE_SET_FILE}`, set);
      await writeJson(`${dir}/${SAMPLER_FILE}`, samplerFromOldRecord(sample));
      await Deno.remove(path);
      moved.push(`${path} → ${dir}/${FOUNDATION_SCORE_FILE}`);
    }
  }
  return moved;
}

/** The folders `depth` levels below `dir`. */
async function subfolders(dir: string, depth: number): Promise<string[]> {
  if (depth === 0) return [dir];
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isDirectory || e.isSymlink) out.push(...await subfolders(`${dir}/${e.name}`, depth - 1).catch(() => []));
  }
  return out.sort();
}

async function list(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) if (e.isFile) names.push(e.name);
  return names;
}

if (import.meta.main) {
  const moved = await migrateFoundationScores(Deno.args[0] ?? "results");
  for (const line of moved) console.log(line);
  console.log(`${moved.length} score files migrated`);
}
