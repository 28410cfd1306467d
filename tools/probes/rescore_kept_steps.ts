/**
 * Re-scores a finished animate run's kept steps (eval.keptSteps) with
 * another classifier-free guidance scale, into a separate folder, so that the
 * sampler's share of a score can be told from the training's: the same
 * weights, clips, noise and scores as the run's own evaluation
 * (lib/workbench/_checkpoint_eval.ts), only `sample.guidance` changed.
 *
 * Usage:
 *   deno run -A tools/probes/rescore_kept_steps.ts RUN_DIR --guidance 1 --out OUT_DIR [--threads 1] [--steps N] [--shift S] [--noise-seed K] [--final-only] [--split train]
 *
 * `--steps` samples with N solver steps instead of the run's `sample.steps`; `--shift` samples with
 * σ' = S·σ/(1+(S−1)·σ) instead of the run's `diffusion.shift` (training is not redone); `--noise-seed`
 * draws the evaluation's sampling noise from seed K's streams instead of the run's own seed; `--final-only` scores the final step alone; `--split train` scores the first `data.evalClips` of the
 * run's own training clips instead of the held-out ones (does the plateau hold on clips the run trained on?).
 *
 * Writes OUT_DIR/result.json (the kept-step keys and `*_recon` ceilings, plus `guidance` and `run`) and
 * OUT_DIR/samples/step-<N>/ strips (a link to the run's checkpoints is made for the evaluation and removed after).
 *
 * References: RealisDance-DiT (arXiv 2504.14977) §4 (CFG 2 at inference); the animate task.
 */
import * as tf from "@tensorflow/tfjs-core";
import { parseArgs } from "node:util";
import { initEngine } from "../../lib/engine/mod.ts";
import { designModelFn } from "../../lib/model/designs/mod.ts";
import { atomicWrite } from "../../lib/io/atomic_write.ts";
import { loadVae } from "../../lib/vae/mod.ts";
import { makeClips } from "../../lib/workbench/_clips.ts";
import { checkpointEval } from "../../lib/workbench/_checkpoint_eval.ts";
import { designConditions } from "../../lib/workbench/_design_conditions.ts";
import { loadDesignCheckpoint } from "../../lib/workbench/_design_checkpoint.ts";
import { videosToTensor } from "../../lib/workbench/_pipeline_data.ts";
import { textSide } from "../../lib/workbench/_text_side.ts";
import { migrateRunConfig } from "../../lib/workbench/migrate_run_config.ts";
import type { AnimateRunConfig } from "../../lib/workbench/run_config.ts";

const { values: a, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    guidance: { type: "string" },
    out: { type: "string" },
    threads: { type: "string", default: "1" },
    steps: { type: "string" },
    shift: { type: "string" },
    "noise-seed": { type: "string" },
    "final-only": { type: "boolean", default: false },
    split: { type: "string", default: "eval" },
  },
});
const dir = positionals[0];
if (!dir || !a.guidance || !a.out) throw new RangeError("Usage: rescore_kept_steps.ts RUN_DIR --guidance G --out OUT_DIR");
const guidance = Number(a.guidance);
if (!(guidance >= 1)) throw new RangeError(`--guidance must be a number >= 1: received ${a.guidance}`);
await initEngine({ backend: "blas", threads: Number(a.threads) });
const recorded = migrateRunConfig(JSON.parse(await Deno.readTextFile(`${dir}/config.json`)).config);
if (recorded.task !== "animate") throw new RangeError(`Cannot rescore ${dir}: its task is "${recorded.task}", expected "animate"`);
// A run without its own kept-step evaluation (e.g. model_design's) is scored at its final step with 2 noise seeds.
const kept = recorded.eval.keptSteps ?? { steps: [], diversitySeeds: 2, poseFrames: 3 };
const keptSteps = { ...kept, steps: a["final-only"] ? [] : kept.steps, diversitySeeds: Math.max(2, kept.diversitySeeds) };
const steps = a.steps === undefined ? recorded.sample.steps : Number(a.steps);
if (!(Number.isInteger(steps) && steps >= 1)) throw new RangeError(`--steps must be an integer >= 1: received ${a.steps}`);
const shift = a.shift === undefined ? recorded.diffusion.shift : Number(a.shift);
if (!(shift > 0)) throw new RangeError(`--shift must be a number > 0: received ${a.shift}`);
const sample = { ...recorded.sample, steps, guidance: guidance === 1 ? { kind: "none" as const } : { kind: "cfg" as const, scale: guidance, drop: ["context" as const, "reference" as const] } };
const cfg: AnimateRunConfig = { ...recorded, diffusion: { ...recorded.diffusion, shift }, sample, eval: { ...recorded.eval, keptSteps } };
const out = a.out.replace(/\/+$/, "");
await Deno.mkdir(out, { recursive: true });
await Deno.remove(`${out}/checkpoints`).catch(() => {});
const keptDir = await Deno.realPath(`${dir}/checkpoints`).catch(() => null);
if (keptDir) await Deno.symlink(keptDir, `${out}/checkpoints`);
await Deno.copyFile(`${dir}/metrics.jsonl`, `${out}/metrics.jsonl`);

const ckpt = await loadDesignCheckpoint(`${dir}/dit`);
const params: Record<string, tf.Variable> = {};
for (const [k, v] of Object.entries(ckpt.params)) params[k] = tf.variable(v);
const vae = await loadVae(cfg.vae.checkpoint!);
const text = await textSide({ dit: ckpt.cfg, preset: cfg.model.preset, checkpoint: cfg.model.checkpoint, captions: [], seed: cfg.seed });
const dc = designConditions(cfg, { vae, text });
if (a.split !== "eval" && a.split !== "train") throw new RangeError(`--split must be "eval" or "train": received ${a.split}`);
const clips = makeClips({ set: "finetune", split: a.split, count: cfg.data.evalClips, frames: cfg.data.frames, height: cfg.data.height, width: cfg.data.width });
const video = videosToTensor(clips);
const ev = dc.encode(clips, video);
video.dispose();
const finalStep = JSON.parse(await Deno.readTextFile(`${dir}/result.json`)).steps as number;
const noiseSeed = a["noise-seed"] === undefined ? recorded.seed : Number(a["noise-seed"]);
if (!Number.isInteger(noiseSeed)) throw new RangeError(`--noise-seed must be an integer: received ${a["noise-seed"]}`);
const metrics = await checkpointEval({ ...cfg, seed: noiseSeed }, out, {
  params,
  model: designModelFn(ckpt.design, { cfg: ckpt.cfg, params }),
  clips,
  latentShape: ev.latents.shape.slice(1),
  cond: { context: ev.context, reference: ev.reference, pose: ev.pose },
  sampler: dc.sampler,
  guide: dc.guide(clips.length),
  vae,
  finalStep,
});
await atomicWrite(`${out}/result.json`, JSON.stringify({ run: dir, guidance, sample_steps: steps, sample_shift: shift, noise_seed: noiseSeed, split: a.split, ...metrics }, null, 2) + "\n");
// The link to the run's checkpoints and the copy of its metrics served the evaluation only.
await Deno.remove(`${out}/checkpoints`).catch(() => {});
await Deno.remove(`${out}/metrics.jsonl`).catch(() => {});
console.log(JSON.stringify({ run: dir, guidance, sample_steps: steps, sample_shift: shift, noise_seed: noiseSeed, ...metrics }));
