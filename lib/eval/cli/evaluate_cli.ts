/**
 * `deno task evaluate`: the paper's table columns for a run's saved samples,
 * or for every run of a sweep:
 *
 *   deno run -A lib/eval/cli/evaluate_cli.ts results/<experiment>/<run> [--json]
 *   deno run -A lib/eval/cli/evaluate_cli.ts results/<experiment> [--json]
 *     [--nets DIR] [--backend auto|blas|wasm|cpu]
 *     [--fid-network FILE] [--fvd-network FILE] [--dino-network FILE] [--clip-network FILE] [--dreamsim-network FILE]
 *     [--<name>-layout channels-first]
 *
 * A run folder holds samples/generated.safetensors (`video` [N, F, H, W, 3]
 * in [0, 1]), samples/reference.safetensors (the ground truth, same layout),
 * samples/masks.safetensors (`mask` [N, F, H, W]) and samples/eval_ids.json
 * (clip ids); the reference (conditioning) images and their masks come from
 * samples/reference_images.safetensors where the run saved them (clips
 * ingested from real videos), else are re-rendered from the
 * (realisdance-val-syn) ids by the generator. Writes
 * <run>/eval.json (one number per column; null for n/a, +Infinity as 1e999)
 * and <run>/eval_info.json (networks, calibration used, notes, per-video
 * scores); for a sweep folder also <sweep>/eval.parquet, one row per run.
 *
 * Columns: the VBench-I2V table (I2V Subject-syn, I2V Background-syn, Subject
 * Consistency-syn, Background Consistency-syn, Temporal Flickering, Motion
 * Smoothness-classical, Dynamic Degree-classical, Aesthetic Quality = n/a,
 * FVD-syn, FID-syn) and the TikTok-style table (SSIM, PSNR, LPIPS-syn,
 * FVD-syn, FID-syn). With a standard network file the standard column is
 * added under its own name, computed on whole frames as VBench does: FID
 * (Inception pool3, --fid-network), FVD (I3D, --fvd-network), Subject
 * Consistency and I2V Subject (DINO ViT-B/16, --dino-network), Background
 * Consistency (CLIP ViT-B/32 image tower, --clip-network), I2V Background
 * (DreamSim, --dreamsim-network); files are TF.js model.json or .onnx.
 *
 * References: RealisDance-DiT (2025) tables; VBench / VBench++; lib/eval/syn.
 *
 * @module
 */
import pl from "nodejs-polars";
import { initEngine } from "../../engine/mod.ts";
import { atomicWrite } from "../../io/atomic_write.ts";
import { readSafetensors } from "../../io/safetensors.ts";
import { embedVideos } from "../embed_videos.ts";
import { featureConsistency } from "../feature_consistency.ts";
import type { FeatureNetwork, NetworkSpec } from "../feature_network.ts";
import { fid } from "../fid.ts";
import { fvd } from "../fvd.ts";
import { i2vConsistency } from "../i2v_consistency.ts";
import { loadGraphModelNetwork } from "../load_graph_model_network.ts";
import { loadOnnxNetwork } from "../load_onnx_network.ts";
import { NETWORK_PRESETS } from "../network_presets.ts";
import { toVideo, type Video } from "../video.ts";
import { DEFAULT_FEATURE_NETS_DIR, loadSynNetworks, type SynNetworks } from "../syn/load_syn_networks.ts";
import type { MaskBatch, ReferenceImages } from "../syn/masked_videos.ts";
import { PAPER_COLUMNS, TIKTOK_COLUMNS, VBENCH_I2V_COLUMNS } from "../syn/paper_columns.ts";
import { paperColumns } from "../syn/paper_columns.ts";
import { syntheticReferenceImages } from "../syn/synthetic_reference_images.ts";

/** Input specs of the standard networks the CLI can add (weights supplied by the user). */
export const STANDARD_NETWORKS = {
  fid: { ...NETWORK_PRESETS.fid },
  fvd: { ...NETWORK_PRESETS.fvd },
  /** DINO ViT-B/16 CLS features (VBench subject consistency, i2v_subject). */
  dino: { name: "dino-vitb16", kind: "image", inputSize: [224, 224], normalize: "imagenet" },
  /** CLIP ViT-B/32 image embeddings (VBench background consistency). */
  clip: {
    name: "clip-vitb32-image",
    kind: "image",
    inputSize: [224, 224],
    normalize: { mean: [0.48145466, 0.4578275, 0.40821073], std: [0.26862954, 0.26130258, 0.27577711] },
  },
  /** DreamSim embeddings (VBench-I2V i2v_background). */
  dreamsim: { name: "dreamsim", kind: "image", inputSize: [224, 224], normalize: "unit" },
} as const satisfies Record<string, NetworkSpec>;

type StandardName = keyof typeof STANDARD_NETWORKS;

const USAGE = `usage: evaluate_cli.ts <results-run-or-sweep-dir> [--json] [--nets DIR] [--backend auto|blas|wasm|cpu]
       [--fid-network FILE] [--fvd-network FILE] [--dino-network FILE] [--clip-network FILE] [--dreamsim-network FILE]
       [--<name>-layout channels-first]`;

/**
 * The file of a run's samples/ folder holding the clips' reference images (`image` [N, H, W, 3] in [0, 1]) and
 * their character masks (`mask` [N, H, W]), for clips whose reference cannot be re-rendered from their id.
 */
export const REFERENCE_IMAGES_FILE = "reference_images.safetensors";

/** One run's columns (null = n/a). */
export type EvalColumns = Record<string, number | null>;

/**
 * Evaluates a run folder or every run of a sweep folder and writes the files.
 *
 * @param args command-line arguments
 * @returns the columns per run folder name
 * @example
 * ```ts ignore
 * import { main } from "./evaluate_cli.ts";
 * const byRun = await main(["results/smoke", "--json"]);
 * ```
 */
export async function main(args: string[]): Promise<Record<string, EvalColumns>> {
  const { dir, opts } = parseArgs(args);
  const runs = await findRuns(dir);
  await initEngine({ backend: (opts.backend ?? "auto") as "auto" });
  const nets = await loadSynNetworks(opts.nets ?? DEFAULT_FEATURE_NETS_DIR);
  const standard = await loadStandardNetworks(opts);
  const byRun: Record<string, EvalColumns> = {};
  try {
    for (const run of runs) byRun[run.name] = await evaluateRun(run.path, nets, standard);
  } finally {
    nets.dispose();
    for (const n of Object.values(standard)) n?.dispose();
  }
  if (runs.length > 1 || runs[0].path !== dir) await writeParquet(`${dir}/eval.parquet`, byRun);
  if (opts.json === "true") {
    console.log(toJson(runs.length === 1 && runs[0].path === dir ? byRun[runs[0].name] : byRun));
  } else console.log(formatTables(byRun));
  return byRun;
}

/**
 * Scores one run folder's saved samples: both paper tables' columns (the `-syn`
 * networks, plus the standard ones given), written to `eval.json` (null = n/a)
 * with the details in `eval_info.json`. The benchmark task calls it too.
 *
 * @param path the run folder (with samples/generated, reference, masks .safetensors and eval_ids.json)
 * @param nets the `-syn` networks
 * @param standard the standard networks the user supplied (none by default)
 * @returns the columns
 * @example
 * ```ts ignore
 * const columns = await evaluateRun("results/model_design/9-design=part-finetune-seed=0", await loadSynNetworks());
 * ```
 */
export async function evaluateRun(
  path: string,
  nets: SynNetworks,
  standard: Partial<Record<StandardName, FeatureNetwork>> = {},
): Promise<EvalColumns> {
  const t0 = performance.now();
  const generated = await readVideo(`${path}/samples/generated.safetensors`);
  const reference = await readVideo(`${path}/samples/reference.safetensors`);
  const masks = await readMasks(`${path}/samples/masks.safetensors`, generated.shape);
  const ids = await readIds(`${path}/samples/eval_ids.json`, generated.shape[0]);
  const [, , h, w] = generated.shape;
  const images = await readReferenceImages(`${path}/samples/${REFERENCE_IMAGES_FILE}`, [generated.shape[0], h, w]) ??
    syntheticReferenceImages(ids, { height: h, width: w });
  const result = await paperColumns({ generated, reference, masks, images, ids }, { nets });
  const columns: EvalColumns = { ...result.columns };
  Object.assign(columns, await standardColumns(generated, reference, images, standard));
  await atomicWrite(`${path}/eval.json`, toJson(columns, 2) + "\n");
  await atomicWrite(
    `${path}/eval_info.json`,
    JSON.stringify(
      {
        clips: ids.length,
        shape: generated.shape,
        tables: { "vbench-i2v": VBENCH_I2V_COLUMNS, tiktok: TIKTOK_COLUMNS },
        networks: {
          image: { name: nets.image.name, ...nets.metadata.image },
          video: { name: nets.video.name, ...nets.metadata.video },
          standard: Object.fromEntries(Object.entries(standard).map(([k, n]) => [k, n?.name])),
        },
        classical: result.classical,
        notes: result.notes,
        per_video: result.perVideo,
        eval_s: (performance.now() - t0) / 1000,
        evaluated_at: new Date().toISOString(),
      },
      null,
      2,
    ) + "\n",
  );
  return columns;
}

/** The standard columns for the networks given (VBench computes them on whole frames). */
async function standardColumns(
  generated: Video,
  reference: Video,
  images: ReferenceImages,
  nets: Partial<Record<StandardName, FeatureNetwork>>,
): Promise<EvalColumns> {
  const out: EvalColumns = {};
  const [n, f] = generated.shape;
  const [, ih, iw] = images.images.shape;
  const imageVideo = { data: images.images.data, shape: [n, 1, ih, iw, 3] as Video["shape"] };
  const frames = async (net: FeatureNetwork) => {
    const e = await embedVideos(generated, net);
    return { data: e.data, shape: [n, f, e.shape[1]] as [number, number, number] };
  };
  const i2v = async (net: FeatureNetwork) => {
    const img = await embedVideos(imageVideo, net);
    return i2vConsistency(img, await frames(net)).score;
  };
  if (nets.fid) out.FID = await fid(generated, reference, { network: nets.fid });
  if (nets.fvd) out.FVD = await fvd(generated, reference, { network: nets.fvd });
  if (nets.dino) {
    out["Subject Consistency"] = featureConsistency(await frames(nets.dino)).score;
    out["I2V Subject"] = await i2v(nets.dino);
  }
  if (nets.clip) out["Background Consistency"] = featureConsistency(await frames(nets.clip)).score;
  if (nets.dreamsim) out["I2V Background"] = await i2v(nets.dreamsim);
  return out;
}

async function loadStandardNetworks(
  opts: Record<string, string>,
): Promise<Partial<Record<StandardName, FeatureNetwork>>> {
  const out: Partial<Record<StandardName, FeatureNetwork>> = {};
  for (const name of Object.keys(STANDARD_NETWORKS) as StandardName[]) {
    const file = opts[`${name}-network`];
    if (!file) continue;
    const spec: NetworkSpec = { ...STANDARD_NETWORKS[name], layout: opts[`${name}-layout`] as NetworkSpec["layout"] };
    if (file.endsWith(".onnx")) out[name] = await loadOnnxNetwork(file, spec);
    else if (file.endsWith(".json")) out[name] = await loadGraphModelNetwork(file, spec);
    else throw new TypeError(`Cannot load --${name}-network ${file}: expected a TF.js model.json or an .onnx file`);
  }
  return out;
}

/** The run folders under dir: dir itself when it holds samples/, else its sub-folders that do (natural order). */
async function findRuns(dir: string): Promise<{ name: string; path: string }[]> {
  const isRun = async (p: string) => {
    try {
      return (await Deno.stat(`${p}/samples/generated.safetensors`)).isFile;
    } catch {
      return false;
    }
  };
  try {
    if (!(await Deno.stat(dir)).isDirectory) throw new TypeError(`Cannot evaluate ${dir}: not a folder\n${USAGE}`);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new TypeError(`Cannot evaluate ${dir}: no such folder\n${USAGE}`);
    throw e;
  }
  if (await isRun(dir)) return [{ name: dir.replace(/\/+$/, "").split("/").pop()!, path: dir }];
  const runs: { name: string; path: string }[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isDirectory && (await isRun(`${dir}/${e.name}`))) runs.push({ name: e.name, path: `${dir}/${e.name}` });
  }
  if (runs.length === 0) {
    throw new TypeError(`Cannot evaluate ${dir}: neither it nor any sub-folder holds samples/generated.safetensors`);
  }
  return runs.sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }));
}

async function readVideo(path: string): Promise<Video> {
  const t = (await readOrExplain(path)).video;
  if (!t) throw new RangeError(`Cannot read ${path}: it has no tensor "video"`);
  if (t.shape.length !== 5 || t.shape[4] !== 3) {
    throw new RangeError(`Cannot read ${path}: "video" must be [N, F, H, W, 3], received [${t.shape}]`);
  }
  return toVideo({ data: t.data, shape: t.shape as Video["shape"] }, path);
}

async function readMasks(path: string, shape: Video["shape"]): Promise<MaskBatch> {
  const t = (await readOrExplain(path)).mask;
  if (!t) throw new RangeError(`Cannot read ${path}: it has no tensor "mask"`);
  if (t.shape.length !== 4 || t.shape.some((v, i) => v !== shape[i])) {
    throw new RangeError(
      `Cannot read ${path}: "mask" must be [${shape.slice(0, 4)}] like the videos, received [${t.shape}]`,
    );
  }
  return { data: t.data, shape: t.shape as MaskBatch["shape"] };
}

/** The saved reference images and masks, or null when the run saved none (synthetic clips). */
async function readReferenceImages(path: string, [n, h, w]: number[]): Promise<ReferenceImages | null> {
  try {
    await Deno.stat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  const { image, mask } = (await readSafetensors(path)).tensors;
  const want = [n, h, w];
  if (!image || !mask || image.shape.join() !== [...want, 3].join() || mask.shape.join() !== want.join()) {
    throw new RangeError(
      `Cannot read ${path}: expected "image" [${[...want, 3]}] and "mask" [${want}], received ${
        image ? `[${image.shape}]` : "no image"
      } and ${mask ? `[${mask.shape}]` : "no mask"}`,
    );
  }
  return {
    images: { data: image.data as Float32Array, shape: image.shape as [number, number, number, number] },
    masks: { data: mask.data as Float32Array, shape: mask.shape as [number, number, number] },
  };
}

async function readOrExplain(path: string) {
  try {
    return (await readSafetensors(path)).tensors;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new TypeError(`Cannot evaluate: ${path} is missing`);
    throw e;
  }
}

async function readIds(path: string, n: number): Promise<string[]> {
  let ids: unknown;
  try {
    ids = JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new TypeError(`Cannot evaluate: ${path} is missing`);
    throw new TypeError(`Cannot read ${path}: ${(e as Error).message}`);
  }
  if (!Array.isArray(ids) || ids.length !== n || !ids.every((x) => typeof x === "string")) {
    throw new RangeError(
      `Cannot read ${path}: expected ${n} clip ids (one per video), received ${JSON.stringify(ids).slice(0, 80)}`,
    );
  }
  return ids;
}

/** eval.parquet: a `run` column, then every column (Float64, null for n/a). */
async function writeParquet(path: string, byRun: Record<string, EvalColumns>): Promise<void> {
  const names = Object.keys(byRun);
  const columns = [...new Set(Object.values(byRun).flatMap((c) => Object.keys(c)))];
  const series: ReturnType<typeof pl.Series>[] = [pl.Series("run", names, pl.Utf8)];
  for (const c of columns) series.push(pl.Series(c, names.map((r) => byRun[r][c] ?? null), pl.Float64));
  // Atomic (unique temporary name across hosts, fsync, rename): evaluations of one sweep from several nodes may write it at once.
  await atomicWrite(path, pl.DataFrame(series).writeParquet());
}

function parseArgs(args: string[]): { dir: string; opts: Record<string, string> } {
  const opts: Record<string, string> = {};
  let dir: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--json") opts.json = "true";
    else if (a.startsWith("--")) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith("--")) throw new TypeError(`Missing value for ${a}\n${USAGE}`);
      opts[a.slice(2)] = value;
      i++;
    } else if (dir === null) dir = a.replace(/\/+$/, "") || "/";
    else throw new TypeError(`Unexpected argument "${a}"\n${USAGE}`);
  }
  if (!dir) throw new TypeError(`Missing the run or sweep folder\n${USAGE}`);
  return { dir, opts };
}

/** JSON with ±Infinity as ±1e999 (JSON parsers read it back as ±Infinity) and NaN as null. */
function toJson(value: unknown, indent = 0): string {
  const text = JSON.stringify(value, (_, v) => {
    if (typeof v !== "number" || Number.isFinite(v)) return v;
    if (Number.isNaN(v)) return null;
    return v > 0 ? "__+INF__" : "__-INF__";
  }, indent);
  return text.replaceAll('"__+INF__"', "1e999").replaceAll('"__-INF__"', "-1e999");
}

/** Both tables as aligned text, one row per run; null shows as n/a. */
function formatTables(byRun: Record<string, EvalColumns>): string {
  const fmt = (v: number | null | undefined) =>
    v === null || v === undefined
      ? "n/a"
      : !Number.isFinite(v)
      ? String(v)
      : Math.abs(v) >= 100
      ? v.toFixed(1)
      : v.toFixed(4);
  const table = (title: string, cols: readonly string[]) => {
    const header = ["run", ...cols];
    const rows = Object.entries(byRun).map(([run, c]) => [run, ...cols.map((k) => fmt(c[k]))]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (r: string[]) => r.map((x, i) => x.padEnd(widths[i])).join("  ").trimEnd();
    return [title, line(header), ...rows.map(line)].join("\n");
  };
  const extra = [...new Set(Object.values(byRun).flatMap((c) => Object.keys(c)))].filter((k) =>
    !(PAPER_COLUMNS as string[]).includes(k)
  );
  const parts = [
    table("VBench-I2V (-syn networks, -classical flow)", VBENCH_I2V_COLUMNS),
    table("TikTok-style", TIKTOK_COLUMNS),
  ];
  if (extra.length) parts.push(table("Standard networks (user-supplied)", extra));
  return parts.join("\n\n");
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (e) {
    console.error(`evaluate_cli: ${(e as Error).message}`);
    Deno.exit(1);
  }
}
