/**
 * Engine benchmark (not a test): milliseconds per op on the wasm, cpu and blas
 * backends, forward + backward of an attention and an MLP block (composed tf
 * ops as lib/model writes them, and the engine's fused ops), and optionally
 * the same blocks in PyTorch for the ratio.
 *
 * Usage:
 *   deno run -A lib/engine/bench/kernels_bench.ts [--backends=wasm,cpu,blas] [--threads=1]
 *       [--ops=substring] [--json] [--profile] [--torch] [--quick]
 *
 *   --profile  time per kernel (profileKernels) of each block on each backend
 *   --torch    run attention_torch.py (same threads, same OPENBLAS_CORETYPE) and print ratios
 *   --quick    fewer runs, skips the ops that take seconds on cpu
 *
 * References: TensorFlow.js `tf.profile`; lib/engine/bench/attention_torch.py.
 */
import process from "node:process";
import * as tf from "@tensorflow/tfjs-core";
import { type BackendName, type EngineInfo, initEngine } from "../init_engine.ts";
import { profileKernels } from "../profile_kernels.ts";
import { geluTanh } from "../gelu_tanh.ts";
import { Prng } from "../../random/mod.ts";
import { attentionBlock, type Block, DEFAULT_SIZES, mlpBlock } from "./_blocks.ts";

/** One benchmarked op: input shapes and the computation. */
interface OpCase {
  name: string;
  shapes: number[][];
  run: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[];
  /** Skip on the cpu backend under --quick (seconds per run there). */
  slowOnCpu?: boolean;
}

const B = 8, L = 144, H = 4, D = 32, C = 128, F = 512;

const composedGelu = (x: tf.Tensor) =>
  tf.mul(
    tf.mul(0.5, x),
    tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.mul(x, tf.square(x))))))),
  );

/** Gradient of Σ f(x)·1 with respect to every input. */
const grads = (f: (...xs: tf.Tensor[]) => tf.Tensor) => (...xs: tf.Tensor[]) =>
  tf.grads((...a: tf.Tensor[]) => tf.sum(f(...a)))(xs);

const OPS: OpCase[] = [
  {
    name: "matMul linear [1152,128]·[128,128]ᵀ",
    shapes: [[B * L, C], [C, C]],
    run: (a, w) => tf.matMul(a, w, false, true),
  },
  {
    name: "matMul MLP up [1152,128]·[512,128]ᵀ",
    shapes: [[B * L, C], [F, C]],
    run: (a, w) => tf.matMul(a, w, false, true),
  },
  {
    name: "matMul QKᵀ [8,4,144,32]",
    shapes: [[B, H, L, D], [B, H, L, D]],
    run: (q, k) => tf.matMul(q, k, false, true),
  },
  { name: "matMul 512³", shapes: [[512, 512], [512, 512]], run: (a, b) => tf.matMul(a, b), slowOnCpu: true },
  { name: "softmax [8,4,144,144]", shapes: [[B, H, L, L]], run: (s) => tf.softmax(s) },
  { name: "softmax grad [8,4,144,144]", shapes: [[B, H, L, L]], run: grads((s) => tf.mul(tf.softmax(s), s)) },
  { name: "mul same shape [1152,512]", shapes: [[B * L, F], [B * L, F]], run: (a, b) => tf.mul(a, b) },
  { name: "mul scalar [1152,512]", shapes: [[B * L, F]], run: (a) => tf.mul(a, 0.5) },
  { name: "add bias [1152,512]+[512]", shapes: [[B * L, F], [F]], run: (a, b) => tf.add(a, b) },
  { name: "sub rows [8,4,144,144]−[…,1]", shapes: [[B, H, L, L], [B, H, L, 1]], run: (a, b) => tf.sub(a, b) },
  { name: "mul general [8,1,144,144]·[4,1,1]", shapes: [[B, 1, L, L], [H, 1, 1]], run: (a, b) => tf.mul(a, b) },
  { name: "transpose heads [8,144,4,32]", shapes: [[B, L, H, D]], run: (x) => tf.transpose(x, [0, 2, 1, 3]) },
  { name: "transpose 2-D [1152,512]", shapes: [[B * L, F]], run: (x) => tf.transpose(x) },
  { name: "exp [1152,512]", shapes: [[B * L, F]], run: (x) => tf.exp(x) },
  { name: "tanh [1152,512]", shapes: [[B * L, F]], run: (x) => tf.tanh(x) },
  { name: "sigmoid [1152,512]", shapes: [[B * L, F]], run: (x) => tf.sigmoid(x) },
  { name: "rsqrt [1152,512]", shapes: [[B * L, F]], run: (x) => tf.rsqrt(tf.abs(x)) },
  { name: "sum last axis [1152,512]", shapes: [[B * L, F]], run: (x) => tf.sum(x, -1) },
  { name: "sum axis 0 [1152,512]", shapes: [[B * L, F]], run: (x) => tf.sum(x, 0) },
  { name: "mean last axis keepDims [1152,512]", shapes: [[B * L, F]], run: (x) => tf.mean(x, -1, true) },
  { name: "max last axis [8,4,144,144]", shapes: [[B, H, L, L]], run: (x) => tf.max(x, -1) },
  { name: "GELU(tanh) composed fwd+bwd [1152,512]", shapes: [[B * L, F]], run: grads(composedGelu) },
  { name: "GELU(tanh) fused fwd+bwd [1152,512]", shapes: [[B * L, F]], run: grads(geluTanh) },
  {
    name: "conv2d 3×3 [4,32,32,64]→64",
    shapes: [[4, 32, 32, 64], [3, 3, 64, 64]],
    run: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same"),
    slowOnCpu: true,
  },
  {
    name: "conv3d 3×3×3 [1,5,32,32,32]→32",
    shapes: [[1, 5, 32, 32, 32], [3, 3, 3, 32, 32]],
    run: (x, w) => tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, 1, "same"),
    slowOnCpu: true,
  },
  {
    name: "conv3d 3×3×3 fwd+bwd [1,5,16,16,32]→32",
    shapes: [[1, 5, 16, 16, 32], [3, 3, 3, 32, 32]],
    run: grads((x, w) => tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, 1, "same")),
    slowOnCpu: true,
  },
];

interface Args {
  backends: BackendName[];
  threads: number;
  ops: string;
  json: boolean;
  profile: boolean;
  torch: boolean;
  quick: boolean;
}

function parseArgs(argv: string[]): Args {
  const get = (k: string) => argv.find((a) => a.startsWith(`--${k}=`))?.split("=")[1];
  const backends = (get("backends") ?? "wasm,cpu,blas").split(",") as BackendName[];
  const threads = Number(get("threads") ?? 1);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`--threads must be an integer >= 1: received ${get("threads")}`);
  }
  return {
    backends,
    threads,
    ops: get("ops") ?? "",
    json: argv.includes("--json"),
    profile: argv.includes("--profile"),
    torch: argv.includes("--torch"),
    quick: argv.includes("--quick"),
  };
}

/** Milliseconds of one run: wall-clock minimum and median, and median process CPU time. */
interface Timing {
  min: number;
  median: number;
  cpu: number;
}

/**
 * Times `fn` (outputs read back, then disposed). Process CPU time is reported
 * besides wall time because other processes on a shared machine inflate the
 * latter; with one OpenBLAS thread the two agree on an idle machine.
 */
function timeIt(fn: () => tf.Tensor | tf.Tensor[], quick: boolean): Timing {
  const once = () => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = tf.tidy(fn);
    const outs = Array.isArray(r) ? r : [r];
    for (const o of outs) o.dataSync();
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    tf.dispose(outs);
    return { ms, cpu: (c.user + c.system) / 1000 };
  };
  const first = once();
  const maxRuns = quick ? 5 : 30, budget = quick ? 300 : 1500;
  const wall: number[] = [], cpu: number[] = [];
  let spent = 0;
  if (first.ms < budget) once(); // second warm-up when affordable
  while (wall.length < 3 || (wall.length < maxRuns && spent < budget)) {
    const t = once();
    wall.push(t.ms);
    cpu.push(t.cpu);
    spent += t.ms;
    if (t.ms > budget) break;
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  return { min: Math.min(...wall), median: median(wall), cpu: median(cpu) };
}

function timeBlock(block: Block, quick: boolean) {
  return timeIt(() => block.step(), quick);
}

async function useBackend(name: BackendName, threads: number): Promise<EngineInfo | null> {
  try {
    return await initEngine({ backend: name, threads });
  } catch (e) {
    console.error(`skipping ${name}: ${(e as Error).message}`);
    return null;
  }
}

async function torchReference(threads: number, coreType: string | undefined): Promise<TorchTimes | null> {
  const script = new URL("./attention_torch.py", import.meta.url).pathname;
  const env: Record<string, string> = {};
  if (coreType) env.OPENBLAS_CORETYPE = coreType;
  try {
    const o = await new Deno.Command("/usr/bin/python3", {
      args: [script, "--threads", String(threads), "--json"],
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!o.success) throw new Error(new TextDecoder().decode(o.stderr).trim().split("\n").at(-1));
    return JSON.parse(new TextDecoder().decode(o.stdout)).ms;
  } catch (e) {
    console.error(`PyTorch reference unavailable: ${(e as Error).message}`);
    return null;
  }
}

async function main() {
  const args = parseArgs(Deno.args);
  const prng = new Prng(0);
  const inputs = new Map<string, Float32Array[]>();
  for (const op of OPS) inputs.set(op.name, op.shapes.map((s) => prng.normals(s.reduce((a, b) => a * b, 1))));
  const opRows: Row[] = OPS.filter((o) => o.name.includes(args.ops)).map((o) => ({ name: o.name, ms: {} }));
  const blockRows: Row[] = [];
  const profiles: Record<string, string> = {};
  const engines: Record<string, EngineInfo> = {};
  for (const backend of args.backends) {
    const info = await useBackend(backend, args.threads);
    if (!info) continue;
    engines[backend] = info;
    for (const row of opRows) {
      const op = OPS.find((o) => o.name === row.name)!;
      if (args.quick && backend === "cpu" && op.slowOnCpu) continue;
      const xs = op.shapes.map((s, i) => tf.tensor(inputs.get(op.name)![i], s));
      row.ms[backend] = timeIt(() => op.run(...xs), args.quick);
      tf.dispose(xs);
      if (!args.json) console.error(`${backend.padEnd(5)} ${row.name}: ${fmt(row.ms[backend])}`);
    }
    if (args.ops && !"attention mlp block".includes(args.ops)) continue;
    for (const fused of [false, true]) {
      for (const [kind, make] of [["attention", attentionBlock], ["mlp", mlpBlock]] as const) {
        const name = `${kind} block fwd+bwd${fused ? " (fused ops)" : ""}`;
        let row = blockRows.find((r) => r.name === name);
        if (!row) blockRows.push(row = { name, ms: {} });
        const block = make(DEFAULT_SIZES, { fused });
        row.ms[backend] = timeBlock(block, args.quick);
        if (args.profile) {
          const p = await profileKernels(() => block.step(), { runs: 3 });
          profiles[`${backend} ${name}`] = p.table(15);
        }
        block.dispose();
        if (!args.json) console.error(`${backend.padEnd(5)} ${name}: ${fmt(row.ms[backend])}`);
      }
    }
  }
  const torch = args.torch ? await torchReference(args.threads, engines.blas?.blas?.coreType) : null;
  const report = {
    sizes: DEFAULT_SIZES,
    threads: args.threads,
    engines,
    ops: opRows,
    blocks: blockRows,
    torch: torch && { ms: torch, ratio: ratios(blockRows, torch) },
  };
  if (args.json) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  console.log(table("op: wall median ms (cpu ms)", opRows, args.backends));
  console.log(
    table("block, batch 8 × 144 tokens × dim 128, 4 heads: wall median ms (cpu ms)", blockRows, args.backends),
  );
  if (torch) {
    const t = (k: string) => fmt({ min: torch[k].wall_min, median: torch[k].wall_median, cpu: torch[k].cpu_median });
    console.log(`PyTorch, ${args.threads} thread(s): attention ${t("attention")}, mlp ${t("mlp")}`);
    for (const [k, v] of Object.entries(report.torch!.ratio)) {
      console.log(`  blas / torch  ${k}: ${v.wall.toFixed(2)}× wall median, ${v.cpu.toFixed(2)}× cpu`);
    }
  }
  for (const [k, t] of Object.entries(profiles)) console.log(`\n== ${k}\n${t}`);
}

interface Row {
  name: string;
  ms: Record<string, Timing>;
}

type TorchTimes = Record<string, { wall_min: number; wall_median: number; cpu_median: number }>;

function ratios(rows: Row[], torch: TorchTimes): Record<string, { wall: number; cpu: number }> {
  const r: Record<string, { wall: number; cpu: number }> = {};
  for (const row of rows) {
    const ref = torch[row.name.startsWith("attention") ? "attention" : "mlp"];
    const b = row.ms.blas;
    if (b) r[row.name] = { wall: b.median / ref.wall_median, cpu: b.cpu / ref.cpu_median };
  }
  return r;
}

function fmt(t: Timing): string {
  return `${t.median.toFixed(2)} (${t.cpu.toFixed(2)})`;
}

function table(title: string, rows: Row[], backends: string[]): string {
  const cell = (t?: Timing) => (t ? fmt(t) : "—").padStart(17);
  const w = Math.max(title.length, ...rows.map((r) => r.name.length));
  const head = `${title.padEnd(w)}  ${backends.map((b) => b.padStart(17)).join(" ")}`;
  const lines = rows.map((r) => `${r.name.padEnd(w)}  ${backends.map((b) => cell(r.ms[b])).join(" ")}`);
  return [head, ...lines, ""].join("\n");
}

if (import.meta.main) await main();
