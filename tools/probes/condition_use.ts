/**
 * Does a fine-tuned design use its conditions? For a finished animate run
 * (its `dit/` design checkpoint, or a kept step's weights), on the first
 * held-out evaluation clips with fixed noise: the flow-matching loss at a few
 * noise levels with every condition, with the reference replaced by the null
 * reference (the latent of a grey image), and with the poses zeroed; and, for
 * the concat design, the share of each block's self-attention that the video
 * tokens put on the reference tokens (referenceAttentionMass) against the
 * share under evenly spread attention.
 *
 * Usage:
 *   deno run -A tools/probes/condition_use.ts RUN_DIR [--step N] [--clips 8] [--threads 1]
 *
 * Prints one JSON object.
 *
 * References: RealisDance-DiT (arXiv 2504.14977) §3; the animate task (lib/workbench/run_pipeline.ts).
 */
import * as tf from "@tensorflow/tfjs-core";
import { parseArgs } from "node:util";
import { initEngine } from "../../lib/engine/mod.ts";
import { type Cond, flowMatchingLoss } from "../../lib/diffusion/mod.ts";
import { buildDesign, designModelFn, referenceAttentionMass } from "../../lib/model/designs/mod.ts";
import { loadWanCheckpoint } from "../../lib/model/mod.ts";
import { readSafetensors } from "../../lib/io/safetensors.ts";
import { loadVae } from "../../lib/vae/mod.ts";
import { makeClips } from "../../lib/workbench/_clips.ts";
import { designConditions } from "../../lib/workbench/_design_conditions.ts";
import { loadDesignCheckpoint } from "../../lib/workbench/_design_checkpoint.ts";
import { stream, videosToTensor } from "../../lib/workbench/_pipeline_data.ts";
import { textSide } from "../../lib/workbench/_text_side.ts";
import { migrateRunConfig } from "../../lib/workbench/migrate_run_config.ts";
import { splitDesign } from "../../lib/workbench/model_design.ts";

const { values: a, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    step: { type: "string" },
    clips: { type: "string", default: "8" },
    threads: { type: "string", default: "1" },
  },
});
const dir = positionals[0];
if (!dir) throw new RangeError("Usage: condition_use.ts RUN_DIR [--step N] [--clips 8]");
await initEngine({ backend: "blas", threads: Number(a.threads) });
const cfg = migrateRunConfig(JSON.parse(await Deno.readTextFile(`${dir}/config.json`)).config);
if (cfg.task !== "animate") throw new RangeError(`Cannot probe ${dir}: it is a "${cfg.task}" run, expected an animate run`);
const vae = await loadVae(cfg.vae.checkpoint!);
// A finished run's design checkpoint; a run still training: its design rebuilt from the foundation (its kept weights load below).
const ckpt = await Deno.stat(`${dir}/dit/design.json`).then(() => loadDesignCheckpoint(`${dir}/dit`), async () => {
  const { design } = splitDesign(cfg.model.design);
  const foundation = await loadWanCheckpoint(cfg.model.checkpoint!);
  const dm = buildDesign(foundation, design, { prng: stream(cfg.seed, "design-init"), latentChannels: vae.config.zDim });
  return { design, cfg: dm.cfg, params: dm.params as Record<string, tf.Tensor> };
});
const params: Record<string, tf.Variable> = {};
for (const [k, v] of Object.entries(ckpt.params)) params[k] = tf.variable(v);
if (a.step) {
  const { tensors } = await readSafetensors(`${dir}/checkpoints/dit-step${a.step}.safetensors`);
  for (const [k, v] of Object.entries(params)) {
    const t = tensors[`model.${k}`];
    if (!t) throw new RangeError(`Cannot load step ${a.step}: "model.${k}" is missing`);
    v.assign(tf.tensor(t.data, t.shape));
  }
}
const text = await textSide({ dit: ckpt.cfg, preset: cfg.model.preset, checkpoint: cfg.model.checkpoint, captions: [], seed: cfg.seed });
const dc = designConditions(cfg, { vae, text });
const size = { frames: cfg.data.frames, height: cfg.data.height, width: cfg.data.width };
const clips = makeClips({ set: "finetune", split: "eval", count: Number(a.clips), ...size });
const video = videosToTensor(clips);
const enc = dc.encode(clips, video);
video.dispose();
const n = clips.length;
const model = designModelFn(ckpt.design, { cfg: ckpt.cfg, params });
const full: Cond = { context: enc.context, reference: enc.reference, pose: enc.pose };
const nullRef = tf.tile(dc.nullReference, [n, 1, 1, 1, 1]);
const zeroPose = tf.zerosLike(enc.pose);
const out: Record<string, unknown> = { run: dir, step: a.step ? Number(a.step) : "final", design: ckpt.design.kind, clips: n };
for (const sigma of [0.3, 0.5, 0.7]) {
  const eps = tf.tensor(stream(cfg.seed, `use-${sigma}`).normals(enc.latents.size), enc.latents.shape);
  const loss = (cond: Cond) => tf.tidy(() => flowMatchingLoss(model, enc.latents, { sigma, noise: eps, cond }).loss.dataSync()[0]);
  out[`loss_s${sigma}`] = loss(full);
  out[`loss_s${sigma}_null_reference`] = loss({ ...full, reference: nullRef });
  out[`loss_s${sigma}_zero_pose`] = loss({ ...full, pose: zeroPose });
  eps.dispose();
}
if (ckpt.design.kind === "concat") {
  for (const sigma of [0.3, 0.7]) {
    const eps = tf.tensor(stream(cfg.seed, `use-${sigma}`).normals(enc.latents.size), enc.latents.shape);
    const x = tf.tidy(() => tf.add(tf.mul(enc.latents, 1 - sigma), tf.mul(eps, sigma)));
    const m = referenceAttentionMass({ cfg: ckpt.cfg, params, design: ckpt.design }, {
      x,
      t: new Array(n).fill(1000 * sigma),
      context: enc.context,
      reference: enc.reference,
      pose: enc.pose,
    });
    out[`attention_on_reference_s${sigma}`] = m.perBlock.map((v) => Number(v.toFixed(4)));
    out.attention_on_reference_uniform = m.uniform;
    tf.dispose([eps, x]);
  }
}
console.log(JSON.stringify(out));
