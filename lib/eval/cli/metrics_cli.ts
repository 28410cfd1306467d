/**
 * Metrics of predicted videos against reference videos, or the Fréchet
 * distance of two saved feature sets:
 *
 *   deno run -A lib/eval/cli/metrics_cli.ts --pred A --ref B --metrics ssim,psnr,flicker [--json]
 *   deno run -A lib/eval/cli/metrics_cli.ts fd --a A.safetensors --b B.safetensors [--covariance biased] [--json]
 *
 * A and B are safetensors files with tensor `video` (float32 [N, F, H, W, C]
 * in [0, 1], or U8), folders of PNG frames (one video) or of sub-folders of
 * PNG frames (one video each), or video files when ffmpeg is installed.
 * `fd` reads tensor `features` [N, D] from each file.
 *
 * Metrics: ssim, psnr, flicker (of pred), dynamic_degree-classical and
 * motion_smoothness-classical (of pred), fid (needs --fid-network) and fvd
 * (needs --fvd-network), where a network is a TF.js model.json or an .onnx
 * file taking inputs as in NETWORK_PRESETS (add --fid-layout/--fvd-layout
 * channels-first for PyTorch exports).
 *
 * Output: with --json one JSON object, a number per metric (+Infinity, e.g.
 * PSNR of identical videos, is written as 1e999, which JSON parsers read as
 * infinity); otherwise one "name value" line per metric.
 *
 * References: lib/eval (the metrics); VBench dimension names.
 *
 * @module
 */
import { readSafetensors } from "../../io/safetensors.ts";
import { initEngine } from "../../engine/mod.ts";
import type { FeatureNetwork, NetworkSpec } from "../feature_network.ts";
import { dynamicDegreeClassical } from "../dynamic_degree_classical.ts";
import { fid } from "../fid.ts";
import { frechetDistance } from "../frechet_distance.ts";
import { fvd } from "../fvd.ts";
import { loadGraphModelNetwork } from "../load_graph_model_network.ts";
import { loadOnnxNetwork } from "../load_onnx_network.ts";
import { motionSmoothnessClassical } from "../motion_smoothness_classical.ts";
import { NETWORK_PRESETS } from "../network_presets.ts";
import { psnr } from "../psnr.ts";
import { ssim } from "../ssim.ts";
import { temporalFlickering } from "../temporal_flickering.ts";
import type { Video } from "../video.ts";
import { loadVideo } from "./_load_video.ts";

/** Metric names the CLI knows. */
export const CLI_METRICS = [
  "ssim",
  "psnr",
  "flicker",
  "dynamic_degree-classical",
  "motion_smoothness-classical",
  "fid",
  "fvd",
] as const;

const USAGE = `usage:
  metrics_cli.ts --pred A --ref B --metrics ${CLI_METRICS.join(",")} [--json]
                 [--psnr-max-db DB] [--fid-network FILE [--fid-layout channels-first]]
                 [--fvd-network FILE [--fvd-layout channels-first]] [--backend auto|cpu|wasm|blas]
  metrics_cli.ts fd --a A.safetensors --b B.safetensors [--key features] [--covariance unbiased|biased] [--json]`;

/**
 * Runs the CLI and prints the result.
 *
 * @param args command-line arguments
 * @returns the metric values that were printed
 * @example
 * ```ts ignore
 * import { main } from "./metrics_cli.ts";
 * const m = await main(["--pred", "pred.safetensors", "--ref", "ref.safetensors", "--metrics", "ssim,psnr", "--json"]);
 * ```
 */
export async function main(args: string[]): Promise<Record<string, number>> {
  const fdMode = args[0] === "fd";
  const opts = parseArgs(fdMode ? args.slice(1) : args);
  const result = fdMode ? await runFd(opts) : await runMetrics(opts);
  console.log(opts.json === "true" ? toJson(result) : formatLines(result));
  return result;
}

async function runFd(opts: Record<string, string>): Promise<Record<string, number>> {
  need(opts, ["a", "b"]);
  const key = opts.key ?? "features";
  const covariance = (opts.covariance ?? "unbiased") as "unbiased" | "biased";
  const read = async (path: string, name: string) => {
    const { tensors } = await readSafetensors(path);
    const t = tensors[key];
    if (!t) throw new RangeError(`Cannot read ${name}: ${path} has no tensor "${key}"`);
    if (t.shape.length !== 2) throw new RangeError(`Cannot read ${name}: "${key}" in ${path} must be [N, D], received [${t.shape}]`);
    return { data: t.data, shape: t.shape as [number, number] };
  };
  return { fd: frechetDistance(await read(opts.a, "a"), await read(opts.b, "b"), { covariance }) };
}

async function runMetrics(opts: Record<string, string>): Promise<Record<string, number>> {
  need(opts, ["pred", "metrics"]);
  const metrics = opts.metrics.split(",").map((m) => m.trim()).filter(Boolean);
  for (const m of metrics) {
    if (!(CLI_METRICS as readonly string[]).includes(m)) {
      throw new RangeError(`Unknown metric "${m}": expected some of ${CLI_METRICS.join(", ")}`);
    }
  }
  const needsRef = metrics.some((m) => ["ssim", "psnr", "fid", "fvd"].includes(m));
  if (needsRef) need(opts, ["ref"]);
  const pred = await loadVideo(opts.pred, "pred");
  const ref: Video | null = needsRef ? await loadVideo(opts.ref, "ref") : null;
  if (metrics.includes("fid") || metrics.includes("fvd")) {
    await initEngine({ backend: (opts.backend ?? "auto") as "auto" });
  }
  const out: Record<string, number> = {};
  for (const m of metrics) {
    if (m === "ssim") out[m] = ssim(pred, ref!);
    else if (m === "psnr") out[m] = psnr(pred, ref!, opts["psnr-max-db"] ? { maxDb: Number(opts["psnr-max-db"]) } : {});
    else if (m === "flicker") out[m] = temporalFlickering(pred);
    else if (m === "dynamic_degree-classical") out[m] = (await dynamicDegreeClassical(pred)).score;
    else if (m === "motion_smoothness-classical") out[m] = (await motionSmoothnessClassical(pred)).score;
    else if (m === "fid" || m === "fvd") {
      const file = opts[`${m}-network`];
      if (!file) throw new RangeError(`Cannot compute ${m}: pass its network with --${m}-network model.json|model.onnx`);
      const network = await loadNetwork(file, { ...NETWORK_PRESETS[m], layout: opts[`${m}-layout`] as NetworkSpec["layout"] });
      try {
        out[m] = m === "fid" ? await fid(pred, ref!, { network }) : await fvd(pred, ref!, { network });
      } finally {
        network.dispose();
      }
    }
  }
  return out;
}

function loadNetwork(file: string, spec: NetworkSpec): Promise<FeatureNetwork> {
  if (file.endsWith(".onnx")) return loadOnnxNetwork(file, spec);
  if (file.endsWith(".json")) return loadGraphModelNetwork(file, spec);
  throw new TypeError(`Cannot load network ${file}: expected a TF.js model.json or an .onnx file`);
}

function parseArgs(args: string[]): Record<string, string> {
  const got: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith("--")) throw new TypeError(`Unexpected argument "${a}"\n${USAGE}`);
    const key = a.slice(2);
    if (key === "json") {
      got.json = "true";
      continue;
    }
    const value = args[i + 1];
    if (value === undefined || value.startsWith("--")) throw new TypeError(`Missing value for --${key}\n${USAGE}`);
    got[key] = value;
    i++;
  }
  return got;
}

function need(opts: Record<string, string>, keys: string[]): void {
  for (const k of keys) if (!opts[k]) throw new TypeError(`Missing --${k}\n${USAGE}`);
}

/** JSON with non-finite numbers as ±1e999 (read back as ±Infinity by JSON parsers) and NaN as null. */
function toJson(result: Record<string, number>): string {
  const parts = Object.entries(result).map(([k, v]) => {
    const value = Number.isNaN(v) ? "null" : v === Infinity ? "1e999" : v === -Infinity ? "-1e999" : JSON.stringify(v);
    return `${JSON.stringify(k)}:${value}`;
  });
  return `{${parts.join(",")}}`;
}

function formatLines(result: Record<string, number>): string {
  const width = Math.max(...Object.keys(result).map((k) => k.length));
  return Object.entries(result).map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n");
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (e) {
    console.error(`metrics_cli: ${(e as Error).message}`);
    Deno.exit(1);
  }
}
