/**
 * A video longer than the model's clip, generated in segments of the clip
 * length (see {@link longVideoPlan}), each segment conditioned on the end of
 * the one before it, the reference image and caption the same throughout,
 * the driving poses those of the segment's own frames.
 *
 * Method: the replacement method, not concatenated context. Segment j's
 * first K latent frames are the VAE encoding of the previous segment's last
 * P = 4(K − 1) + 1 decoded frames, and at every denoising step the model sees
 * them noised to that step's level (`replaceKnownFrames`); after the last step
 * they are set to those latents exactly before decoding, so the causal decoder
 * continues from the handed-over frames. Why: the fine-tuned designs were
 * trained on single clips with no slot for temporal context, so context
 * concatenated as extra tokens or channels (Wan2.2-Animate's temporal
 * guidance) would be an input the model has never learned to read, whereas
 * replacement needs no training: the model only ever sees a partly noised
 * clip of its own length. The handover goes through pixels rather than
 * copying latents because the causal VAE's first latent frame encodes one
 * frame and later ones four: the previous segment's last K latents are not
 * what the first K latents of a new clip mean.
 *
 * References: Ho et al. 2022, "Video Diffusion Models" §3.1 (replacement
 * method for extending a video); Lugmayr et al. 2022, "RePaint";
 * Wan-Video/Wan2.2 `wan/animate.py` and `generate.py --refert_num` (segments
 * of the clip length, the previous clip's last 1 or 5 frames as temporal
 * guidance: the concatenated-context alternative, trained for);
 * ali-vilab/UniAnimate-DiT (long videos from overlapping segments).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type Cond, type GuidanceInputs, type ModelFn, sample, type SamplerConfig } from "../diffusion/mod.ts";
import { replaceKnownFrames } from "../diffusion/replace_known_frames.ts";
import type { Prng } from "../random/mod.ts";
import { type LongVideoPlan, longVideoPlan } from "./long_video_plan.ts";

/** Options of {@link sampleLongVideo}. */
export interface SampleLongVideoOptions {
  /** Output frames N (>= the segment length). */
  frames: number;
  /** Pixel size of a decoded frame. */
  height: number;
  width: number;
  /** Overlap K in latent frames (0: independent segments). */
  overlap: number;
  /** One segment's latent shape [C, L, H', W'] (L = (T − 1)/4 + 1). */
  latentShape: readonly number[];
  /** Conditions shared by every segment (context, reference); not disposed. */
  cond: Cond;
  /**
   * The conditions of the segment covering pixel frames [start, start + T)
   * (its pose latents); merged over `cond` and disposed after the segment.
   */
  segmentCond: (start: number) => Cond;
  /** Normalised latents of a pixel video [1, 3, P, H, W] in [−1, 1] → [1, C, K, H', W']. */
  encode: (video: tf.Tensor) => tf.Tensor;
  /** Pixel frames of normalised latents [1, C, L, H', W'] → float32 [T, H, W, 3] in [0, 1]. */
  decode: (z: tf.Tensor) => Promise<Float32Array>;
  /** Draws each segment's starting noise, segment 0 first. */
  prng: Prng;
  /** How every segment is sampled (its guidance applies to each). */
  sampler: SamplerConfig;
  /** The inputs of the sampler's guidance (e.g. the null conditions of its CFG). */
  guide?: GuidanceInputs;
  /** Called after each segment (progress). */
  onSegment?: (index: number, count: number) => void;
}

/** What {@link sampleLongVideo} returns. */
export interface LongVideo {
  /** Frames [N, H, W, 3] in [0, 1]. */
  video: Float32Array;
  height: number;
  width: number;
  plan: LongVideoPlan;
}

/**
 * @param model the velocity model (x, t, cond) => v of one clip
 * @param options length, overlap, conditions, VAE, noise, sampler
 * @returns the frames and the plan that made them
 * @throws {RangeError} as {@link longVideoPlan} does (N shorter than a segment, K >= L)
 * @example
 * ```ts ignore
 * const long = await sampleLongVideo(model, { frames: 33, height: 32, width: 32, overlap: 1, latentShape: [16, 3, 8, 8],
 *   cond: { context, reference }, segmentCond: (s) => ({ pose: poseLatents(s) }),
 *   encode: (v) => encodeLatents(vae, v), decode: (z) => decodeLatentVideos(vae, z),
 *   prng: stream(0, "sample"), sampler: { solver: "unipc", steps: 20, shift: 1, guidance: { kind: "none" } } });
 * ```
 */
export async function sampleLongVideo(model: ModelFn, options: SampleLongVideoOptions): Promise<LongVideo> {
  const { latentShape } = options;
  if (latentShape.length !== 4) {
    throw new RangeError(`Cannot sample a long video as latentShape must be [C, L, H', W']: received [${latentShape}]`);
  }
  const segmentFrames = 4 * (latentShape[1] - 1) + 1;
  const plan = longVideoPlan(options.frames, { segmentFrames, overlap: options.overlap });
  const size = latentShape.reduce((a, b) => a * b, 1);
  const shape = [1, ...latentShape];
  const count = plan.starts.length;
  const { height, width } = options;
  const frameSize = height * width * 3;
  const video = new Float32Array(plan.frames * frameSize);
  let previous: Float32Array | null = null; // the previous segment's decoded frames [T, H, W, 3]
  for (let j = 0; j < count; j++) {
    const start = plan.starts[j];
    const noise = tf.tensor(options.prng.normals(size), shape);
    const own = options.segmentCond(start);
    const known = previous && plan.overlap > 0 ? handover(previous, plan, frameSize, [height, width], options.encode) : null;
    let z: tf.Tensor;
    try {
      const fn = known ? replaceKnownFrames(model, { known, noise }) : model;
      z = tf.tidy(() => {
        const x0 = sample(fn, noise, { sampler: options.sampler, cond: { ...options.cond, ...own }, guide: options.guide });
        if (!known) return x0;
        const k = known.shape[2] as number;
        const tail = tf.slice(x0, [0, 0, k, 0, 0], [-1, -1, -1, -1, -1]); // (1, C, L−K, H', W')
        return tf.concat([known, tail], 2); // (1, C, L, H', W'): the handed-over latents exactly
      });
    } finally {
      tf.dispose([noise, ...Object.values(own), ...(known ? [known] : [])]);
    }
    let frames: Float32Array;
    try {
      frames = await options.decode(z);
    } finally {
      z.dispose();
    }
    if (frames.length !== segmentFrames * frameSize) {
      throw new RangeError(
        `Cannot place a decoded segment as it must hold T·H·W·3 = ${segmentFrames}·${height}·${width}·3 values: received ${frames.length}`,
      );
    }
    // Segment 0 gives all its frames; a later one its frames after the overlap.
    const first = j === 0 ? 0 : plan.overlapFrames;
    const to = Math.min(plan.frames, start + segmentFrames);
    if (to > start + first) video.set(frames.subarray(first * frameSize, (to - start) * frameSize), (start + first) * frameSize);
    previous = frames;
    options.onSegment?.(j, count);
  }
  return { video, height, width, plan };
}

/** The previous segment's last P frames, encoded as the start of a new clip: [1, C, K, H', W']. */
function handover(
  previous: Float32Array,
  plan: LongVideoPlan,
  frameSize: number,
  [h, w]: number[],
  encode: (video: tf.Tensor) => tf.Tensor,
): tf.Tensor {
  const p = plan.overlapFrames;
  const tail = previous.subarray((plan.segmentFrames - p) * frameSize, plan.segmentFrames * frameSize);
  const video = tf.tidy(() => {
    const x = tf.tensor5d(tail, [1, p, h, w, 3]); // (1, P, H, W, 3)
    return tf.sub(tf.mul(tf.transpose(x, [0, 4, 1, 2, 3]), 2), 1); // (1, 3, P, H, W) in [−1, 1]
  });
  try {
    const z = encode(video);
    if (z.rank !== 5 || z.shape[2] !== plan.overlap) {
      z.dispose();
      throw new RangeError(
        `Cannot hand ${p} frames over as their encoding must have ${plan.overlap} latent frames: received [${z.shape}]`,
      );
    }
    return z;
  } finally {
    video.dispose();
  }
}
