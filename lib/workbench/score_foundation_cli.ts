/**
 * `deno task foundation:score`: scores saved samples (lib/workbench/score_foundation.ts)
 * and writes `foundation_score.json` into each folder; notebook 06 reads it.
 * It never samples: a `sample` task draws the samples (e.g. the runs of
 * `deno task ablate foundation_sampling`, which score their own folder
 * already); this scores such a folder again, e.g. after a metric changed.
 *
 *   deno task foundation:score <folder>... [--pose-frames K] [--clips N] [--backend NAME] [--threads T]
 *
 * A folder is a sample folder (sampler.json), a `sample` task's run folder
 * (its samples/ is scored), or a VAE-only run folder (scored on its
 * reconstructions alone: what a DiT on it could draw at best; `--clips N`
 * scores its first N clips instead of 100).
 *
 * About 3 minutes per folder of 100 clips on two threads (MoveNet on
 * 3 × 300 frames is most of it).
 *
 * @module
 */
import { type BackendName, initEngine } from "../engine/mod.ts";
import { loadSynNetworks } from "../eval/syn/load_syn_networks.ts";
import { gitInfo } from "./run_folder.ts";
import { nonNegativeInteger, optionValue } from "./_cli_args.ts";
import { SAMPLER_FILE } from "./sample_foundation.ts";
import { FOUNDATION_SCORE_FILE, type ScoreFoundationOptions, scoreFoundation } from "./score_foundation.ts";

const USAGE = `usage: deno task foundation:score <folder>... [--pose-frames K] [--clips N] [--backend NAME] [--threads T]
  <folder>: a sample folder (sampler.json), a "sample" task's run folder, or a VAE-only run folder`;

/** Parsed command line. */
export interface ScoreFoundationArgs {
  dirs: string[];
  options: Pick<ScoreFoundationOptions, "poseFrames" | "clips">;
  backend?: string;
  threads?: number;
  help: boolean;
}

/**
 * @param argv command-line arguments
 * @returns the folders and options
 * @throws {TypeError} on an unknown option (a sampler flag of the old command line says where it went) or a
 *   missing value; {RangeError} on a value that is not an integer >= 0
 * @example
 * ```ts
 * import { parseScoreFoundationArgs } from "./score_foundation_cli.ts";
 * console.log(parseScoreFoundationArgs(["results/pretrain_vae_video/0", "--pose-frames", "3"]).options.poseFrames); // 3
 * ```
 */
export function parseScoreFoundationArgs(argv: readonly string[]): ScoreFoundationArgs {
  const out: ScoreFoundationArgs = { dirs: [], options: {}, help: false };
  const integer = (i: number, flag: string) => nonNegativeInteger(optionValue(argv, i, flag), flag);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case "--pose-frames": out.options.poseFrames = integer(i++, arg); break;
      case "--clips": out.options.clips = integer(i++, arg); break;
      case "--threads": out.threads = integer(i++, arg); break;
      case "--backend": out.backend = optionValue(argv, i++, arg); break;
      case "--help": case "-h": out.help = true; break;
      default:
        if (/^--(guidance|steps|strength|seed|strips|guide-model|guide-caption|guide-cfg|guidance-interval)$/.test(arg)) {
          throw new TypeError(
            `${arg} is a sampler setting: samples are drawn by a "sample" task (sampling.sampler in an experiment, e.g. experiments/foundation_sampling.ts), then scored here\n${USAGE}`,
          );
        }
        if (arg.startsWith("-")) throw new TypeError(`Unknown option ${arg}\n${USAGE}`);
        out.dirs.push(arg.replace(/\/+$/, ""));
    }
  }
  return out;
}

/** A "sample" task's run folder stands for its samples/. */
async function sampleFolder(dir: string): Promise<string> {
  const has = (d: string) => Deno.stat(`${d}/${SAMPLER_FILE}`).then(() => true, () => false);
  return !(await has(dir)) && await has(`${dir}/samples`) ? `${dir}/samples` : dir;
}

if (import.meta.main) {
  try {
    const args = parseScoreFoundationArgs(Deno.args);
    if (args.help || args.dirs.length === 0) {
      console.log(USAGE);
      Deno.exit(args.help ? 0 : 2);
    }
    const engine = await initEngine({ backend: (args.backend ?? "auto") as BackendName | "auto", threads: args.threads });
    console.log(`engine: backend ${engine.backend}`);
    const networks = await loadSynNetworks();
    // Read once: the score files this call writes are not changes to the code that scored them.
    const git = await gitInfo();
    const f = (v: number) => v.toFixed(3);
    const fvd = (v: number | null | undefined) => v?.toFixed(2) ?? "n/a";
    for (const given of args.dirs) {
      const dir = await sampleFolder(given);
      const s = await scoreFoundation(dir, { ...args.options, networks, label: dir, git });
      console.log(`${dir}: ${s.clips} clips of ${s.run}${s.samples ? "" : " (VAE-only: no samples)"}, ${s.score_s.toFixed(0)} s → ${dir}/${FOUNDATION_SCORE_FILE}`);
      console.log(`  MoveNet keypoints found: samples ${s.samples ? f(s.samples.keypoints_found) : "n/a"}, VAE reconstructions ${f(s.reconstructions.keypoints_found)}, ground truth ${f(s.ground_truth.keypoints_found)}`);
      console.log(`  FID-syn: samples ${s.samples?.fid_syn.toFixed(1) ?? "n/a"}, reconstructions ${s.reconstructions.fid_syn.toFixed(1)}; FVD-syn: samples ${fvd(s.samples?.fvd_syn)}, reconstructions ${fvd(s.reconstructions.fvd_syn)}`);
    }
    networks.dispose();
  } catch (e) {
    if (!(e instanceof RangeError || e instanceof TypeError)) throw e;
    console.error(e.message);
    Deno.exit(2);
  }
}
