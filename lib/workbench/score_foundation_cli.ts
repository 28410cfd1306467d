/**
 * `deno task foundation:score`: measures how recognisable a foundation's
 * text-to-video samples are (lib/workbench/score_foundation.ts) and writes
 * `foundation_score.json` into each run folder; notebook 06 reads it. A
 * VAE-only run is scored on its reconstructions alone (what a DiT on it could
 * draw at best).
 *
 *   deno task foundation:score results/pretrain_dit_vae_video/0 [more run folders]
 *     [--clips N] [--pose-frames K] [--seed S] [--guidance G] [--steps N]
 *     [--strength D] [--guide-model RUN] [--guide-caption same|empty]
 *     [--guide-cfg C] [--guidance-interval MIN,MAX] [--strips K] [--backend NAME] [--threads T]
 *
 * `--guidance` and `--steps` sample with another classifier-free guidance
 * scale or solver step count than the run's; the score then goes to
 * `foundation_score_guidance=G.json` (and/or `_steps=N`) beside the run's own.
 * `--strength D` (in (0, 1]) starts each sample from its clip's own latents
 * noised to that fraction of the schedule (SDEdit) instead of pure noise:
 * a sweep over D shows at which noise levels the DiT loses the figure
 * (`foundation_score_strength=D.json`). `--guide-model RUN` guides the
 * samples with a weaker DiT on the same VAE (autoguidance, at the scale
 * `--guidance` gives) instead of the run's own unconditional branch;
 * `--guide-caption empty` gives that DiT the empty caption
 * (`foundation_score_guidance=G_guide=NAME.json`); `--guide-cfg C` adds the
 * run's own classifier-free term at scale C to the autoguided step
 * (`_guide_cfg=C`). `--guidance-interval
 * MIN,MAX` guides only the steps starting at a noise level σ in [MIN, MAX]
 * (`_interval=MIN-MAX`). `--strips K` also writes
 * the first K clips as PNG strips (ground truth, reconstruction, sample) to
 * `<run>/samples/<the score file's name>/`.
 *
 * About 4–5 minutes per foundation for 100 clips on one thread, 220 s on
 * two (MoveNet on 3 × 300 frames is most of it).
 *
 * @module
 */
import { type BackendName, initEngine } from "../engine/mod.ts";
import { loadSynNetworks } from "../eval/syn/load_syn_networks.ts";
import { gitInfo } from "./run_folder.ts";
import { finiteNumber, nonNegativeInteger, optionValue } from "./_cli_args.ts";
import { foundationScoreFile, type ScoreFoundationOptions, scoreFoundation } from "./score_foundation.ts";

const USAGE =
  `usage: deno task foundation:score <run-folder>... [--clips N] [--pose-frames K] [--seed S] [--guidance G] [--steps N] [--strength D] [--guide-model RUN] [--guide-caption same|empty] [--guide-cfg C] [--guidance-interval MIN,MAX] [--strips K] [--backend NAME] [--threads T]`;

/** Parsed command line. */
export interface ScoreFoundationArgs {
  dirs: string[];
  options: Pick<
    ScoreFoundationOptions,
    "clips" | "poseFrames" | "seed" | "guidance" | "steps" | "strength" | "guideModel" | "guideCaption" | "guideCfg" | "guidanceInterval" | "strips"
  >;
  backend?: string;
  threads?: number;
  help: boolean;
}

/**
 * @param argv command-line arguments
 * @returns the run folders and options
 * @throws {TypeError} on an unknown option or a missing value; {RangeError} on a value that is not an integer >= 0
 *   (a finite number for --guidance and --strength, "same" or "empty" for --guide-caption)
 * @example
 * ```ts
 * import { parseScoreFoundationArgs } from "./score_foundation_cli.ts";
 * console.log(parseScoreFoundationArgs(["results/pretrain/0", "--clips", "16"]).options.clips); // 16
 * ```
 */
export function parseScoreFoundationArgs(argv: readonly string[]): ScoreFoundationArgs {
  const out: ScoreFoundationArgs = { dirs: [], options: {}, help: false };
  const integer = (i: number, flag: string) => nonNegativeInteger(optionValue(argv, i, flag), flag);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case "--clips": out.options.clips = integer(i++, arg); break;
      case "--pose-frames": out.options.poseFrames = integer(i++, arg); break;
      case "--seed": out.options.seed = integer(i++, arg); break;
      case "--guidance": out.options.guidance = finiteNumber(optionValue(argv, i++, arg), arg); break;
      case "--steps": out.options.steps = integer(i++, arg); break;
      case "--strength": out.options.strength = finiteNumber(optionValue(argv, i++, arg), arg); break;
      case "--guide-model": out.options.guideModel = optionValue(argv, i++, arg).replace(/\/+$/, ""); break;
      case "--guide-caption": {
        const v = optionValue(argv, i++, arg);
        if (v !== "same" && v !== "empty") throw new RangeError(`${arg} must be "same" or "empty": received ${JSON.stringify(v)}`);
        out.options.guideCaption = v;
        break;
      }
      case "--guide-cfg": out.options.guideCfg = finiteNumber(optionValue(argv, i++, arg), arg); break;
      case "--guidance-interval": {
        const v = optionValue(argv, i++, arg);
        const parts = v.split(",");
        if (parts.length !== 2) throw new RangeError(`${arg} must be MIN,MAX (two noise levels): received ${JSON.stringify(v)}`);
        const [min, max] = parts.map((p) => finiteNumber(p, arg));
        out.options.guidanceInterval = { min, max };
        break;
      }
      case "--strips": out.options.strips = integer(i++, arg); break;
      case "--threads": out.threads = integer(i++, arg); break;
      case "--backend": out.backend = optionValue(argv, i++, arg); break;
      case "--help": case "-h": out.help = true; break;
      default:
        if (arg.startsWith("-")) throw new TypeError(`Unknown option ${arg}\n${USAGE}`);
        out.dirs.push(arg.replace(/\/+$/, ""));
    }
  }
  return out;
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
    for (const dir of args.dirs) {
      const s = await scoreFoundation(dir, { ...args.options, networks, label: dir, git });
      const from = (s.sample && s.sample.strength !== 1 ? `, from the clips at strength ${s.sample.strength}` : "") +
        (s.sample?.guide ? `, guided by ${s.sample.guide.run} (caption: ${s.sample.guide.caption}${s.sample.guide.cfg ? `, plus classifier-free ${s.sample.guide.cfg}` : ""})` : "") +
        (s.sample?.interval ? `, guided at σ in [${s.sample.interval.min}, ${s.sample.interval.max}]` : "");
      const how = s.sample ? `${s.sample.solver}, ${s.sample.steps} steps, guidance ${s.sample.guidance}${from}` : "a VAE-only run: no samples";
      console.log(`${dir}: ${s.clips} clips (${how}), ${s.score_s.toFixed(0)} s → ${dir}/${foundationScoreFile(s.overrides)}`);
      const fvd = (v: number | null | undefined) => v?.toFixed(2) ?? "n/a";
      console.log(`  MoveNet keypoints found: samples ${s.samples ? f(s.samples.keypoints_found) : "n/a"}, VAE reconstructions ${f(s.reconstructions.keypoints_found)}, ground truth ${f(s.ground_truth.keypoints_found)}`);
      if (s.strips_dir) console.log(`  strips: ${dir}/${s.strips_dir}/`);
      console.log(`  FID-syn: samples ${s.samples?.fid_syn.toFixed(1) ?? "n/a"}, reconstructions ${s.reconstructions.fid_syn.toFixed(1)}; FVD-syn: samples ${fvd(s.samples?.fvd_syn)}, reconstructions ${fvd(s.reconstructions.fvd_syn)}`);
    }
    networks.dispose();
  } catch (e) {
    if (!(e instanceof RangeError || e instanceof TypeError)) throw e;
    console.error(e.message);
    Deno.exit(2);
  }
}
