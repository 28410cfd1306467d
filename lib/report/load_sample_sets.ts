/**
 * Every scored sample set under a results root: the folders holding a
 * `sampler.json` (how the samples were drawn, verbatim) and the evaluator's
 * `foundation_score.json` — a `sample` task's `<experiment>/<run>/samples/`,
 * and the `<experiment>/<run>/samples/<name>/` folders of scores made before
 * sampling was a task. Notebooks select sample sets by their sampler, never by
 * folder or file names. Two folders with the same foundation, sampler, clips
 * and seed are one sample set drawn twice: the one scored last is kept.
 *
 * References: lib/workbench/sample_foundation.ts (the folder's files);
 * lib/eval/foundation_score.ts (the score).
 */
import { checkSamplerConfig, sameSampler, type SamplerConfig } from "../diffusion/mod.ts";
import type { FoundationScore } from "../eval/mod.ts";

/** One scored sample set. */
export interface SampleSetRecord {
  /** Its folder, relative to the results root. */
  folder: string;
  /** The foundation sampled, as `<experiment>/<run>` (the last two parts of its run folder). */
  foundation: string;
  sampler: SamplerConfig;
  /** realisdance-val-syn clips sampled (its first N) and the noise seed. */
  clips: number;
  seed: number;
  score: FoundationScore;
  /** The strips it holds (eval-NNN.png), in order. */
  strips: string[];
}

/**
 * @param root the results root
 * @returns the scored sample sets, by foundation then folder
 * @throws {RangeError} when a sampler.json is malformed (naming the file)
 * @example
 * ```ts ignore
 * const sets = await loadSampleSets("../results");
 * const auto = sets.filter((s) => s.sampler.guidance.kind === "autoguidance");
 * ```
 */
export async function loadSampleSets(root: string): Promise<SampleSetRecord[]> {
  const found: SampleSetRecord[] = [];
  for (const exp of await folders(root)) {
    for (const run of await folders(`${root}/${exp}`)) {
      const samples = `${exp}/${run}/samples`;
      for (const folder of [samples, ...(await folders(`${root}/${samples}`)).map((n) => `${samples}/${n}`)]) {
        const set = await readSet(root, folder);
        if (set) found.push(set);
      }
    }
  }
  const latest = found.filter((a) =>
    !found.some((b) =>
      b !== a && b.foundation === a.foundation && b.clips === a.clips && b.seed === a.seed && sameSampler(a.sampler, b.sampler) &&
      (b.score.scored_at > a.score.scored_at || (b.score.scored_at === a.score.scored_at && b.folder > a.folder))
    )
  );
  return latest.sort((a, b) => a.foundation.localeCompare(b.foundation) || a.folder.localeCompare(b.folder));
}

/** A folder's sample set, or null when it has no sampler.json or is not scored yet. */
async function readSet(root: string, folder: string): Promise<SampleSetRecord | null> {
  const json = async (name: string) => {
    try {
      return JSON.parse(await Deno.readTextFile(`${root}/${folder}/${name}`));
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return null;
      throw e;
    }
  };
  const sampler: SamplerConfig | null = await json("sampler.json");
  const score: FoundationScore | null = await json("foundation_score.json");
  if (!sampler || !score?.samples) return null;
  checkSamplerConfig(sampler, `${root}/${folder}/sampler.json`);
  const set: { foundation?: string; clips?: number; seed?: number } = (await json("sample_set.json")) ?? {};
  const strips: string[] = [];
  for await (const e of Deno.readDir(`${root}/${folder}`)) if (/^eval-\d+\.png$/.test(e.name)) strips.push(e.name);
  return {
    folder,
    foundation: (set.foundation ?? score.run).replace(/\/+$/, "").split("/").slice(-2).join("/"),
    sampler,
    clips: set.clips ?? score.clips,
    seed: set.seed ?? score.seed ?? 0,
    score,
    strips: strips.sort(),
  };
}

/** The sub-folders of a folder (following links), or none when it does not exist. */
async function folders(dir: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.isDirectory || (e.isSymlink && (await Deno.stat(`${dir}/${e.name}`).catch(() => null))?.isDirectory)) out.push(e.name);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory)) throw e;
  }
  return out.sort();
}
