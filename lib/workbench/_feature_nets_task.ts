/**
 * The "feature-nets" task of the pipeline (private to lib/workbench): trains
 * the offline `-syn` image and video encoders and the classical calibration
 * into the run folder (`deno task ablate feature_nets` →
 * results/feature_nets/0/, the folder lib/eval/syn DEFAULT_FEATURE_NETS_DIR
 * points at). Resumes from `checkpoints/` like every run.
 *
 * References: lib/eval/syn/train_feature_nets.ts.
 */
import { trainFeatureNets } from "../eval/syn/train_feature_nets.ts";
import { SYN_NET_PRESETS, type SynImageConfig, type SynVideoConfig } from "../eval/syn/syn_net_config.ts";
import type { ResolvedRun } from "./experiment.ts";
import type { RunContext, RunOutcome } from "./run_sweep.ts";

/**
 * @param run the resolved run (task "feature-nets")
 * @param ctx its folder, label, environment and stop flag
 * @returns the final losses, timings, sanity figures and calibration figures, or `interrupted`
 * @example
 * ```ts ignore
 * if (run.config.task === "feature-nets") return await featureNetsTask(run, ctx);
 * ```
 */
export async function featureNetsTask(run: ResolvedRun, ctx: RunContext): Promise<RunOutcome> {
  const cfg = run.config;
  if (cfg.task !== "feature-nets") {
    throw new RangeError(`Cannot train the -syn networks as the run's task must be "feature-nets", received ${JSON.stringify(cfg.task)}`);
  }
  const f = cfg.featureNets;
  const res = await trainFeatureNets(ctx.dir, {
    seed: cfg.seed,
    pool: f.pool,
    image: { ...f.image, config: structuredClone(SYN_NET_PRESETS["image-syn"]) as SynImageConfig },
    video: { ...f.video, config: structuredClone(SYN_NET_PRESETS["video-syn"]) as SynVideoConfig },
    checkpointEvery: f.checkpointEvery,
    sanityClips: f.sanityClips,
    calibrationSizes: f.calibrationSizes,
  }, {
    shouldStop: ctx.shouldStop,
    label: ctx.label,
    metadata: { git_commit: ctx.env.git_commit, backend: ctx.env.backend, run: `${ctx.experiment}/${run.id}` },
  });
  if (res.interrupted) return { interrupted: true, metrics: {} };
  // result.json's wall_s (all sessions) comes from runSweep.
  return { interrupted: false, metrics: res.metrics };
}
