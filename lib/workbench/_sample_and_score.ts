/**
 * The last stage of a run: sample the evaluation clips from seeded noise with
 * the trained model (classifier-free guidance in the sampling loop), decode
 * them with the VAE, score them against the ground truth, and save the
 * artifacts `deno task evaluate` reads (generated / reference videos, masks,
 * clip ids, and the reference images with their masks for ingested clips)
 * plus PNG strips (ground truth above, sample below).
 */
import * as tf from "@tensorflow/tfjs-core";
import { type Cond, type GuidanceInputs, type ModelFn, sample, type SamplerConfig } from "../diffusion/mod.ts";
import { psnr, ssim, temporalFlickering } from "../eval/mod.ts";
import { atomicWrite } from "../io/atomic_write.ts";
import { writeSafetensors } from "../io/safetensors.ts";
import { REFERENCE_IMAGES_FILE } from "../eval/cli/evaluate_cli.ts";
import { writeVideoStrip } from "../report/video_strip.ts";
import type { Vae } from "../vae/mod.ts";
import type { Clip } from "../data/clip.ts";
import type { DataConfig, EvalMetric } from "./run_config.ts";
import { stream, tensorToVideos } from "./_pipeline_data.ts";
import { decodeLatentVideos } from "./_vae_phase.ts";

/**
 * @param cfg the run's seed, clip size and quick metrics (none without `eval`)
 * @param dir the run folder
 * @param options the model, eval clips and their GT video tensor, latent shape of one clip, Cond, sampler and its guidance's inputs, VAE
 * @returns metrics: psnr / ssim / flicker (as configured) and sample_s
 */
export async function sampleAndScore(
  cfg: { seed: number; data: DataConfig; eval?: { metrics: EvalMetric[] } },
  dir: string,
  options: {
    model: ModelFn;
    clips: readonly Clip[];
    video: tf.Tensor;
    latentShape: readonly number[];
    cond: Cond;
    sampler: SamplerConfig;
    guide?: GuidanceInputs;
    vae: Vae;
  },
): Promise<Record<string, number>> {
  const t0 = performance.now();
  const { clips, vae } = options;
  const n = clips.length;
  const shape = [n, ...options.latentShape];
  const noise = tf.tensor(stream(cfg.seed, "sample").normals(shape.reduce((a, b) => a * b, 1)), shape);
  const z = tf.tidy(() =>
    sample(options.model, noise, { sampler: options.sampler, cond: options.cond, guide: options.guide })
  );
  const pred = await decodeLatentVideos(vae, z);
  tf.dispose([noise, z]);
  const ref = await tensorToVideos(options.video);
  const { frames, height, width } = cfg.data;
  const vshape: [number, number, number, number, number] = [n, frames, height, width, 3];
  const metrics: Record<string, number> = {};
  const pv = { data: pred, shape: vshape }, rv = { data: ref, shape: vshape };
  const wanted = cfg.eval?.metrics ?? [];
  if (wanted.includes("psnr")) metrics.psnr = psnr(pv, rv);
  if (wanted.includes("ssim")) metrics.ssim = ssim(pv, rv);
  if (wanted.includes("flicker")) metrics.flicker = temporalFlickering(pv);
  metrics.sample_s = (performance.now() - t0) / 1000;

  const sdir = `${dir}/samples`;
  await Deno.mkdir(sdir, { recursive: true });
  await writeSafetensors(`${sdir}/generated.safetensors`, { video: { shape: vshape, data: pred } });
  await writeSafetensors(`${sdir}/reference.safetensors`, { video: { shape: vshape, data: ref } });
  const per = frames * height * width;
  const masks = new Float32Array(n * per);
  clips.forEach((c, i) => masks.set(c.mask, i * per));
  await writeSafetensors(`${sdir}/masks.safetensors`, { mask: { shape: vshape.slice(0, 4), data: masks } });
  await atomicWrite(`${sdir}/eval_ids.json`, JSON.stringify(clips.map((c) => c.id)));
  // Clips that carry their reference image's mask (ingested videos) save image and mask: the evaluation cannot
  // re-render them from the clip id as it does for synthetic clips.
  if (clips.every((c) => c.referenceMask)) {
    const hw = height * width;
    const image = new Float32Array(n * hw * 3), mask = new Float32Array(n * hw);
    clips.forEach((c, i) => (image.set(c.reference, i * hw * 3), mask.set(c.referenceMask!, i * hw)));
    await writeSafetensors(`${sdir}/${REFERENCE_IMAGES_FILE}`, {
      image: { shape: [n, height, width, 3], data: image },
      mask: { shape: [n, height, width], data: mask },
    });
  }
  const clipSize = per * 3;
  for (let i = 0; i < n; i++) {
    await writeVideoStrip(`${sdir}/eval-${String(i).padStart(3, "0")}.png`, [
      ref.subarray(i * clipSize, (i + 1) * clipSize),
      pred.subarray(i * clipSize, (i + 1) * clipSize),
    ], { frames, height, width });
  }
  return metrics;
}
