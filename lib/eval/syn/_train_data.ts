/**
 * Training data of the `-syn` networks: a bank of synthetic clips rendered
 * once (pretrain and finetune sets only — never realisdance-val-syn), and
 * batches of views that are pure functions of (seed, stream position), so
 * training resumes exactly (private to lib/eval/syn).
 *
 * References: SimCLR (Chen et al., 2020) two-view batches; the synthetic
 * generator's labels (style, background, motion, camera).
 */
import * as tf from "@tensorflow/tfjs-core";
import { Prng } from "../../random/prng.ts";
import { STYLES } from "../../synthetic/clip_spec.ts";
import { type ClipSize } from "../../synthetic/generate_clip.ts";
import { MOTION_KINDS } from "../../synthetic/motion.ts";
import { BACKGROUND_KINDS, CAMERA_KINDS } from "../../synthetic/scene.ts";
import { setClipSpec, syntheticClip } from "../../../datasets/synthetic/synthetic_sets.ts";
import { backgroundCrops } from "./background_crops.ts";
import { characterCrops } from "./character_crops.ts";
import { maskUnion } from "./mask_union.ts";
import { referenceOfSpec } from "./synthetic_reference_images.ts";
import { samplePlane } from "./_pixels.ts";

/** Every motion kind, flattened in MOTION_KINDS order (the motion head's classes). */
export const MOTION_CLASSES: string[] = Object.values(MOTION_KINDS).flat();

/** A range of training clips. */
export interface PoolSource {
  set: "pretrain" | "finetune";
  first: number;
  count: number;
  size: ClipSize;
}

/** One rendered clip and its labels. */
export interface PoolClip {
  id: string;
  frames: number;
  height: number;
  width: number;
  video: Float32Array;
  mask: Float32Array;
  reference: Float32Array;
  referenceMask: Float32Array;
  style: number;
  background: number;
  motion: number;
  camera: number;
}

/** Renders the clips of the sources (deterministic). */
export function renderPool(sources: readonly PoolSource[], onClip?: (done: number, total: number) => void): PoolClip[] {
  const total = sources.reduce((s, x) => s + x.count, 0);
  const out: PoolClip[] = [];
  for (const src of sources) {
    for (let k = 0; k < src.count; k++) {
      const index = src.first + k;
      const spec = setClipSpec(src.set, index);
      const clip = syntheticClip(src.set, index, src.size);
      const ref = referenceOfSpec(spec, src.size);
      out.push({
        id: clip.id,
        frames: clip.frames,
        height: clip.height,
        width: clip.width,
        video: clip.video,
        mask: clip.mask,
        reference: ref.image,
        referenceMask: ref.mask,
        style: STYLES.indexOf(spec.style),
        background: BACKGROUND_KINDS.indexOf(spec.background.kind),
        motion: MOTION_CLASSES.indexOf(spec.persons[0].motion.kind),
        camera: CAMERA_KINDS.indexOf(spec.camera.kind),
      });
      onClip?.(out.length, total);
    }
  }
  return out;
}

/** The random stream of one batch: a pure function of (seed, position). */
export function batchPrng(seed: number, position: number): Prng {
  return new Prng(seed).fork(position);
}

/** `count` distinct pool indices. */
function pickClips(prng: Prng, poolSize: number, count: number): number[] {
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(prng.int(poolSize));
  return [...chosen];
}

/** Resizes [h, w, 3] to [oh, ow, 3] (bilinear, half-pixel centres), optionally mirrored, into dst at [-1, 1]. */
function putImage(
  src: Float32Array,
  h: number,
  w: number,
  dst: Float32Array,
  offset: number,
  size: readonly [number, number],
  flip: boolean,
  box: { top: number; left: number; side: number } = { top: 0, left: 0, side: 1 },
): void {
  const [oh, ow] = size;
  for (let i = 0; i < oh; i++) {
    const y = (box.top + (i + 0.5) / oh * box.side) * h - 0.5;
    for (let j = 0; j < ow; j++) {
      const jj = flip ? ow - 1 - j : j;
      const x = (box.left + (jj + 0.5) / ow * box.side) * w - 0.5;
      for (let c = 0; c < 3; c++) dst[offset + (i * ow + j) * 3 + c] = 2 * samplePlane(src, h, w, x, y, 3, c, null) - 1;
    }
  }
}

function oneHot(labels: number[], classes: number): tf.Tensor2D {
  const data = new Float32Array(labels.length * classes);
  labels.forEach((l, i) => (data[i * classes + l] = 1));
  return tf.tensor2d(data, [labels.length, classes]);
}

/** Image views: x holds view 1 of every sample, then view 2 ([2B, h, w, 3] in [-1, 1]). */
export interface ImageBatch {
  x: tf.Tensor4D;
  style: tf.Tensor2D;
  styleMask: tf.Tensor1D;
  background: tf.Tensor2D;
  backgroundMask: tf.Tensor1D;
}

const VIEW_KINDS = ["frame", "character", "background"] as const;

/**
 * B samples, each two views of one clip of the same kind: whole frame,
 * character crop or background view (character removed), of two different
 * frames (or the reference image, 20 %), each mirrored at random; character
 * crops with a random margin. Style labels on frame and character views,
 * background-kind labels on frame and background views.
 */
export function imageBatch(
  pool: PoolClip[],
  position: number,
  count: number,
  options: { seed: number; size: readonly [number, number] },
): ImageBatch {
  const prng = batchPrng(options.seed, position);
  const [oh, ow] = options.size;
  const per = oh * ow * 3;
  const x = new Float32Array(2 * count * per);
  const style: number[] = [], styleMask: number[] = [], bg: number[] = [], bgMask: number[] = [];
  const idx = pickClips(prng, pool.length, count);
  const labels: { s: number; sm: number; b: number; bm: number }[] = [];
  idx.forEach((ci, b) => {
    const clip = pool[ci];
    const { frames: f, height: h, width: w } = clip;
    const px = h * w;
    const kind = VIEW_KINDS[prng.int(3)];
    const t1 = prng.uniform() < 0.2 ? -1 : prng.int(f);
    let t2 = prng.int(f);
    if (t2 === t1) t2 = (t2 + 1 + prng.int(f - 1)) % f;
    const frameOf = (t: number) => (t < 0 ? clip.reference : clip.video.subarray(t * px * 3, (t + 1) * px * 3));
    const maskOf = (t: number) => (t < 0 ? clip.referenceMask : clip.mask.subarray(t * px, (t + 1) * px));
    const holes = kind === "background"
      ? maskUnion({ data: clip.mask, shape: [1, f, h, w] }, {
        extra: t1 < 0 ? { data: clip.referenceMask, shape: [1, h, w] } : undefined,
      })
      : null;
    [t1, t2].forEach((t, v) => {
      const offset = (v * count + b) * per;
      const flip = prng.uniform() < 0.5;
      const one = { data: frameOf(t), shape: [1, 1, h, w, 3] as [number, number, number, number, number] };
      if (kind === "character") {
        const crop = characterCrops(
          { videos: one, masks: { data: maskOf(t), shape: [1, 1, h, w] } },
          { size: [oh, ow], margin: 0.05 + 0.25 * prng.uniform() },
        );
        putImage(crop.data as Float32Array, oh, ow, x, offset, options.size, flip);
      } else if (kind === "background") {
        const view = backgroundCrops(one, holes!);
        putImage(view.data as Float32Array, h, w, x, offset, options.size, flip);
      } else {
        putImage(one.data, h, w, x, offset, options.size, flip);
      }
    });
    labels.push({
      s: clip.style,
      sm: kind !== "background" ? 1 : 0,
      b: clip.background,
      bm: kind !== "character" ? 1 : 0,
    });
  });
  for (let v = 0; v < 2; v++) {
    for (const l of labels) {
      style.push(l.s);
      styleMask.push(l.sm);
      bg.push(l.b);
      bgMask.push(l.bm);
    }
  }
  return {
    x: tf.tensor4d(x, [2 * count, oh, ow, 3]),
    style: oneHot(style, STYLES.length),
    styleMask: tf.tensor1d(styleMask),
    background: oneHot(bg, BACKGROUND_KINDS.length),
    backgroundMask: tf.tensor1d(bgMask),
  };
}

/** Classes of the temporal head: how a clip's frames were (or were not) corrupted in time. */
export const TEMPORAL_CLASSES = ["natural", "shuffled", "frozen", "flicker"] as const;

/** Video views: A (B clips), B (the same clips augmented), then B corrupted copies of A: [3B, T, h, w, 3]. */
export interface VideoBatch {
  x: tf.Tensor5D;
  /** Number of contrastive pairs B. */
  pairs: number;
  motion: tf.Tensor2D;
  camera: tf.Tensor2D;
  /** 1 on the uncorrupted clips (the A and B views), for the motion and camera heads. */
  naturalMask: tf.Tensor1D;
  /** One-hot TEMPORAL_CLASSES. */
  temporal: tf.Tensor2D;
}

/**
 * B clips subsampled to T frames: view A mirrored at random; view B mirrored
 * at random and cropped to a random square of 75–100 % of the side
 * (identical in every frame); then B copies of view A corrupted in time, the
 * temporal head's classes 1–3 in turn: frames in a random non-monotonic
 * order (shuffled), one random frame repeated (frozen), or each frame's
 * brightness scaled by an independent factor in [0.8, 1.2] (flicker) — the
 * failure modes of weak video generators.
 */
export function videoBatch(
  pool: PoolClip[],
  position: number,
  count: number,
  options: { seed: number; size: readonly [number, number]; clipLength: number },
): VideoBatch {
  const prng = batchPrng(options.seed, position);
  const [oh, ow] = options.size;
  const t = options.clipLength;
  const per = oh * ow * 3;
  const rows = 3 * count;
  const x = new Float32Array(rows * t * per);
  const idx = pickClips(prng, pool.length, count);
  const motion: number[] = [], camera: number[] = [], natural: number[] = [], temporal: number[] = [];
  const put = (
    row: number,
    clip: PoolClip,
    frameOrder: number[],
    flip: boolean,
    box?: { top: number; left: number; side: number },
  ) => {
    const { height: h, width: w } = clip;
    const k = (clip.frames - 1) / (t - 1);
    if (!Number.isInteger(k)) {
      throw new RangeError(`Cannot take ${t}-frame clips from ${clip.frames}-frame clip ${clip.id}`);
    }
    frameOrder.forEach((src, j) => {
      const frame = clip.video.subarray(src * k * h * w * 3, (src * k + 1) * h * w * 3);
      putImage(frame, h, w, x, (row * t + j) * per, options.size, flip, box);
    });
  };
  const natural0 = Array.from({ length: t }, (_, j) => j);
  idx.forEach((ci, b) => {
    const clip = pool[ci];
    put(b, clip, natural0, prng.uniform() < 0.5);
    const side = 0.75 + 0.25 * prng.uniform();
    put(count + b, clip, natural0, prng.uniform() < 0.5, {
      top: prng.uniform() * (1 - side),
      left: prng.uniform() * (1 - side),
      side,
    });
  });
  for (let s = 0; s < count; s++) {
    const kind = 1 + (s % 3);
    const row = 2 * count + s;
    const flip = prng.uniform() < 0.5;
    if (kind === 1) {
      const perm = [...natural0];
      do {
        for (let i = t - 1; i > 0; i--) {
          const j = prng.int(i + 1);
          [perm[i], perm[j]] = [perm[j], perm[i]];
        }
      } while (perm.every((v, i) => v === i) || perm.every((v, i) => v === t - 1 - i));
      put(row, pool[idx[s]], perm, flip);
    } else if (kind === 2) {
      put(row, pool[idx[s]], new Array(t).fill(prng.int(t)), flip);
    } else {
      put(row, pool[idx[s]], natural0, flip);
      for (let j = 0; j < t; j++) {
        const gain = 0.8 + 0.4 * prng.uniform();
        const frame = x.subarray((row * t + j) * per, (row * t + j + 1) * per);
        // Pixels are in [-1, 1]: scale the [0, 1] value, clip, map back.
        for (let q = 0; q < per; q++) frame[q] = 2 * Math.min(1, ((frame[q] + 1) / 2) * gain) - 1;
      }
    }
    temporal.push(kind);
  }
  for (let r = 0; r < rows; r++) {
    const clip = pool[idx[r < 2 * count ? r % count : r - 2 * count]];
    motion.push(clip.motion);
    camera.push(clip.camera);
    natural.push(r < 2 * count ? 1 : 0);
  }
  return {
    x: tf.tensor5d(x, [rows, t, oh, ow, 3]),
    pairs: count,
    motion: oneHot(motion, MOTION_CLASSES.length),
    camera: oneHot(camera, CAMERA_KINDS.length),
    naturalMask: tf.tensor1d(natural),
    temporal: oneHot([...new Array(2 * count).fill(0), ...temporal], TEMPORAL_CLASSES.length),
  };
}
