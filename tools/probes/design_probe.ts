/**
 * A diagnostic fine-tuning of one RealisDance-DiT design from the adopted
 * foundation, outside the sweep machinery, for the "designs must animate"
 * probes: it trains on the first `--clips` clips of the fine-tuning set and,
 * every `--every` steps, samples both training clips (does the model
 * reproduce what it was trained on? a wiring check when `--clips` is small)
 * and held-out evaluation clips, scoring each against the ground truth and
 * against the VAE's own reconstruction (the ceiling), whole frame and on the
 * background (pixels outside the character mask), and writing strips
 * (ground truth, reconstruction, sample).
 *
 * Usage:
 *   deno run -A tools/probes/design_probe.ts --out DIR [--design part-finetune] [--clips 256]
 *     [--steps 2400] [--every 300] [--lr 5e-4] [--batch 8] [--seed 0] [--threads 1]
 *     [--guidance 2] [--drop 0.05] [--sample-clips 8] [--scope full|part|pattern,…] [--no-shift] [--frame-shift]
 *
 * Writes DIR/curve.jsonl (one line per evaluated step and split) and
 * DIR/strips/<split>-step<N>-<i>.png.
 *
 * References: RealisDance-DiT (arXiv 2504.14977) §3–4; the pipeline's animate
 * task (lib/workbench/run_pipeline.ts), whose pieces this reuses.
 */
import * as tf from "@tensorflow/tfjs-core";
import { parseArgs } from "node:util";
import { initEngine } from "../../lib/engine/mod.ts";
import { type Cond, flowMatchingLoss, sample } from "../../lib/diffusion/mod.ts";
import { psnr } from "../../lib/eval/mod.ts";
import { loadWanCheckpoint } from "../../lib/model/mod.ts";
import {
  buildDesign,
  type DesignConfig,
  designGuidance,
  designModelFn,
  dropConditions,
  getDesignPreset,
  resolveTrainable,
} from "../../lib/model/designs/mod.ts";
import { AdamW } from "../../lib/train/adamw.ts";
import { loadVae } from "../../lib/vae/mod.ts";
import { writeVideoStrip } from "../../lib/report/video_strip.ts";
import { atomicWrite } from "../../lib/io/atomic_write.ts";
import { makeClips } from "../../lib/workbench/_clips.ts";
import { designConditions } from "../../lib/workbench/_design_conditions.ts";
import { stream, tensorToVideos, videosToTensor } from "../../lib/workbench/_pipeline_data.ts";
import { textSide } from "../../lib/workbench/_text_side.ts";
import { decodeLatentVideos } from "../../lib/workbench/_vae_phase.ts";
import type { BenchmarkRunConfig } from "../../lib/workbench/run_config.ts";
import type { Clip } from "../../lib/data/clip.ts";

const FOUNDATION = "results/pretrain_dit_vae_video/0";

const { values: a } = parseArgs({
  args: Deno.args,
  options: {
    out: { type: "string" },
    design: { type: "string", default: "part-finetune" },
    clips: { type: "string", default: "256" },
    steps: { type: "string", default: "2400" },
    every: { type: "string", default: "300" },
    lr: { type: "string", default: "5e-4" },
    batch: { type: "string", default: "8" },
    seed: { type: "string", default: "0" },
    threads: { type: "string", default: "1" },
    guidance: { type: "string", default: "2" },
    drop: { type: "string", default: "0.05" },
    "sample-clips": { type: "string", default: "8" },
    scope: { type: "string" },
    "no-shift": { type: "boolean", default: false },
    "frame-shift": { type: "boolean", default: false },
  },
});
if (!a.out) throw new RangeError("--out DIR is required");
const out = a.out;
const n = (k: keyof typeof a) => Number(a[k]);
await initEngine({ backend: "blas", threads: n("threads") });
await Deno.mkdir(`${out}/strips`, { recursive: true });
await atomicWrite(`${out}/args.json`, JSON.stringify(a, null, 2) + "\n");

const size = { frames: 9, height: 32, width: 32 };
const seed = n("seed");
const vae = await loadVae(`${FOUNDATION}/vae`);
const foundation = await loadWanCheckpoint(`${FOUNDATION}/dit`);
const preset = getDesignPreset(a.design!);
const design = { ...preset.design } as DesignConfig;
if (a["no-shift"] && design.kind === "concat") Object.assign(design, { shiftedRope: false });
if (a["frame-shift"] && design.kind === "concat") Object.assign(design, { frameShift: true });
const dm = buildDesign(foundation, design, { prng: stream(seed, "design-init"), latentChannels: vae.config.zDim });
tf.dispose(Object.values(foundation.params));
const scope = a.scope ? (a.scope === "full" || a.scope === "part" ? a.scope : { trainable: a.scope.split(",") }) : preset.scope;
const trainable = resolveTrainable(design, Object.keys(dm.params), scope);
const text = await textSide({ dit: dm.cfg, preset: "wan-toy", checkpoint: `${FOUNDATION}/dit`, captions: [], seed });
const cfg: BenchmarkRunConfig = {
  task: "benchmark",
  seed,
  engine: { backend: "blas", threads: n("threads") },
  benchmark: { source: null, clips: 1 },
  data: { ...size, trainClips: 1, valClips: 1, evalClips: 1, source: { kind: "synthetic" } },
  model: { design: { ...design, scope } },
  sample: { solver: "unipc", steps: 20, shift: 1, guidance: { kind: "cfg", scale: 2, drop: ["context", "reference"] } },
};
const dc = designConditions(cfg, { vae, text });

const trainClips = makeClips({ set: "finetune", split: "train", count: n("clips"), ...size });
const evalClips = makeClips({ set: "finetune", split: "eval", count: n("sample-clips"), ...size });
const k = Math.min(n("sample-clips"), trainClips.length);
const trainVideo = videosToTensor(trainClips);
const train = dc.encode(trainClips, trainVideo);
trainVideo.dispose();

/** Held-out and training clips to sample, with their ground truth, reconstruction and masks. */
async function sampleSet(clips: Clip[]) {
  const video = videosToTensor(clips);
  const enc = dc.encode(clips, video);
  const gt = await tensorToVideos(video); // (N, F, H, W, 3)
  const recon = await decodeLatentVideos(vae, enc.latents);
  video.dispose();
  const per = size.frames * size.height * size.width;
  const mask = new Float32Array(clips.length * per);
  clips.forEach((c, i) => mask.set(c.mask, i * per));
  return { clips, enc, gt, recon, mask };
}
const sets = { train: await sampleSet(trainClips.slice(0, k)), eval: await sampleSet(evalClips) };

const model = designModelFn(design, { cfg: dm.cfg, params: dm.params });
const vars = trainable.map((name) => dm.params[name]);
const opt = new AdamW(Object.fromEntries(trainable.map((name) => [name, dm.params[name]])), {
  lr: n("lr"),
  weightDecay: 0.01,
  noDecay: (name) => name.endsWith(".bias") || name.includes("norm") || name.includes("modulation"),
});
const prng = stream(seed, "dit-train");
const bsz = n("batch");
const N = trainClips.length;
const vshape = (m: number) => [m, size.frames, size.height, size.width, 3] as [number, number, number, number, number];

/** PSNR of a over b restricted to pixels where keep is 1 (mask broadcast over channels). */
function maskedPsnr(x: Float32Array, y: Float32Array, keep: Float32Array): number {
  let se = 0, cnt = 0;
  for (let p = 0; p < keep.length; p++) {
    if (keep[p] < 0.5) continue;
    for (let c = 0; c < 3; c++) {
      const d = x[p * 3 + c] - y[p * 3 + c];
      se += d * d;
      cnt++;
    }
  }
  return 10 * Math.log10(1 / Math.max(se / Math.max(cnt, 1), 1e-12));
}

const guidances = a.guidance!.split(",").map(Number);

async function evaluate(step: number) {
  for (const [setName, s] of Object.entries(sets)) for (const gScale of guidances) {
    const split = guidances.length > 1 ? `${setName}-g${gScale}` : setName;
    const m = s.clips.length;
    const shape = s.enc.latents.shape;
    const noise = tf.tensor(stream(seed, "sample").normals(s.enc.latents.size), shape);
    const nullCond = { context: tf.tile(dc.nullContext, [m, 1, 1]), reference: tf.tile(dc.nullReference, [m, 1, 1, 1, 1]) };
    const g = gScale === 1 ? undefined : designGuidance(nullCond, { scale: gScale });
    const z = tf.tidy(() =>
      sample(model, noise, {
        sampler: {
          solver: "unipc",
          steps: 20,
          shift: 1,
          guidance: g ? { kind: "cfg", scale: g.scale, drop: g.drop } : { kind: "none" },
        },
        cond: { context: s.enc.context, reference: s.enc.reference, pose: s.enc.pose },
        guide: g ? { nullCond: g.nullCond } : undefined,
      })
    );
    const pred = await decodeLatentVideos(vae, z);
    tf.dispose([noise, z, ...Object.values(nullCond)]);
    const bg = s.mask.map((v) => 1 - v);
    const rec = {
      step,
      split,
      psnr: psnr({ data: pred, shape: vshape(m) }, { data: s.gt, shape: vshape(m) }),
      psnr_ceiling: psnr({ data: s.recon, shape: vshape(m) }, { data: s.gt, shape: vshape(m) }),
      bg_psnr: maskedPsnr(pred, s.gt, bg),
      bg_psnr_ceiling: maskedPsnr(s.recon, s.gt, bg),
      fg_psnr: maskedPsnr(pred, s.gt, s.mask),
      fg_psnr_ceiling: maskedPsnr(s.recon, s.gt, s.mask),
    };
    // How much the model uses each condition: the loss at σ 0.5 with it and without it (same noise).
    const lossWith = (cond: Cond) =>
      tf.tidy(() => {
        const eps = tf.tensor(stream(seed, "use").normals(s.enc.latents.size), shape);
        return flowMatchingLoss(model, s.enc.latents, { sigma: 0.5, noise: eps, cond }).loss.dataSync()[0];
      });
    const full = { context: s.enc.context, reference: s.enc.reference, pose: s.enc.pose };
    const nullRef = tf.tile(dc.nullReference, [m, 1, 1, 1, 1]);
    const zeroPose = tf.zerosLike(s.enc.pose);
    Object.assign(rec, {
      loss_s05: lossWith(full),
      loss_s05_no_ref: lossWith({ ...full, reference: nullRef }),
      loss_s05_no_pose: lossWith({ ...full, pose: zeroPose }),
    });
    tf.dispose([nullRef, zeroPose]);
    console.log(JSON.stringify(rec));
    await Deno.writeTextFile(`${out}/curve.jsonl`, JSON.stringify(rec) + "\n", { append: true });
    const clip = size.frames * size.height * size.width * 3;
    for (let i = 0; i < Math.min(m, 4); i++) {
      await writeVideoStrip(`${out}/strips/${split}-step${step}-${i}.png`, [
        s.gt.subarray(i * clip, (i + 1) * clip),
        s.recon.subarray(i * clip, (i + 1) * clip),
        pred.subarray(i * clip, (i + 1) * clip),
      ], size);
    }
  }
}

const steps = n("steps"), every = n("every"), pDrop = n("drop");
let order = Array.from({ length: N }, (_, i) => i);
let pos = N;
const t0 = performance.now();
let lossSum = 0;
for (let step = 1; step <= steps; step++) {
  const idx: number[] = [];
  while (idx.length < bsz) {
    if (pos >= N) {
      order = order.map((v) => [prng.uniform(), v]).sort((p, q) => p[0] - q[0]).map((p) => p[1]);
      pos = 0;
    }
    idx.push(order[pos++]);
  }
  const ix = tf.tensor1d(idx, "int32");
  const batch = {
    latents: tf.gather(train.latents, ix),
    context: tf.gather(train.context, ix),
    reference: tf.gather(train.reference, ix),
    pose: tf.gather(train.pose, ix),
  };
  ix.dispose();
  const sigma = Array.from({ length: bsz }, () => prng.uniform());
  const noise = tf.tensor(prng.normals(batch.latents.size), batch.latents.shape);
  const dropped = dropConditions({ context: batch.context, reference: batch.reference, pose: batch.pose }, {
    prng,
    pText: pDrop,
    pReference: pDrop,
    nullContext: dc.nullContext,
    nullReference: dc.nullReference,
  }).cond as Cond;
  const { value, grads } = tf.variableGrads(
    () => flowMatchingLoss(model, batch.latents, { sigma, noise, cond: dropped }).loss,
    vars,
  );
  const lr = n("lr") * Math.min(1, step / 20);
  // variableGrads keys gradients by the variables' own names.
  opt.step(Object.fromEntries(trainable.map((name) => [name, grads[dm.params[name].name]])), lr);
  lossSum += (await value.data())[0];
  tf.dispose([value, ...Object.values(grads), noise, ...Object.values(batch)]);
  tf.dispose(Object.values(dropped)); // dropConditions' clones are the caller's
  if (step % 50 === 0) {
    console.log(`step ${step} loss ${(lossSum / 50).toFixed(4)} ${((performance.now() - t0) / step).toFixed(0)} ms/step`);
    lossSum = 0;
  }
  if (step % every === 0 || step === steps) await evaluate(step);
}
