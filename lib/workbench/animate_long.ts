/**
 * `deno task animate:long`: a long video from a finished fine-tuning (an
 * `animate` run's `dit/design.json` + `design.safetensors`, loaded as the
 * benchmark task loads it), driven by the synthetic generator's long-clip
 * mode of evaluation clip `clip` (realisdance-val-syn, the same motion at the
 * training frame rate) or, for a run on a folder of ingested clips (or with
 * `from`), by evaluation clip `clip` of a folder whose clips are at least as
 * long as the video (the videos ingested again with more frames), generated in segments of the run's clip length with
 * an overlap of K latent frames (`sampleLongVideo`: the replacement method),
 * the reference image and caption of that clip throughout, and the run's
 * sampler, guidance, shift and seed. Independent segments (K = 0) are
 * generated too, from the same noise, as the baseline of the seam figures.
 *
 * Writes `OUT.safetensors` (`video` [N, H, W, 3] in [0, 1]; `independent`,
 * the K = 0 baseline, when K > 0; `driving` the ground-truth long clip),
 * `OUT.json` (the report), `OUT.png` (strip: ground truth, overlapped,
 * independent) and, where ffmpeg is on PATH, `OUT.mp4` and `OUT.gif`.
 *
 * The report compares the seams with the pairs inside segments: VBench
 * temporal flickering of each consecutive pair and 1 − cos of the `-syn`
 * image encoder's whole-frame features (`seamContinuity`).
 *
 * References: RealisDance-DiT (arXiv 2504.14977) §3 (sampling with the
 * reference and pose conditions, CFG); lib/workbench/sample_long_video.ts
 * (method and its references); lib/eval/seam_continuity.ts.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { syntheticLongClip } from "../../datasets/synthetic/synthetic_long_clip.ts";
import { EVAL_SET_SIZE } from "../../datasets/synthetic/synthetic_sets.ts";
import { CLIP_DURATION } from "../synthetic/sample_clip_spec.ts";
import type { Clip } from "../data/clip.ts";
import { ClipFolderError, openClipFolder } from "../data/open_clip_folder.ts";
import { seamContinuity } from "../eval/seam_continuity.ts";
import type { FeatureNetwork } from "../eval/feature_network.ts";
import { atomicWrite } from "../io/atomic_write.ts";
import { writeSafetensors } from "../io/safetensors.ts";
import { designModelFn } from "../model/designs/mod.ts";
import { writeVideoStrip } from "../report/video_strip.ts";
import { loadVae } from "../vae/mod.ts";
import { migrateRunConfig } from "./migrate_run_config.ts";
import { designLabel } from "./model_design.ts";
import { longVideoPlan } from "./long_video_plan.ts";
import type { AnimateRunConfig } from "./run_config.ts";
import type { SamplerConfig } from "../diffusion/mod.ts";
import { readJson } from "./run_folder.ts";
import { type LongVideo, sampleLongVideo } from "./sample_long_video.ts";
import { designConditions } from "./_design_conditions.ts";
import { loadDesignCheckpoint } from "./_design_checkpoint.ts";
import { stream } from "./_pipeline_data.ts";
import { textSide } from "./_text_side.ts";
import { decodeLatentVideos, encodeLatents } from "./_vae_phase.ts";
import { writeVideoFiles } from "./_video_files.ts";
import { modelGrid, sizeMisfit } from "./_run_data.ts";

/** Options of {@link animateLong}. */
export interface AnimateLongOptions {
  /** Index of the evaluation clip (realisdance-val-syn, or the folder's evaluation split) whose motion, reference and caption drive it. */
  clip: number;
  /**
   * A folder of clips ingested at least `frames` long, at the run's height and width, with its evaluation manifest
   * (`deno task data:ingest --frames M`, `deno task data:eval-set --from`): its evaluation clip `clip` drives the
   * video. Default: the run's data.source (a folder run's own clips are its training length, so a longer video
   * needs this).
   */
  from?: string;
  /** Output frames N (>= the run's clip length). */
  frames: number;
  /** Overlap K in latent frames (default 1). */
  overlap?: number;
  /** Output path ending in .safetensors. */
  out: string;
  /** The `-syn` image encoder for the feature distance (omitted: flicker only). */
  network?: FeatureNetwork;
  /** Called after each segment. */
  onSegment?: (label: string, index: number, count: number) => void;
}

/** Seam figures of one generation. */
export interface SeamFigures {
  segments: number;
  seam_pairs: number;
  within_pairs: number;
  seam_flicker: number;
  within_flicker: number;
  "seam_feature_distance-syn": number | null;
  "within_feature_distance-syn": number | null;
}

/** What {@link animateLong} returns (and writes as OUT.json). */
export interface AnimateLongReport {
  run: string;
  design: string;
  clip: number;
  clip_id: string;
  frames: number;
  height: number;
  width: number;
  segment_frames: number;
  segment_latent_frames: number;
  overlap: number;
  overlap_frames: number;
  segments: number;
  segment_starts: number[];
  seams: [number, number][];
  method: "replacement";
  /** The run's sampler as its config holds it, and the noise seed. */
  sample: SamplerConfig & { seed: number };
  overlapped: SeamFigures;
  /** The K = 0 baseline (the same as `overlapped` when K = 0). */
  independent: SeamFigures;
  independent_seams: [number, number][];
  files: string[];
  sample_s: number;
}

/**
 * @param runDir a finished `animate` run folder (with `dit/design.json`)
 * @param options clip, length, overlap, output path, feature network
 * @returns the report (also written next to the output)
 * @throws {RangeError} for a run that is not a finished animate run, a clip outside the evaluation set,
 *   N shorter than a segment, K >= the segment's latent frames, or an output not ending in .safetensors
 * @example
 * ```ts ignore
 * const r = await animateLong("results/model_design/9-design=part-finetune-seed=0", { clip: 0, frames: 33, out: "/tmp/x.safetensors" });
 * console.log(r.overlapped.seam_flicker, r.independent.seam_flicker);
 * ```
 */
export async function animateLong(runDir: string, options: AnimateLongOptions): Promise<AnimateLongReport> {
  const { clip, frames, out } = options;
  const overlap = options.overlap ?? 1;
  if (!out.endsWith(".safetensors")) {
    throw new RangeError(`Cannot write the long video to ${out}: expected a path ending in .safetensors`);
  }
  const rec = await readJson<{ config?: unknown }>(`${runDir}/config.json`);
  if (!rec?.config) throw new RangeError(`Cannot read a run config in ${runDir}/config.json`);
  const s = migrateRunConfig(rec.config);
  if (s.task !== "animate") {
    throw new RangeError(`Cannot animate from ${runDir}: it is a "${s.task}" run, expected a finished "animate" run`);
  }
  const { frames: t, height, width } = s.data;
  // Both plans first: a bad N or K fails before anything loads.
  const plan = longVideoPlan(frames, { segmentFrames: t, overlap });
  const base = longVideoPlan(frames, { segmentFrames: t, overlap: 0 });
  if (!s.vae.checkpoint || !s.model.checkpoint) {
    throw new TypeError(`Cannot animate from ${runDir}: its config names no foundation (vae ${s.vae.checkpoint}, model ${s.model.checkpoint})`);
  }
  // The driving clip covers the longer of the two plans, rounded up to 4k + 1 frames for the generator.
  const covered = Math.max(plan.coveredFrames, base.coveredFrames);
  const folder = options.from ?? (s.data.source.kind === "folder" ? s.data.source.path : null);
  // Read (and checked) before anything loads: a folder whose clips are too short or of another size stops here.
  const split = options.from === undefined && s.data.source.kind === "folder" ? s.data.source.split : undefined;
  const segments = `${Math.max(plan.starts.length, base.starts.length)} segments of ${t} frames`;
  const long = folder === null
    ? syntheticDriver(clip, { frames: 4 * Math.ceil((covered - 1) / 4) + 1, height, width, clipFrames: t })
    : await folderDriver(folder, clip, { covered, segments, height, width, run: s, split });
  const vae = await loadVae(s.vae.checkpoint);
  if (!vae.stats) throw new TypeError(`Cannot use the VAE in ${s.vae.checkpoint}: it has no latent statistics`);
  const ck = await loadDesignCheckpoint(`${runDir}/dit`);
  const text = await textSide({ dit: ck.cfg, preset: s.model.preset, checkpoint: s.model.checkpoint, captions: [], seed: s.seed });
  const model = designModelFn(ck.design, ck);
  const scfg: AnimateRunConfig = { ...s, model: { ...s.model, design: { ...s.model.design, poses: [...ck.design.poses] } } };
  const dc = designConditions(scfg, { vae, text });

  const first = dc.encodeConditions([segmentOf(long, 0, t)]);
  first.pose.dispose();
  const shared = { context: first.context, reference: first.reference };
  const [, c, , h, w] = first.reference.shape as number[]; // (1, C, 1, H', W')
  const latentShape = [c, (t - 1) / 4 + 1, h, w];
  const guide = dc.guide(1);
  const size = latentShape.reduce((a, b) => a * b, 1);
  const noiseStream = () => {
    // Segment 0 gets the noise the run's own evaluation sample of this clip got (batch row `clip`).
    const prng = stream(s.seed, "sample");
    prng.normals(clip * size);
    return prng;
  };
  const generate = (k: number, label: string): Promise<LongVideo> =>
    sampleLongVideo(model, {
      frames,
      height,
      width,
      overlap: k,
      latentShape,
      cond: shared,
      segmentCond: (start) => {
        const e = dc.encodeConditions([segmentOf(long, start, t)]);
        tf.dispose([e.context, e.reference]);
        return { pose: e.pose };
      },
      encode: (v) => encodeLatents(vae, v),
      decode: (z) => decodeLatentVideos(vae, z),
      prng: noiseStream(),
      sampler: dc.sampler,
      guide,
      onSegment: (i, n) => options.onSegment?.(label, i, n),
    });
  const t0 = performance.now();
  let main: LongVideo, independent: LongVideo | null = null;
  try {
    main = await generate(overlap, `overlap ${overlap}`);
    if (overlap > 0) independent = await generate(0, "independent");
  } finally {
    dc.dispose();
    tf.dispose([...Object.values(shared), ...Object.values(ck.params), ...Object.values(text.params), ...Object.values(vae.params)]);
  }
  const sample_s = (performance.now() - t0) / 1000;
  const figures = async (v: LongVideo): Promise<SeamFigures> => {
    const m = await seamContinuity({ data: v.video, shape: [1, frames, height, width, 3] }, {
      seams: v.plan.seams,
      network: options.network,
    });
    return {
      segments: v.plan.starts.length,
      seam_pairs: m.seamPairs,
      within_pairs: m.withinPairs,
      seam_flicker: m.seamFlicker,
      within_flicker: m.withinFlicker,
      "seam_feature_distance-syn": m.seamFeatureDistance,
      "within_feature_distance-syn": m.withinFeatureDistance,
    };
  };
  const overlapped = await figures(main);
  const baseline = independent ? await figures(independent) : overlapped;

  const stem = out.slice(0, -".safetensors".length);
  const frameSize = height * width * 3;
  const driving = long.video.subarray(0, frames * frameSize);
  const vshape = [frames, height, width, 3];
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {
    video: { shape: vshape, data: main.video },
    driving: { shape: vshape, data: driving },
  };
  if (independent) tensors.independent = { shape: vshape, data: independent.video };
  const report: AnimateLongReport = {
    run: runDir,
    design: designLabel(s.model.design),
    clip,
    clip_id: long.id,
    frames,
    height,
    width,
    segment_frames: t,
    segment_latent_frames: plan.segmentLatentFrames,
    overlap,
    overlap_frames: plan.overlapFrames,
    segments: plan.starts.length,
    segment_starts: plan.starts,
    seams: plan.seams,
    method: "replacement",
    sample: { ...s.sample, shift: s.diffusion.shift, seed: s.seed },
    overlapped,
    independent: baseline,
    independent_seams: base.seams,
    files: [],
    sample_s,
  };
  const dir = out.includes("/") ? out.slice(0, out.lastIndexOf("/")) : ".";
  await Deno.mkdir(dir, { recursive: true });
  await writeSafetensors(out, tensors, { report: JSON.stringify({ ...report, files: undefined }) });
  report.files.push(out);
  const rows = [driving, main.video, ...(independent ? [independent.video] : [])];
  await writeVideoStrip(`${stem}.png`, rows, { frames, height, width });
  report.files.push(`${stem}.png`);
  report.files.push(...await writeVideoFiles(stem, main.video, { frames, height, width, fps: (t - 1) / CLIP_DURATION }));
  report.files.push(`${stem}.json`);
  await atomicWrite(`${stem}.json`, JSON.stringify(report, null, 2) + "\n");
  return report;
}

/** Evaluation clip `clip` of realisdance-val-syn in the generator's long-clip mode, at the training frame rate. */
function syntheticDriver(clip: number, size: { frames: number; height: number; width: number; clipFrames: number }): Clip {
  if (!Number.isInteger(clip) || clip < 0 || clip >= EVAL_SET_SIZE) {
    throw new RangeError(`Cannot take evaluation clip ${clip}: realisdance-val-syn has clips 0…${EVAL_SET_SIZE - 1}`);
  }
  const { clipFrames, ...shape } = size;
  return syntheticLongClip("realisdance-val-syn", clip, shape, { clipFrames });
}

/** Evaluation clip `clip` of a folder whose clips cover the video, at the run's height and width. */
async function folderDriver(
  path: string,
  clip: number,
  need: { covered: number; segments: string; height: number; width: number; run: AnimateRunConfig; split?: string },
): Promise<Clip> {
  const grid = await modelGrid(need.run);
  const dir = path.replace(/\/+$/, "");
  const folder = await openClipFolder(dir, {
    split: need.split,
    checkSize: (found) => {
      const misfit = sizeMisfit(found, grid);
      const size = `${found.frames}x${found.height}x${found.width}`;
      if (misfit) throw new ClipFolderError(`Cannot use clip folder ${dir}: its clips are ${size} (frames x height x width), a size the model cannot take: ${misfit}`);
      if (found.height !== need.height || found.width !== need.width || found.frames < need.covered) {
        throw new ClipFolderError(
          `Cannot drive a long video with clip folder ${dir}: its clips are ${size} (frames x height x width), the video needs ` +
            `${need.covered} frames or more at ${need.height}x${need.width} (${need.segments}); ingest the videos again into another folder ` +
            `(deno task data:ingest --frames ${4 * Math.ceil((need.covered - 1) / 4) + 1} --size ${need.height}), fix its evaluation clips ` +
            `(deno task data:eval-set --from <folder> --clips N) and pass it with --from`,
        );
      }
    },
  });
  if (!Number.isInteger(clip) || clip < 0 || clip >= folder.evalIds.length) {
    throw new RangeError(`Cannot take evaluation clip ${clip}: clip folder ${dir} has evaluation clips 0…${folder.evalIds.length - 1}`);
  }
  return (await folder.clips([folder.evalIds[clip]]))[0];
}

/** Frames [start, start + t) of a clip as a clip of its own (video, poses, mask, keypoints). */
function segmentOf(clip: Clip, start: number, t: number): Clip {
  const px = clip.height * clip.width;
  const sl = (a: Float32Array, per: number) => a.slice(start * per, (start + t) * per);
  if (start + t > clip.frames) {
    throw new RangeError(`Cannot take frames ${start}…${start + t - 1} of a ${clip.frames}-frame clip`);
  }
  const kp = clip.persons * clip.keypointsPerPerson;
  return {
    ...clip,
    frames: t,
    video: sl(clip.video, px * 3),
    poses: { skeleton: sl(clip.poses.skeleton, px * 3), hands: sl(clip.poses.hands, px * 3), body: sl(clip.poses.body, px * 3) },
    mask: sl(clip.mask, px),
    keypoints: sl(clip.keypoints, kp * 2),
    visibility: sl(clip.visibility, kp),
  };
}
