/**
 * Sanity figures of trained `-syn` networks on held-out synthetic clips
 * (private to lib/eval/syn): nearest-neighbour retrieval of same-clip
 * frames, FID-syn / FVD-syn / LPIPS-syn under degradations, consistency
 * under an identity switch, head accuracies.
 *
 * References: SimCLR-style retrieval evaluation; Heusel et al. (NeurIPS 2017)
 * Fig. 1 (FID grows with blur and noise).
 */
import * as tf from "@tensorflow/tfjs-core";
import { Prng } from "../../random/prng.ts";
import { embedVideos } from "../embed_videos.ts";
import type { Video } from "../video.ts";
import { backgroundConsistencySyn } from "./background_consistency_syn.ts";
import { backgroundCrops } from "./background_crops.ts";
import { characterCrops } from "./character_crops.ts";
import { frechetDistance } from "../frechet_distance.ts";
import { i2vSubjectSyn } from "./i2v_subject_syn.ts";
import { lpipsSyn } from "./lpips_syn.ts";
import { maskUnion } from "./mask_union.ts";
import type { SynNetworks } from "./load_syn_networks.ts";
import { subjectConsistencySyn } from "./subject_consistency_syn.ts";
import { synVideoForward } from "./syn_video_forward.ts";
import type { SynVideoConfig } from "./syn_net_config.ts";
import { type PoolClip, videoBatch } from "./_train_data.ts";
import { maskedAccuracy } from "./_syn_losses.ts";

type V5 = [number, number, number, number, number];

/** Videos, masks and reference images of pool clips as batches. */
export function poolBatch(clips: PoolClip[]) {
  const { frames: f, height: h, width: w } = clips[0];
  const n = clips.length;
  const videos = new Float32Array(n * f * h * w * 3), masks = new Float32Array(n * f * h * w);
  const images = new Float32Array(n * h * w * 3), imageMasks = new Float32Array(n * h * w);
  clips.forEach((c, i) => {
    videos.set(c.video, i * c.video.length);
    masks.set(c.mask, i * c.mask.length);
    images.set(c.reference, i * c.reference.length);
    imageMasks.set(c.referenceMask, i * c.referenceMask.length);
  });
  return {
    videos: { data: videos, shape: [n, f, h, w, 3] as V5 },
    masks: { data: masks, shape: [n, f, h, w] as [number, number, number, number] },
    reference: {
      images: { data: images, shape: [n, h, w, 3] as [number, number, number, number] },
      masks: { data: imageMasks, shape: [n, h, w] as [number, number, number] },
    },
  };
}

/** Separable Gaussian blur (σ px, radius ⌈3σ⌉, borders clamped) of every frame. */
export function blurVideos(v: Video, sigma: number): Video {
  const [n, f, h, w, c] = v.shape;
  const r = Math.ceil(3 * sigma);
  const k = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const ks = k.reduce((a, b) => a + b, 0);
  const kn = k.map((x) => x / ks);
  const src = v.data as Float32Array;
  const out = new Float32Array(src.length);
  const tmp = new Float32Array(h * w * c);
  for (let fr = 0; fr < n * f; fr++) {
    const o = fr * h * w * c;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let ch = 0; ch < c; ch++) {
          let s = 0;
          for (let d = -r; d <= r; d++) {
            s += kn[d + r] * src[o + (y * w + Math.min(w - 1, Math.max(0, x + d))) * c + ch];
          }
          tmp[(y * w + x) * c + ch] = s;
        }
      }
    }
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let ch = 0; ch < c; ch++) {
          let s = 0;
          for (let d = -r; d <= r; d++) s += kn[d + r] * tmp[(Math.min(h - 1, Math.max(0, y + d)) * w + x) * c + ch];
          out[o + (y * w + x) * c + ch] = s;
        }
      }
    }
  }
  return { data: out, shape: v.shape };
}

/** Frame t of every video replaced by its frame perm[t] (shuffles, freezes). */
export function permuteFrames(v: Video, perm: number[]): Video {
  const [n, f, h, w, c] = v.shape;
  const size = h * w * c;
  const out = new Float32Array(v.data.length);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < f; t++) {
      out.set(v.data.subarray((i * f + perm[t]) * size, (i * f + perm[t] + 1) * size), (i * f + t) * size);
    }
  }
  return { data: out, shape: v.shape };
}

/** Top-1 retrieval: rows 2i and 2i + 1 are partners; the share whose nearest other row (cosine) is the partner. */
export function retrievalAccuracy(feats: { data: Float32Array | Float64Array; shape: [number, number] }): number {
  const [m, d] = feats.shape;
  const unit = new Float64Array(m * d);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += feats.data[i * d + j] ** 2;
    const inv = 1 / (Math.sqrt(s) + 1e-12);
    for (let j = 0; j < d; j++) unit[i * d + j] = feats.data[i * d + j] * inv;
  }
  let hit = 0;
  for (let i = 0; i < m; i++) {
    let best = -Infinity, arg = -1;
    for (let k = 0; k < m; k++) {
      if (k === i) continue;
      let s = 0;
      for (let j = 0; j < d; j++) s += unit[i * d + j] * unit[k * d + j];
      if (s > best) [best, arg] = [s, k];
    }
    if (arg === (i ^ 1)) hit++;
  }
  return hit / m;
}

/** Two frames (first and last) of each clip, viewed whole, as character crops, or as background views. */
async function viewRetrieval(
  clips: PoolClip[],
  nets: SynNetworks,
  kind: "frame" | "character" | "background",
): Promise<number> {
  const b = poolBatch(clips);
  const [n, f] = b.masks.shape;
  const pick = (v: Video): Video => {
    const size = v.shape[2] * v.shape[3] * 3;
    const out = new Float32Array(n * 2 * size);
    for (let i = 0; i < n; i++) {
      out.set((v.data as Float32Array).subarray((i * f) * size, (i * f + 1) * size), 2 * i * size);
      out.set((v.data as Float32Array).subarray((i * f + f - 1) * size, (i * f + f) * size), (2 * i + 1) * size);
    }
    return { data: out, shape: [n, 2, v.shape[2], v.shape[3], 3] };
  };
  let views: Video = b.videos;
  if (kind === "character") views = characterCrops(b, { size: [...nets.image.inputSize] as [number, number] });
  if (kind === "background") views = backgroundCrops(b.videos, maskUnion(b.masks));
  const feats = await embedVideos(pick(views), nets.image);
  return retrievalAccuracy(feats);
}

/** Every sanity figure, as a flat record. */
export async function sanityFigures(
  clips: PoolClip[],
  nets: SynNetworks,
  video: { params: Record<string, tf.Tensor>; config: SynVideoConfig },
): Promise<Record<string, number>> {
  const out: Record<string, number> = { clips: clips.length };
  for (const kind of ["frame", "character", "background"] as const) {
    out[`retrieval_${kind}`] = await viewRetrieval(clips, nets, kind);
  }
  const half = Math.floor(clips.length / 2);
  const a = poolBatch(clips.slice(0, half)), b = poolBatch(clips.slice(half, 2 * half));
  const f = a.videos.shape[1];
  // FID-syn / FVD-syn of half A against variants of half B (the same formula as fidSyn / fvdSyn, A embedded once).
  const fa = await embedVideos(a.videos, nets.image);
  const fid = async (v: Video) => frechetDistance(fa, await embedVideos(v, nets.image));
  out.fid_syn_halves = await fid(b.videos);
  for (const s of [0.5, 1, 2]) out[`fid_syn_blur${s}`] = await fid(blurVideos(b.videos, s));
  out.fid_syn_noise05 = await fid(addNoise(b.videos, 0.05));
  const va = await embedVideos(a.videos, nets.video, { clips: "first" });
  const fvd = async (v: Video) =>
    frechetDistance(va, await embedVideos(v, nets.video, { clips: "first" }), { covariance: "biased" });
  out.fvd_syn_halves = await fvd(b.videos);
  out.fvd_syn_blur1 = await fvd(blurVideos(b.videos, 1));
  out.fvd_syn_shuffled = await fvd(permuteFrames(b.videos, Array.from({ length: f }, (_, t) => (t * 4) % f)));
  out.fvd_syn_static = await fvd(permuteFrames(b.videos, new Array(f).fill(0)));
  for (const s of [0.5, 1, 2]) {
    out[`lpips_syn_blur${s}`] = await lpipsSyn(b.videos, blurVideos(b.videos, s), { extractor: nets.lpips });
  }
  // Identity switch: frames from the middle on come from the next clip (with its masks).
  const switched = switchHalves(b);
  out.subject_consistency_syn_gt = (await subjectConsistencySyn(b, { network: nets.image })).score;
  out.subject_consistency_syn_switched = (await subjectConsistencySyn(switched, { network: nets.image })).score;
  out.background_consistency_syn_gt = (await backgroundConsistencySyn(b, { network: nets.image })).score;
  out.background_consistency_syn_switched = (await backgroundConsistencySyn(switched, { network: nets.image })).score;
  out.i2v_subject_syn_gt = (await i2vSubjectSyn(b, b.reference, { network: nets.image })).score;
  out.i2v_subject_syn_switched = (await i2vSubjectSyn(switched, b.reference, { network: nets.image })).score;
  // Video heads on held-out clips.
  const vb = videoBatch(clips, 0, Math.min(32, clips.length), {
    seed: 12345,
    size: video.config.inputSize,
    clipLength: video.config.clipLength,
  });
  const logits = tf.tidy(() => synVideoForward(video.params, vb.x, { config: video.config }).logits);
  const lab = async (t: tf.Tensor2D) => {
    const arg = tf.argMax(t, 1);
    const values = Int32Array.from(await arg.data());
    arg.dispose();
    return values;
  };
  const nat = Float32Array.from(await vb.naturalMask.data());
  out.video_motion_accuracy = await maskedAccuracy(logits.motion, await lab(vb.motion), nat);
  out.video_camera_accuracy = await maskedAccuracy(logits.camera, await lab(vb.camera), nat);
  out.video_temporal_accuracy = await maskedAccuracy(
    logits.temporal,
    await lab(vb.temporal),
    new Float32Array(nat.length).fill(1),
  );
  tf.dispose([vb.x, vb.motion, vb.camera, vb.naturalMask, vb.temporal, ...Object.values(logits)]);
  return out;
}

function addNoise(v: Video, sigma: number): Video {
  const noise = new Prng(12345).normals(v.data.length);
  const out = new Float32Array(v.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, v.data[i] + sigma * noise[i]));
  return { data: out, shape: v.shape };
}

function switchHalves(b: ReturnType<typeof poolBatch>): ReturnType<typeof poolBatch> {
  const [n, f, h, w] = b.masks.shape;
  const fs = h * w * 3, ms = h * w;
  const videos = Float32Array.from(b.videos.data), masks = Float32Array.from(b.masks.data);
  const mid = Math.ceil(f / 2);
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    for (let t = mid; t < f; t++) {
      videos.set(b.videos.data.subarray((j * f + t) * fs, (j * f + t + 1) * fs), (i * f + t) * fs);
      masks.set(b.masks.data.subarray((j * f + t) * ms, (j * f + t + 1) * ms), (i * f + t) * ms);
    }
  }
  return {
    videos: { data: videos, shape: b.videos.shape },
    masks: { data: masks, shape: b.masks.shape },
    reference: b.reference,
  };
}
