/**
 * Time per TensorFlow.js kernel for a closure (forward and backward alike),
 * to find the kernels worth optimising.
 *
 * References: TensorFlow.js `tf.profile` (per-kernel `kernelTimeMs`).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initEngine } from "./init_engine.ts";
 * import { profileKernels } from "./profile_kernels.ts";
 * await initEngine({ backend: "cpu" });
 * const x = tf.ones([64, 64]);
 * const p = await profileKernels(() => tf.matMul(x, x), { runs: 2 });
 * console.log(p.kernels[0].name); // "BatchMatMul"
 * console.log(p.table());
 * ```
 */
import * as tf from "@tensorflow/tfjs-core";

/** Time spent in one kernel, averaged over the profiled runs. */
export interface KernelTime {
  name: string;
  /** Calls per run. */
  calls: number;
  /** Milliseconds per run. */
  ms: number;
  /** Fraction of the summed kernel time. */
  share: number;
}

/** Result of {@link profileKernels}. */
export interface KernelProfile {
  backend: string;
  /** Wall-clock milliseconds per run (includes the engine's bookkeeping). */
  wallMs: number;
  /** Summed kernel milliseconds per run. */
  kernelMs: number;
  /** Kernels, slowest first. */
  kernels: KernelTime[];
  /** The profile as an aligned text table (top `limit` kernels). */
  table(limit?: number): string;
}

/** Options of {@link profileKernels}. */
export interface ProfileOptions {
  /** Unprofiled runs first, to warm up the JIT and caches (default 1). */
  warmup?: number;
  /** Profiled runs to average (default 3). */
  runs?: number;
  /** Group by kernel name (default) or by name and input shapes, e.g. "BatchMatMul [1152,128] [512,128]". */
  groupBy?: "name" | "shape";
}

/**
 * Runs `fn` under `tf.profile` and sums time per kernel name. Tensors `fn`
 * returns are disposed after each run.
 * @param fn the computation (e.g. a forward + backward step)
 * @param options warm-up and profiled runs
 * @returns per-kernel times, slowest first
 */
export async function profileKernels(
  fn: () => tf.TensorContainer,
  options: ProfileOptions = {},
): Promise<KernelProfile> {
  const warmup = options.warmup ?? 1;
  const runs = options.runs ?? 3;
  if (!Number.isInteger(runs) || runs < 1) {
    throw new RangeError(`Cannot profile as runs must be an integer >= 1: received ${runs}`);
  }
  for (let i = 0; i < warmup; i++) tf.dispose(fn());
  const flag = "CHECK_COMPUTATION_FOR_ERRORS";
  const checked = tf.env().getBool(flag);
  tf.env().set(flag, false); // it reads every output back, which is not kernel time
  const byName = new Map<string, { calls: number; ms: number }>();
  let wall = 0;
  try {
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const info = await tf.profile(() => fn());
      wall += performance.now() - t0;
      tf.dispose(info.result as tf.TensorContainer);
      for (const k of info.kernels) {
        // Ops made with tf.customGrad appear as one entry named after their scope, whose
        // time already includes their kernels' entries: keep real kernels only.
        if (!tf.getKernel(k.name, tf.getBackend())) continue;
        const key = options.groupBy === "shape"
          ? `${k.name} ${k.inputShapes.map((s) => (s ? `[${s}]` : "-")).join(" ")}`
          : k.name;
        const e = byName.get(key) ?? { calls: 0, ms: 0 };
        e.calls++;
        e.ms += typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0;
        byName.set(key, e);
      }
    }
  } finally {
    tf.env().set(flag, checked);
  }
  const total = [...byName.values()].reduce((s, e) => s + e.ms, 0);
  const kernels = [...byName.entries()]
    .map(([name, e]) => ({ name, calls: e.calls / runs, ms: e.ms / runs, share: total > 0 ? e.ms / total : 0 }))
    .sort((a, b) => b.ms - a.ms);
  const profile: KernelProfile = {
    backend: tf.getBackend(),
    wallMs: wall / runs,
    kernelMs: total / runs,
    kernels,
    table: (limit = 25) => formatTable(profile, limit),
  };
  return profile;
}

function formatTable(p: KernelProfile, limit: number): string {
  const rows = p.kernels.slice(0, limit).map((k) => [
    k.name,
    k.calls.toFixed(0),
    k.ms.toFixed(2),
    `${(100 * k.share).toFixed(1)}%`,
  ]);
  const head = ["kernel", "calls", "ms", "share"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [
    `backend ${p.backend}: ${p.wallMs.toFixed(2)} ms wall, ${p.kernelMs.toFixed(2)} ms in kernels per run`,
    line(head),
    ...rows.map(line),
  ].join("\n");
}
