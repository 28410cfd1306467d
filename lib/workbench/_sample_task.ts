/**
 * The `sample` task: no training. It draws the samples of a finished
 * foundation (`sampling.foundation`) with one sampler (`sampling.sampler`,
 * noise from the run's seed) into the run's sample folder `<run>/samples/`
 * (sample_foundation.ts), then scores the saved folder with the evaluator
 * (score_foundation.ts), so a sweep over sampler settings is an experiment
 * (`deno task ablate foundation_sampling`) whose summary holds the scores.
 * A re-run whose folder already holds these samples scores them again
 * without re-sampling.
 *
 * References: facebookresearch/DiT `sample_ddp.py` (samples saved, then
 * scored by a separate evaluator).
 */
import { sameSampler, type SamplerConfig } from "../diffusion/mod.ts";
import type { ResolvedRun } from "./experiment.ts";
import { readJson } from "./run_folder.ts";
import type { RunContext, RunOutcome } from "./run_sweep.ts";
import { SAMPLE_SET_FILE, type SampleSet, sampleFoundation, SAMPLER_FILE } from "./sample_foundation.ts";
import { scoreFoundation } from "./score_foundation.ts";

/**
 * @param run the resolved run (task "sample")
 * @param ctx its folder, label and stop flag
 * @returns the scores of the samples (keypoints_found, FID-syn, FVD-syn, PSNR, SSIM), of the reconstructions and
 *   the ground truth (prefixed), sample_s and score_s
 * @throws {RangeError} when the task is not "sample" or names no foundation, and as sampleFoundation and
 *   scoreFoundation do
 * @example
 * ```ts ignore
 * // deno task ablate foundation_sampling
 * const out = await sampleTask(run, ctx);
 * out.metrics.keypoints_found;
 * ```
 */
export async function sampleTask(run: ResolvedRun, ctx: RunContext): Promise<RunOutcome> {
  const cfg = run.config;
  if (cfg.task !== "sample" || cfg.sampling.foundation === null) {
    throw new RangeError(
      `Cannot run a sample task for task ${JSON.stringify(cfg.task)} with sampling.foundation ${JSON.stringify(cfg.task === "sample" ? cfg.sampling.foundation : null)}`,
    );
  }
  const { sampler, clips, strips } = cfg.sampling;
  const foundation = cfg.sampling.foundation;
  const out = `${ctx.dir}/samples`;
  const done = await readJson<SampleSet>(`${out}/${SAMPLE_SET_FILE}`);
  const drawn = await readJson<SamplerConfig>(`${out}/${SAMPLER_FILE}`);
  const source = cfg.data.source;
  const sameSource = JSON.stringify(done?.source ?? { kind: "synthetic" }) === JSON.stringify(source);
  const same = done && drawn && sameSampler(drawn, sampler) && done.foundation === foundation && done.clips === clips &&
    done.seed === cfg.seed && done.strips === strips && sameSource;
  const set = same ? done : await sampleFoundation(foundation, { sampler, seed: cfg.seed, clips, strips, source, out, label: ctx.label });
  // Ctrl-C is honoured between sampling and scoring (the samples are saved: a resumed run only scores).
  if (ctx.shouldStop()) return { interrupted: true, metrics: {} };
  const score = await scoreFoundation(out, { label: ctx.label });
  const { samples, reconstructions: recon, ground_truth: truth } = score;
  return {
    interrupted: false,
    metrics: {
      foundation,
      clips,
      keypoints_found: samples!.keypoints_found,
      keypoints_found_se: samples!.keypoints_found_se,
      keypoint_score: samples!.keypoint_score,
      fid_syn: samples!.fid_syn,
      fvd_syn: samples!.fvd_syn,
      psnr: samples!.psnr,
      ssim: samples!.ssim,
      reconstructions_keypoints_found: recon.keypoints_found,
      reconstructions_fid_syn: recon.fid_syn,
      ground_truth_keypoints_found: truth.keypoints_found,
      sample_s: set.sample_s ?? null,
      score_s: score.score_s,
    },
  };
}
