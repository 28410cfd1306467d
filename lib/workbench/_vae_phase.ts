/**
 * The VAE phase of a run: train the causal VAE (resumable, checkpoint
 * `checkpoints/vae.safetensors`) or load a trained one, compute its latent
 * statistics, save it under `vae/`, and encode videos to normalised latents.
 */
import * as tf from "@tensorflow/tfjs-core";
import { trainLoop } from "../train/mod.ts";
import {
  computeLatentStats,
  denormalizeLatents,
  initVaeParams,
  loadVae,
  normalizeLatents,
  saveVae,
  type Vae,
  VAE_PRESETS,
  vaeDecode,
  vaeEncode,
  vaeLoss,
} from "../vae/mod.ts";
import type { AnimateRunConfig, PretrainRunConfig, VaeRunConfig } from "./run_config.ts";
import type { RunContext } from "./run_sweep.ts";
import { ProgressBar } from "../io/progress_bar.ts";
import { writeVideoStrip } from "../report/video_strip.ts";
import { chunked, splitBatch, stream, tensorSource, tensorToVideos } from "./_pipeline_data.ts";

/**
 * @param cfg the run config (a task with a VAE)
 * @param ctx the run folder and stop flag
 * @param train training clips [N, 3, F, H, W] in [−1, 1], and their character masks [N, 1, F, H, W] (needed when vae.maskWeight > 0)
 * @returns the VAE with statistics, or null when interrupted
 */
export async function vaePhase(
  cfg: VaeRunConfig | PretrainRunConfig | AnimateRunConfig,
  ctx: RunContext,
  train: { video: tf.Tensor; mask: tf.Tensor | null },
): Promise<Vae | null> {
  const trainVideo = train.video;
  if (cfg.vae.checkpoint) {
    const vae = await loadVae(cfg.vae.checkpoint);
    if (!vae.stats) throw new TypeError(`Cannot use the VAE in ${cfg.vae.checkpoint}: it has no latent statistics`);
    return vae;
  }
  if (!(cfg.vae.preset in VAE_PRESETS)) {
    throw new RangeError(`Unknown vae.preset "${cfg.vae.preset}": expected one of ${Object.keys(VAE_PRESETS).join(", ")}`);
  }
  if (cfg.vae.steps < 1) throw new RangeError(`vae.steps must be >= 1 when vae.checkpoint is null: received ${cfg.vae.steps}`);
  const config = VAE_PRESETS[cfg.vae.preset as keyof typeof VAE_PRESETS];
  const vae: Vae = cfg.vae.init ? await initFrom(cfg.vae.init, cfg.vae.preset) : { config, params: initVaeParams(config, { prng: stream(cfg.seed, "vae-init") }) };
  const lambda = cfg.vae.maskWeight;
  if (lambda > 0 && !train.mask) throw new TypeError(`vae.maskWeight is ${lambda} but no character masks were given`);
  const bar = new ProgressBar(`${ctx.label} vae`, cfg.vae.steps);
  const res = await trainLoop({
    params: vae.params,
    trainable: Object.keys(vae.params),
    loss: (batch, { prng }) => {
      const weight = lambda > 0 ? tf.add(tf.mul(batch.mask, lambda), 1) : undefined; // (B, 1, F, H, W)
      return { loss: vaeLoss(vae, batch.video, { prng, klWeight: cfg.vae.klWeight, weight }).loss };
    },
    data: tensorSource(lambda > 0 ? { video: trainVideo, mask: train.mask! } : { video: trainVideo }, cfg.seed + 1),
    steps: cfg.vae.steps,
    microBatch: Math.min(cfg.vae.microBatch, trainVideo.shape[0]),
    accumulation: 1,
    lr: cfg.vae.lr,
    // A run of fewer steps than the warmup still reaches the peak rate.
    schedule: { ...cfg.vae.schedule, warmupSteps: Math.min(cfg.vae.schedule.warmupSteps, cfg.vae.steps - 1) },
    weightDecay: 0,
    clipNorm: 1,
    emaDecay: 0,
    prng: stream(cfg.seed, "vae-train"),
    dir: ctx.dir,
    name: "vae",
    checkpointEvery: Math.max(1, Math.min(cfg.vae.checkpointEvery, cfg.vae.steps)),
    shouldStop: ctx.shouldStop,
    onStep: ({ step, loss }) => bar.update(step, { loss }),
  });
  bar.done();
  if (res.interrupted) return null;
  const chunks = splitBatch(trainVideo, 4);
  vae.stats = await computeLatentStats(vae, chunks);
  tf.dispose(chunks);
  await saveVae(`${ctx.dir}/vae`, vae);
  return vae;
}

/**
 * A trained VAE's weights as the start of a new VAE training (`vae.init`); its
 * latent statistics are dropped (training changes the latents; they are
 * recomputed after it).
 * @param dir the trained VAE's folder
 * @param preset the run's vae.preset, which must describe the same architecture
 * @returns the VAE, without statistics
 * @throws {RangeError} when the folder's architecture is not the preset's
 */
async function initFrom(dir: string, preset: string): Promise<Vae> {
  const loaded = await loadVae(dir);
  const want = VAE_PRESETS[preset as keyof typeof VAE_PRESETS];
  if (JSON.stringify(loaded.config) !== JSON.stringify(want)) {
    tf.dispose(Object.values(loaded.params));
    throw new RangeError(
      `Cannot start vae.preset "${preset}" from ${dir}: its architecture is ${JSON.stringify(loaded.config)}, expected ${JSON.stringify(want)}`,
    );
  }
  return { config: want, params: loaded.params };
}

/**
 * @param vae a VAE with statistics
 * @param video [N, 3, F, H, W] in [−1, 1]
 * @param options `label`: show a progress bar over the chunks of 4 clips (its steps)
 *   under this label (a large corpus takes minutes: 16,384 clips of 9×32×32
 *   took about 9 min in the pretrain_dit_16k run, about 20 ms per clip per thread)
 * @returns normalised posterior-mean latents [N, C, F', H', W']
 */
export function encodeLatents(vae: Vae, video: tf.Tensor, options: { label?: string } = {}): tf.Tensor {
  const chunks = Math.ceil(video.shape[0] / 4);
  const bar = options.label && chunks > 0 ? new ProgressBar(options.label, chunks) : null;
  let done = 0;
  const parts = chunked(video, 4, (v) => {
    const z = tf.tidy(() => normalizeLatents(vaeEncode(vae, v).mean, vae.stats!));
    bar?.update(++done);
    return z;
  });
  bar?.done();
  const out = tf.concat(parts);
  tf.dispose(parts);
  return out;
}

/**
 * The inverse of {@link encodeLatents}: normalised latents denormalised and
 * decoded in chunks of 4 clips, clamped, as videos in [0, 1].
 *
 * @param vae a VAE with statistics
 * @param z normalised latents [N, C, F', H', W'] (not disposed)
 * @returns videos [N, F, H, W, 3] in [0, 1]
 */
export async function decodeLatentVideos(vae: Vae, z: tf.Tensor): Promise<Float32Array> {
  const parts = chunked(z, 4, (c) => tf.tidy(() => vaeDecode(vae, denormalizeLatents(c, vae.stats!), { clamp: true })));
  const decoded = tf.concat(parts); // (N, 3, F, H, W)
  tf.dispose(parts);
  const videos = await tensorToVideos(decoded); // (N, F, H, W, 3)
  decoded.dispose();
  return videos;
}

/**
 * Writes `vae-recon-000.png`, … into `dir`: for each of the first `count`
 * clips a strip with the clip above and the VAE's reconstruction (posterior
 * mean, decoded, clamped) below, so a run shows what its decoder can draw at
 * best before any DiT is involved.
 *
 * @param vae the VAE
 * @param video held-out clips [N, 3, F, H, W] in [−1, 1]
 * @param options the folder and how many clips
 * @returns the paths written
 */
export async function writeVaeReconStrips(
  vae: Vae,
  video: tf.Tensor,
  options: { dir: string; count: number },
): Promise<string[]> {
  const [n, , frames, height, width] = video.shape;
  const count = Math.min(options.count, n);
  const clips = tf.slice(video, [0, 0, 0, 0, 0], [count, -1, -1, -1, -1]); // (count, 3, F, H, W)
  const decoded = tf.tidy(() => vaeDecode(vae, vaeEncode(vae, clips).mean, { clamp: true })); // (count, 3, F, H, W)
  const ref = await tensorToVideos(clips);
  const rec = await tensorToVideos(decoded);
  tf.dispose([clips, decoded]);
  await Deno.mkdir(options.dir, { recursive: true });
  const size = frames * height * width * 3;
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = `${options.dir}/vae-recon-${String(i).padStart(3, "0")}.png`;
    await writeVideoStrip(path, [ref.subarray(i * size, (i + 1) * size), rec.subarray(i * size, (i + 1) * size)], {
      frames,
      height,
      width,
    });
    paths.push(path);
  }
  return paths;
}

/**
 * The VAE's reconstruction scores on held-out clips, from one encode/decode
 * pass (posterior mean, decoded, clamped) in chunks of 4 clips:
 * - `psnr`: whole-frame PSNR, the mean over chunks of lib/vae `reconstructionPsnr`'s
 *   per-clip mean (10·log10(1 / MSE) per clip, [0, 1] scale);
 * - `characterPsnr`: PSNR on the character's pixels only, 10·log10(1 / MSE) with
 *   the squared errors of every masked pixel and colour channel of every clip
 *   pooled. The whole-frame PSNR is dominated by background texture; this is
 *   the number that says whether the decoder can draw the character. Null when
 *   the masks select no pixel.
 *
 * @param vae the VAE
 * @param video held-out clips [N, 3, F, H, W] in [−1, 1]
 * @param mask their character masks [N, 1, F, H, W] (1 on the character)
 * @returns both PSNRs in dB (Infinity for an exact reconstruction)
 * @throws {RangeError} when the mask's shape does not match the video's
 */
export async function vaeReconScores(
  vae: Vae,
  video: tf.Tensor,
  mask: tf.Tensor,
): Promise<{ psnr: number; characterPsnr: number | null }> {
  const [n, , f, h, w] = video.shape;
  if (mask.shape.join() !== [n, 1, f, h, w].join()) {
    throw new RangeError(`Cannot score the character's reconstruction as mask must be [${[n, 1, f, h, w]}]: received [${mask.shape}]`);
  }
  const chunkPsnr: number[] = [];
  let se = 0, count = 0;
  for (let i = 0; i < n; i += 4) {
    const b = Math.min(4, n - i);
    const [perClip, sum, pixels] = tf.tidy(() => {
      const v = tf.slice(video, [i, 0, 0, 0, 0], [b, -1, -1, -1, -1]); // (b, 3, F, H, W)
      const m = tf.slice(mask, [i, 0, 0, 0, 0], [b, -1, -1, -1, -1]); // (b, 1, F, H, W)
      const d = vaeDecode(vae, vaeEncode(vae, v).mean, { clamp: true });
      const sq = tf.square(tf.mul(tf.sub(d, v), 0.5)); // [0, 1] scale: (x + 1)/2
      return [tf.mean(sq, [1, 2, 3, 4]), tf.sum(tf.mul(sq, m)), tf.sum(m)]; // (b), (), ()
    });
    const mse = (await perClip.data()) as Float32Array;
    chunkPsnr.push(Array.from(mse, (e: number) => e === 0 ? Infinity : 10 * Math.log10(1 / e)).reduce((x, y) => x + y, 0) / b);
    se += (await sum.data())[0];
    count += (await pixels.data())[0] * 3;
    tf.dispose([perClip, sum, pixels]);
  }
  const psnr = chunkPsnr.reduce((x, y) => x + y, 0) / chunkPsnr.length;
  const characterPsnr = count === 0 ? null : se === 0 ? Infinity : 10 * Math.log10(count / se);
  return { psnr, characterPsnr };
}
