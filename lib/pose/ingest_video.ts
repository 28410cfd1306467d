/**
 * One real video → one Clip: frames and reference decoded with ffmpeg
 * (`readVideoFrames`), the person's pose estimated per frame by the
 * pretrained nets at an analysis size (≥ 256 px) and the three condition
 * videos rendered from the estimates at the clip size, the person mask from
 * the matting net (alpha ≥ 0.5), keypoints in the 60-point layout with
 * visibility 0 for dropped (low-confidence) points, the caption from a
 * sidecar `.txt` or the folder's `captions.jsonl` (else "", the empty
 * caption), categories [], and a report of what was kept and dropped.
 *
 * References: RealisDance-DiT §4 (training data: TikTok, UBC-fashion; pose
 * conditions from DWPose, HaMeR, SMPL-X).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs-core";
import type { Clip } from "../data/clip.ts";
import { readVideoFrames, type ReadVideoFramesOptions } from "../data/read_video_frames.ts";
import { KEYPOINTS_PER_PERSON, LEFT_HAND_OFFSET, RIGHT_HAND_OFFSET } from "../synthetic/keypoints.ts";
import { type EstimatePoseOptions, estimatePose, type PoseEstimate } from "./estimate_pose.ts";
import type { PoseModels } from "./load_pose_models.ts";
import type { KeypointThresholds } from "./estimate_to_keypoints.ts";
import { renderEstimatedConditions } from "./render_estimated_conditions.ts";
import { segmentPerson } from "./segment_person.ts";

/** Options of `ingestVideo`. */
export interface IngestVideoOptions extends Omit<ReadVideoFramesOptions, "width" | "height">, KeypointThresholds {
  /** Clip height and width in pixels. */
  height: number;
  width: number;
  /** Loaded pose networks (see `loadPoseModels`). */
  models: PoseModels;
  /** Clip id (default the file name without extension). */
  id?: string;
  /** Longest side of the images the nets see (default max(256, clip size)). */
  analysisSize?: number;
  /** Alpha at or above which a pixel is the person (default 0.5). */
  maskThreshold?: number;
  /** Most frames without a person before the video is rejected (default: half of them). */
  maxMissingFrames?: number;
  /** Options of `estimatePose` (hand refinement, wrist threshold). */
  pose?: EstimatePoseOptions;
}

/** What ingestion kept and dropped of one video (written per video into the folder's ingest.json). */
export interface IngestClipReport {
  /** Duration of the source in seconds. */
  duration: number;
  /** Clip frames kept, and their times in the source (s); the source's other frames are not in the clip. */
  keptFrames: number;
  times: number[];
  /** Time of the reference image (s). */
  referenceTime: number;
  /** Clip frames in which no person was found (person score below minPersonScore): kept, with empty conditions. */
  framesWithoutPerson: number[];
  /** Per clip frame, the 18 body keypoints kept and dropped (score below minScore, or outside the frame). */
  bodyKeypointsKept: number[];
  bodyKeypointsDropped: number[];
  /** Per clip frame, the hands found (0, 1 or 2; a hand below minHandScore is dropped). */
  handsFound: number[];
  /** Where the caption came from ("none": the empty caption). */
  captionSource: "txt" | "captions.jsonl" | "none";
}

/** A clip ingested from a real video, with the raw estimates (analysis pixels). */
export interface IngestedClip extends Clip {
  source: { path: string; times: number[]; referenceTime: number; analysisSize: [number, number] };
  /** Pose estimates of the clip frames then the reference (analysis pixels). */
  estimates: PoseEstimate[];
  /** Person mask of the reference image [H, W] (0/1). */
  referenceMask: Float32Array;
  report: IngestClipReport;
}

/** No person in too many of a video's frames, or in its reference frame: the video is dropped. */
export class NoPersonError extends Error {
  override name = "NoPersonError";
}

/**
 * Ingests one video file or frame folder.
 *
 * @param path the video file or frame folder
 * @param options clip size and frames, fps, networks, thresholds
 * @returns the clip (throws an Error naming `path` for unreadable videos or when no person is found)
 * @example
 * ```ts ignore
 * import { ingestVideo } from "./ingest_video.ts";
 * import { loadPoseModels } from "./mod.ts";
 * const clip = await ingestVideo("dance.mp4", { frames: 17, height: 64, width: 64, fps: 8, models: await loadPoseModels() });
 * ```
 */
export async function ingestVideo(path: string, options: IngestVideoOptions): Promise<IngestedClip> {
  const { frames: F, height: H, width: W, models } = options;
  const longest = options.analysisSize ?? Math.max(256, H, W);
  const Ha = Math.round((longest * H) / Math.max(H, W)), Wa = Math.round((longest * W) / Math.max(H, W));
  const small = await readVideoFrames(path, { frames: F, width: W, height: H, fps: options.fps, folderFps: options.folderFps });
  const big = Ha === H && Wa === W
    ? small
    : await readVideoFrames(path, { frames: F, width: Wa, height: Ha, fps: options.fps, folderFps: options.folderFps });
  const px = H * W, pxa = Ha * Wa;
  const toImage = (bytes: Uint8Array, i: number) =>
    tf.tidy(() => tf.div(tf.tensor3d(bytes.subarray(i * pxa * 3, (i + 1) * pxa * 3), [Ha, Wa, 3], "int32"), 255)) as tf.Tensor3D;
  const images = Array.from({ length: F }, (_, i) => toImage(big.frames, i));
  const refImage = toImage(big.reference, 0);
  let estimates: PoseEstimate[], alphas: Float32Array[], refAlpha: Float32Array;
  try {
    estimates = [];
    for (const img of [...images, refImage]) estimates.push(await estimatePose(models, img, options.pose));
    alphas = await segmentPerson(models.matting, images, { kind: models.config.matting });
    [refAlpha] = await segmentPerson(models.matting, [refImage], { kind: models.config.matting });
  } finally {
    tf.dispose([...images, refImage]);
  }
  const minPerson = options.minPersonScore ?? 0.5;
  const missing = estimates.slice(0, F).filter((e) => e.landmarks.poseScore < minPerson).length;
  const maxMissing = options.maxMissingFrames ?? Math.floor(F / 2);
  if (missing > maxMissing || estimates[F].landmarks.poseScore < minPerson) {
    throw new NoPersonError(
      `Cannot ingest ${path}: no person found in ${missing} of ${F} clip frames${
        estimates[F].landmarks.poseScore < minPerson ? " and in the reference frame" : ""
      } (person score < ${minPerson})`,
    );
  }
  const K = KEYPOINTS_PER_PERSON;
  const skeleton = new Float32Array(F * px * 3), hands = new Float32Array(F * px * 3), body = new Float32Array(F * px * 3);
  const keypoints = new Float32Array(F * K * 2), visibility = new Float32Array(F * K);
  const mask = new Float32Array(F * px);
  const threshold = options.maskThreshold ?? 0.5;
  for (let f = 0; f < F; f++) {
    const c = renderEstimatedConditions(estimates[f], { ...options, width: W, height: H });
    skeleton.set(c.skeleton, f * px * 3);
    hands.set(c.hands, f * px * 3);
    body.set(c.body, f * px * 3);
    keypoints.set(c.keypoints, f * K * 2);
    visibility.set(c.visibility, f * K);
    mask.set(resizeAlpha(alphas[f], [Ha, Wa], [H, W], threshold), f * px);
  }
  const levels = (bytes: Uint8Array) => Float32Array.from(bytes, (b) => b / 255);
  const name = path.replace(/\/+$/, "").split("/").pop() ?? path;
  const caption = await readCaption(path);
  const visibleIn = (f: number, from: number, count: number) => visibility.subarray(f * K + from, f * K + from + count).reduce((a, b) => a + b, 0);
  const frameIndices = Array.from({ length: F }, (_, f) => f);
  const bodyKept = frameIndices.map((f) => visibleIn(f, 0, 18));
  const report: IngestClipReport = {
    duration: small.duration,
    keptFrames: F,
    times: small.times,
    referenceTime: small.referenceTime,
    framesWithoutPerson: frameIndices.filter((f) => estimates[f].landmarks.poseScore < minPerson),
    bodyKeypointsKept: bodyKept,
    bodyKeypointsDropped: bodyKept.map((k) => 18 - k),
    handsFound: frameIndices.map((f) => (visibleIn(f, LEFT_HAND_OFFSET, 21) > 0 ? 1 : 0) + (visibleIn(f, RIGHT_HAND_OFFSET, 21) > 0 ? 1 : 0)),
    captionSource: caption.source,
  };
  return {
    id: options.id ?? name.replace(/\.[^.]+$/, ""),
    frames: F,
    height: H,
    width: W,
    video: levels(small.frames),
    reference: levels(small.reference),
    poses: { skeleton, hands, body },
    mask,
    persons: 1,
    keypointsPerPerson: K,
    keypoints,
    visibility,
    caption: caption.text,
    categories: [],
    source: { path, times: small.times, referenceTime: small.referenceTime, analysisSize: [Ha, Wa] },
    estimates,
    referenceMask: resizeAlpha(refAlpha, [Ha, Wa], [H, W], threshold),
    report,
  };
}

/** Bilinear resize of an alpha matte, thresholded to 0/1. */
function resizeAlpha(alpha: Float32Array, from: [number, number], to: [number, number], threshold: number): Float32Array {
  const out = tf.tidy(() => tf.image.resizeBilinear(tf.tensor3d(alpha, [from[0], from[1], 1]), to, false, true).dataSync());
  return Float32Array.from(out, (a) => (a >= threshold ? 1 : 0));
}

/**
 * The caption of a video: a sidecar `<name>.txt` next to a video (`<dir>.txt` or `<dir>/caption.txt` for a frame
 * folder), else its line in `captions.jsonl` beside the videos (`{"file": "<name>", "caption": "…"}` per line),
 * else the empty caption.
 */
async function readCaption(path: string): Promise<{ text: string; source: IngestClipReport["captionSource"] }> {
  const base = path.replace(/\/+$/, "");
  for (const c of [base.replace(/\.[^./]+$/, "") + ".txt", `${base}.txt`, `${base}/caption.txt`]) {
    try {
      return { text: (await Deno.readTextFile(c)).trim(), source: "txt" };
    } catch {
      // try the next candidate
    }
  }
  const slash = base.lastIndexOf("/");
  const dir = slash < 0 ? "." : base.slice(0, slash), name = base.slice(slash + 1);
  let lines: string[];
  try {
    lines = (await Deno.readTextFile(`${dir}/captions.jsonl`)).split("\n");
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { text: "", source: "none" };
    throw e;
  }
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    let entry: { file?: unknown; caption?: unknown };
    try {
      entry = JSON.parse(line);
    } catch {
      throw new Error(`Cannot read ${dir}/captions.jsonl line ${i + 1}: not JSON (expected {"file": "<video>", "caption": "…"}), received ${line.slice(0, 80)}`);
    }
    if (typeof entry.file !== "string" || typeof entry.caption !== "string") {
      throw new Error(`Cannot read ${dir}/captions.jsonl line ${i + 1}: expected {"file": "<video>", "caption": "…"}, received ${line.slice(0, 80)}`);
    }
    if (entry.file === name) return { text: entry.caption.trim(), source: "captions.jsonl" };
  }
  return { text: "", source: "none" };
}
