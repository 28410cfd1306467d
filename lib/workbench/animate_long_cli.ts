/**
 * `deno task animate:long`: a long video from a finished fine-tuning in
 * overlapping segments (lib/workbench/animate_long.ts), with its seam report.
 *
 *   deno task animate:long --run results/model_design/9-design=part-finetune-seed=0 --clip 0 --frames 33
 *     --out /tmp/x.safetensors [--overlap K] [--from FOLDER] [--json] [--no-features] [--backend NAME] [--threads T]
 *
 * `--from FOLDER` drives the video with evaluation clip `--clip` of a folder of
 * clips ingested at least N frames long (default: the run's data source).
 *
 * `--overlap K` (default 1) is in latent frames: the last 4(K − 1) + 1 frames
 * of a segment start the next. `--json` prints the report as JSON (it is
 * written to OUT.json either way). `--no-features` skips the `-syn` image
 * encoder (flicker figures only).
 *
 * @module
 */
import { type BackendName, initEngine } from "../engine/mod.ts";
import { loadSynNetworks } from "../eval/syn/load_syn_networks.ts";
import { ClipFolderError } from "../data/open_clip_folder.ts";
import { animateLong, type AnimateLongReport } from "./animate_long.ts";
import { nonNegativeInteger, optionValue } from "./_cli_args.ts";

const USAGE =
  "usage: deno task animate:long --run <animate run folder> --clip <index> --frames N --out OUT.safetensors [--overlap K] [--from FOLDER] [--json] [--no-features] [--backend NAME] [--threads T]";

/** Parsed command line. */
export interface AnimateLongArgs {
  run: string;
  clip: number;
  frames: number;
  out: string;
  overlap: number;
  from?: string;
  json: boolean;
  features: boolean;
  backend?: string;
  threads?: number;
  help: boolean;
}

/**
 * @param argv command-line arguments
 * @returns the options
 * @throws {TypeError} on an unknown option, a missing value or a missing required option; {RangeError} on a
 *   value that is not an integer >= 0
 * @example
 * ```ts
 * import { parseAnimateLongArgs } from "./animate_long_cli.ts";
 * const a = parseAnimateLongArgs(["--run", "r", "--clip", "0", "--frames", "33", "--out", "x.safetensors"]);
 * console.log(a.overlap, a.frames); // 1 33
 * ```
 */
export function parseAnimateLongArgs(argv: readonly string[]): AnimateLongArgs {
  const o: Partial<AnimateLongArgs> & { overlap: number; json: boolean; features: boolean; help: boolean } = {
    overlap: 1,
    json: false,
    features: true,
    help: false,
  };
  const integer = (i: number, flag: string) => nonNegativeInteger(optionValue(argv, i, flag), flag);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case "--run": o.run = optionValue(argv, i++, arg).replace(/\/+$/, ""); break;
      case "--clip": o.clip = integer(i++, arg); break;
      case "--frames": o.frames = integer(i++, arg); break;
      case "--out": o.out = optionValue(argv, i++, arg); break;
      case "--overlap": o.overlap = integer(i++, arg); break;
      case "--from": o.from = optionValue(argv, i++, arg); break;
      case "--json": o.json = true; break;
      case "--no-features": o.features = false; break;
      case "--backend": o.backend = optionValue(argv, i++, arg); break;
      case "--threads": o.threads = integer(i++, arg); break;
      case "--help": case "-h": o.help = true; break;
      default: throw new TypeError(`Unknown argument ${arg}\n${USAGE}`);
    }
  }
  if (!o.help) {
    const missing = (["run", "clip", "frames", "out"] as const).filter((k) => o[k] === undefined);
    if (missing.length) throw new TypeError(`Missing ${missing.map((k) => `--${k}`).join(", ")}\n${USAGE}`);
  }
  return o as AnimateLongArgs;
}

/** A few lines for a person reading the terminal. */
function summary(r: AnimateLongReport): string {
  const f = (v: number | null) => (v === null || Number.isNaN(v) ? "n/a" : v.toFixed(4));
  const row = (name: string, s: AnimateLongReport["overlapped"]) =>
    `  ${name}: ${s.segments} segments; flicker seam ${f(s.seam_flicker)} vs within ${f(s.within_flicker)}; ` +
    `feature distance-syn seam ${f(s["seam_feature_distance-syn"])} vs within ${f(s["within_feature_distance-syn"])}`;
  return [
    `${r.run} (${r.design}), clip ${r.clip_id}: ${r.frames} frames of ${r.height}×${r.width} in segments of ${r.segment_frames} ` +
    `(${r.segment_latent_frames} latent frames), overlap ${r.overlap} latent = ${r.overlap_frames} frames, seams at ${
      r.seams.map((s) => s.join("|")).join(", ") || "none"
    }; ${r.sample_s.toFixed(1)} s`,
    row(`overlap ${r.overlap}`, r.overlapped),
    row("independent (overlap 0)", r.independent),
    `  wrote ${r.files.join(", ")}`,
  ].join("\n");
}

if (import.meta.main) {
  try {
    const args = parseAnimateLongArgs(Deno.args);
    if (args.help) {
      console.log(USAGE);
      Deno.exit(0);
    }
    const engine = await initEngine({ backend: (args.backend ?? "auto") as BackendName | "auto", threads: args.threads });
    console.error(`engine: backend ${engine.backend}`);
    const nets = args.features ? await loadSynNetworks() : null;
    try {
      const report = await animateLong(args.run, {
        clip: args.clip,
        frames: args.frames,
        overlap: args.overlap,
        from: args.from,
        out: args.out,
        network: nets?.image,
        onSegment: (label, i, n) => console.error(`${label}: segment ${i + 1}/${n}`),
      });
      console.log(args.json ? JSON.stringify(report, null, 2) : summary(report));
    } finally {
      nets?.dispose();
    }
  } catch (e) {
    if (!(e instanceof RangeError || e instanceof TypeError || e instanceof ClipFolderError)) throw e;
    console.error(e.message);
    Deno.exit(2);
  }
}
