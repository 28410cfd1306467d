/**
 * The columns of RealisDance-DiT's tables as this workbench computes them
 * offline: the VBench-I2V table (with `-syn` networks and `-classical` flow)
 * and the TikTok-style table (SSIM, PSNR, LPIPS-syn, FVD-syn, FID-syn). A
 * `-syn` or `-classical` number never appears under a standard name.
 *
 * References: RealisDance-DiT (2025) tables (VBench-I2V dimensions;
 * SSIM/PSNR/LPIPS/FVD/FID on TikTok-style data); VBench / VBench++.
 */
import { psnr } from "../psnr.ts";
import { ssim } from "../ssim.ts";
import { temporalFlickering } from "../temporal_flickering.ts";
import type { Video } from "../video.ts";
import { backgroundConsistencySyn } from "./background_consistency_syn.ts";
import { calibratedDynamicDegree } from "./calibrated_dynamic_degree.ts";
import { calibratedMotionSmoothness } from "./calibrated_motion_smoothness.ts";
import { fidSyn } from "./fid_syn.ts";
import { fvdSyn } from "./fvd_syn.ts";
import { i2vBackgroundSyn } from "./i2v_background_syn.ts";
import { i2vSubjectSyn } from "./i2v_subject_syn.ts";
import type { SynNetworks } from "./load_syn_networks.ts";
import { lpipsSyn } from "./lpips_syn.ts";
import type { MaskBatch, ReferenceImages } from "./masked_videos.ts";
import { subjectConsistencySyn } from "./subject_consistency_syn.ts";

/** The VBench-I2V table's columns, in the paper's order. */
export const VBENCH_I2V_COLUMNS = [
  "I2V Subject-syn",
  "I2V Background-syn",
  "Subject Consistency-syn",
  "Background Consistency-syn",
  "Temporal Flickering",
  "Motion Smoothness-classical",
  "Dynamic Degree-classical",
  "Aesthetic Quality",
  "FVD-syn",
  "FID-syn",
] as const;

/** The TikTok-style table's columns. */
export const TIKTOK_COLUMNS = ["SSIM", "PSNR", "LPIPS-syn", "FVD-syn", "FID-syn"] as const;

/** Every column once (FVD-syn and FID-syn belong to both tables). */
export const PAPER_COLUMNS = [...new Set([...VBENCH_I2V_COLUMNS, ...TIKTOK_COLUMNS])] as PaperColumn[];

/** A column name. */
export type PaperColumn = typeof VBENCH_I2V_COLUMNS[number] | typeof TIKTOK_COLUMNS[number];

/** A run's evaluation artifacts. */
export interface PaperColumnsInput {
  /** Generated videos [N, F, H, W, 3] in [0, 1]. */
  generated: Video;
  /** Ground truth of the same clips, same shape. */
  reference: Video;
  /** Ground-truth character masks [N, F, H, W]. */
  masks: MaskBatch;
  /** The conditioning (reference) image of each clip and its mask. */
  images: ReferenceImages;
  /** Clip ids (realisdance-val-syn/NNNN), for the stored ground-truth smoothness scores. */
  ids: string[];
}

/** The columns, with notes on every value that is null or computed a non-default way. */
export interface PaperColumnsResult {
  columns: Record<PaperColumn, number | null>;
  notes: string[];
  /** How the classical dimensions were calibrated for this size. */
  classical: {
    dynamicDegreeCalibration: string | null;
    thresholdScale: number;
    motionSmoothnessRaw: number;
    motionSmoothnessGt: number;
    motionSmoothnessGtSource: string;
  };
  /** Per-video scores of the per-video columns. */
  perVideo: Record<string, number[]>;
}

/** Options of {@link paperColumns}. */
export interface PaperColumnsOptions {
  /** The `-syn` networks and the calibration (loadSynNetworks). */
  nets: SynNetworks;
}

/**
 * Computes every column of both tables: the `-syn` consistency dimensions on
 * mask-based crops (the generated videos use the ground truth's masks, as
 * the pose conditions place the character there), I2V against the reference
 * image, Temporal Flickering (exact VBench formula), the recalibrated
 * `-classical` dimensions, FVD-syn / FID-syn against the ground truth, SSIM,
 * PSNR (+Infinity for identical videos) and LPIPS-syn against the ground
 * truth. Aesthetic Quality is null (no CLIP + LAION head offline). A column
 * that cannot be computed for these videos (FVD-syn for lengths the video
 * network cannot take, Fréchet distances of a single video) is null with a note.
 *
 * @param input generated and ground-truth videos, masks, reference images and clip ids
 * @param options the networks
 * @returns the columns (values in [0, 1] for the VBench dimensions), notes and details
 * @example
 * ```ts ignore
 * import { loadSynNetworks, paperColumns } from "../mod.ts";
 * const nets = await loadSynNetworks();
 * const { columns } = await paperColumns({ generated, reference, masks, images, ids }, { nets });
 * ```
 */
export async function paperColumns(
  input: PaperColumnsInput,
  options: PaperColumnsOptions,
): Promise<PaperColumnsResult> {
  const { generated, reference, masks, images, ids } = input;
  const { nets } = options;
  const gs = generated.shape, rs = reference.shape;
  if (gs.some((v, i) => v !== rs[i])) {
    throw new RangeError(`Cannot evaluate: generated [${gs}] and reference [${rs}] videos must have the same shape`);
  }
  if (ids.length !== gs[0]) throw new RangeError(`Cannot evaluate: ${gs[0]} videos but ${ids.length} clip ids`);
  const notes: string[] = [];
  const perVideo: Record<string, number[]> = {};
  const samples = { videos: generated, masks };
  const image = { network: nets.image };
  const sc = await subjectConsistencySyn(samples, image);
  const bc = await backgroundConsistencySyn(samples, image);
  const i2vS = await i2vSubjectSyn(samples, images, image);
  const i2vB = await i2vBackgroundSyn(samples, images, image);
  const dd = await calibratedDynamicDegree(generated, { calibration: nets.calibration });
  if (dd.calibration === null) {
    notes.push(`Dynamic Degree-classical: no calibration for ${gs[2]}x${gs[3]}; VBench's threshold scale 6 used`);
  } else if (!dd.calibration.startsWith(`${gs[1]}x`)) {
    notes.push(`Dynamic Degree-classical: threshold of calibration ${dd.calibration} used for ${gs[1]}-frame videos`);
  }
  const ms = await calibratedMotionSmoothness(generated, { calibration: nets.calibration, ids, reference });
  if (ms.gtSource === "reference") {
    notes.push(
      "Motion Smoothness-classical: ground-truth score computed from samples/reference (no stored per-clip score for this size)",
    );
  }
  perVideo["I2V Subject-syn"] = i2vS.perVideo;
  perVideo["I2V Background-syn"] = i2vB.perVideo;
  perVideo["Subject Consistency-syn"] = sc.perVideo;
  perVideo["Background Consistency-syn"] = bc.perVideo;
  perVideo["Dynamic Degree-classical"] = dd.perVideo;
  perVideo["Motion Smoothness-classical (raw)"] = ms.raw.perVideo;
  const fd = async (name: string, f: () => Promise<number>) => {
    try {
      return await f();
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      notes.push(`${name}: n/a (${e.message})`);
      return null;
    }
  };
  const fvd = await fd("FVD-syn", () => fvdSyn(generated, reference, { network: nets.video }));
  const fid = await fd("FID-syn", () => fidSyn(generated, reference, { network: nets.image }));
  notes.push("Aesthetic Quality: n/a (needs CLIP ViT-L/14 + the LAION aesthetic head; none offline)");
  const columns: Record<PaperColumn, number | null> = {
    "I2V Subject-syn": i2vS.score,
    "I2V Background-syn": i2vB.score,
    "Subject Consistency-syn": sc.score,
    "Background Consistency-syn": bc.score,
    "Temporal Flickering": temporalFlickering(generated),
    "Motion Smoothness-classical": ms.score,
    "Dynamic Degree-classical": dd.score,
    "Aesthetic Quality": null,
    "FVD-syn": fvd,
    "FID-syn": fid,
    "SSIM": ssim(generated, reference),
    "PSNR": psnr(generated, reference),
    "LPIPS-syn": await lpipsSyn(generated, reference, { extractor: nets.lpips }),
  };
  return {
    columns,
    notes,
    classical: {
      dynamicDegreeCalibration: dd.calibration,
      thresholdScale: dd.thresholdScale,
      motionSmoothnessRaw: ms.raw.score,
      motionSmoothnessGt: ms.gtScore,
      motionSmoothnessGtSource: ms.gtSource,
    },
    perVideo,
  };
}
