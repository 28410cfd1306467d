/**
 * The conditions of a RealisDance-DiT design, shared by the animate task
 * (fine-tuning, then sampling) and the benchmark task (sampling a finished
 * fine-tuning): each clip's normalised latent, its reference image's latent,
 * its pose latents channel-concatenated, its caption's context; the null
 * conditions of condition dropping and CFG (empty-prompt context, latent of an
 * all-zero image); and the sampler of the sampling loop with its guidance's inputs.
 *
 * References: RealisDance-DiT (2025) §3 (reference latent, pose conditions,
 * condition dropping, CFG 2); damo-cv/RealisDance `rd_dit_pipeline.py`
 * (`latent_null_ref`, negative prompt "").
 */
import * as tf from "@tensorflow/tfjs-core";
import { concatPoses, designGuidance } from "../model/designs/mod.ts";
import type { CfgInputs, SamplerConfig } from "../diffusion/mod.ts";
import type { Clip } from "../data/clip.ts";
import type { Vae } from "../vae/mod.ts";
import type { AnimateRunConfig, BenchmarkRunConfig } from "./run_config.ts";
import type { TextSide } from "./_text_side.ts";
import { videosToTensor } from "./_pipeline_data.ts";
import { encodeLatents } from "./_vae_phase.ts";

/** The conditions of a set of clips, without the clips' own latents. */
export type ClipConditions = {
  /** Normalised latents of the reference images [N, C, 1, H', W']. */
  reference: tf.Tensor;
  /** Pose latents, channel-concatenated in `model.design.poses` order [N, k·C, F', H', W']. */
  pose: tf.Tensor;
  /** Caption contexts [N, text_len, text_dim]. */
  context: tf.Tensor;
};

/** The encoded conditions of a set of clips and their latents (a type alias, so it fits `Record<string, tf.Tensor>`). */
export type EncodedConditions = ClipConditions & {
  /** Normalised latents of the clips [N, C, F', H', W']. */
  latents: tf.Tensor;
};

/** What {@link designConditions} returns. */
export interface DesignConditions {
  /**
   * @param set the clips
   * @param video their frames [N, 3, F, H, W] in [−1, 1]
   * @returns the encoded conditions (the caller disposes them)
   */
  encode(set: readonly Clip[], video: tf.Tensor): EncodedConditions;
  /**
   * @param set the clips
   * @returns their reference, pose and context conditions only (for sampling: no latents of the clips)
   */
  encodeConditions(set: readonly Clip[]): ClipConditions;
  /** The latent of an all-zero image ([−1, 1] scale: mid-grey) [1, C, 1, H', W']. */
  nullReference: tf.Tensor;
  /** The empty prompt's context [1, text_len, text_dim]. */
  nullContext: tf.Tensor;
  /** The run's sampler: `sample` at `diffusion.shift` (a benchmark's `sample` as it is); its CFG drops "context" and "reference". */
  sampler: SamplerConfig;
  /**
   * @param n the sample batch
   * @returns the null context and reference tiled to the batch: the inputs of the sampler's CFG
   */
  guide(n: number): CfgInputs;
  /** Frees the null conditions and every guidance's tiled copies. */
  dispose(): void;
}

/**
 * @param cfg the run config (model.design.poses, data.height/width, sample, diffusion.shift)
 * @param options the trained VAE (with statistics) and the frozen text side
 * @returns the encoder of conditions and the null conditions
 * @example
 * ```ts ignore
 * const dc = designConditions(cfg, { vae, text });
 * const ev = dc.encode(clips, video);
 * await sampleAndScore(cfg, dir, { model, clips, video, latentShape: ev.latents.shape.slice(1),
 *   cond: { context: ev.context, reference: ev.reference, pose: ev.pose }, sampler: dc.sampler, guide: dc.guide(clips.length), vae });
 * ```
 */
export function designConditions(cfg: AnimateRunConfig | BenchmarkRunConfig, options: { vae: Vae; text: TextSide }): DesignConditions {
  const { vae, text } = options;
  const blank = tf.zeros([1, 3, 1, cfg.data.height, cfg.data.width]);
  const nullReference = encodeLatents(vae, blank);
  blank.dispose();
  const nullContext = tf.tidy(() => text.encode(text.tokens([""])));
  const tiled: tf.Tensor[] = [];
  const poses = cfg.model.design.poses;
  return {
    encode(set, video) {
      return { latents: encodeLatents(vae, video), ...this.encodeConditions(set) };
    },
    encodeConditions(set) {
      // Reference images as one-frame videos [N, 3, 1, H, W] in [−1, 1].
      const refVideo = videosToTensor(set.map((c) => ({ ...c, frames: 1 })), (c) => c.reference);
      const reference = encodeLatents(vae, refVideo);
      refVideo.dispose();
      const pose = tf.tidy(() => {
        const lat: Record<string, tf.Tensor> = {};
        for (const p of poses) {
          const v = videosToTensor(set, (c) => c.poses[p]);
          lat[p] = encodeLatents(vae, v);
          v.dispose();
        }
        return concatPoses(lat, poses);
      });
      const context = tf.tidy(() => text.encode(text.tokens(set.map((c) => c.caption))));
      return { reference, pose, context };
    },
    nullReference,
    nullContext,
    sampler: cfg.task === "benchmark" ? cfg.sample : { ...cfg.sample, shift: cfg.diffusion.shift },
    guide(n) {
      const tileTo = (t: tf.Tensor) => tf.tile(t, [n, ...new Array(t.rank - 1).fill(1)]);
      const nullCond = { context: tileTo(nullContext), reference: tileTo(nullReference) };
      tiled.push(nullCond.context, nullCond.reference);
      return { nullCond: designGuidance(nullCond).nullCond };
    },
    dispose() {
      tf.dispose([nullReference, nullContext, ...tiled]);
      tiled.length = 0;
    },
  };
}
