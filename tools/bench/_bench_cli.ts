/**
 * Private: the command line of `deno task bench` (flags → {@link WanBenchOptions})
 * and the report as text.
 *
 * @module
 */
import { type BackendName, BACKENDS } from "../../lib/engine/init_engine.ts";
import { BENCH_CASES, type BenchCase } from "./_ours_block.ts";
import type { ConfigStats, SideBest, WanBenchOptions, WanBenchReport } from "./wan_bench.ts";

/** Parses the command line into options (throws RangeError naming the bad flag). */
export function parseBenchArgs(argv: string[]): WanBenchOptions & { json: boolean } {
  const value = (flag: string): string | undefined => {
    const i = argv.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
    if (i < 0) return undefined;
    const v = argv[i].includes("=") ? argv[i].slice(flag.length + 1) : argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new RangeError(`Cannot parse ${flag}: expected a value after it`);
    return v;
  };
  const int = (flag: string, s = value(flag)): number | undefined => {
    if (s === undefined) return undefined;
    const n = Number(s);
    if (!Number.isInteger(n)) throw new RangeError(`Cannot parse ${flag} as an integer: received "${s}"`);
    return n;
  };
  const known = new Set([
    ...["--case", "--backend", "--threads", "--torch", "--rounds", "--runs", "--warmup", "--preset", "--batch"],
    ...["--frames", "--height", "--width", "--channels", "--seed"],
  ]);
  const flags = new Set(["--json", "--profile", "--no-torch", "--no-text-cache"]);
  for (const a of argv) {
    const name = a.split("=")[0];
    if (a.startsWith("--") && !known.has(name) && !flags.has(name)) {
      throw new RangeError(`Unknown flag ${name}: expected one of ${[...known, ...flags].join(", ")}`);
    }
  }
  const backend = value("--backend");
  if (backend !== undefined && !(BACKENDS as readonly string[]).includes(backend)) {
    throw new RangeError(`Unknown --backend "${backend}": expected one of ${BACKENDS.join(", ")}`);
  }
  const kind = value("--case");
  if (kind !== undefined && !Object.hasOwn(BENCH_CASES, kind)) {
    throw new RangeError(`Unknown --case "${kind}": expected one of ${Object.keys(BENCH_CASES).join(", ")}`);
  }
  const threads = value("--threads")?.split(",").map((s) => int("--threads", s)!);
  const torch = argv.includes("--no-torch") ? [] : value("--torch")?.split(",");
  const dims = [int("--frames"), int("--height"), int("--width")];
  if (dims.some((d) => d !== undefined) && dims.some((d) => d === undefined)) {
    throw new RangeError("Cannot parse the latent: give --frames, --height and --width together");
  }
  return {
    json: argv.includes("--json"),
    profile: argv.includes("--profile"),
    textCache: !argv.includes("--no-text-cache"),
    case: kind as BenchCase | undefined,
    backend: backend as BackendName | undefined,
    threads,
    torch,
    rounds: int("--rounds"),
    runs: int("--runs"),
    warmup: int("--warmup"),
    preset: value("--preset"),
    batch: int("--batch"),
    channels: int("--channels"),
    seed: int("--seed"),
    latent: dims[0] === undefined ? undefined : dims as [number, number, number],
  };
}

/** The report as a few lines of text. */
export function benchSummary(r: WanBenchReport): string {
  const f = (v: number | null | undefined) => (v == null ? "—" : v.toFixed(1));
  const x = (v: number | null) => (v == null ? "—" : `${v.toFixed(2)}×`);
  const side = (
    s: SideBest | null,
  ) => (s ? `${f(s.best)} (median ${f(s.median)}, spread ${(100 * s.spread).toFixed(0)}%, ${s.config})` : "—");
  const lines = [
    `${r.case}: ${r.preset}, ${r.params.toLocaleString("en")} parameters (${
      r.trainable_params.toLocaleString("en")
    } trained), ` +
    `batch ${r.batch} × [${r.latent}] (${r.tokens}${
      r.reference_tokens ? ` + ${r.reference_tokens} reference` : ""
    } tokens), ` +
    `context [${r.context}]; backend ${r.backend}; ${r.rounds} alternating rounds of ${r.runs} steps after ${r.warmup}; ` +
    `our sampling step ${r.text_cache ? "keeps" : "recomputes"} the text K/V`,
    `train step   ours ${side(r.train_step)}   torch ${side(r.torch_train_step)}   ratio of bests ${
      x(r.train_ratio)
    } (of medians ${x(r.train_ratio_median)})`,
    `sample step  ours ${side(r.sample_step)}   torch ${side(r.torch_sample_step)}   ratio of bests ${
      x(r.sample_ratio)
    } (of medians ${x(r.sample_ratio_median)})`,
    `arithmetic: ${(r.flops.train / 1e9).toFixed(3)} GFLOP a train step, ${
      (r.flops.sample / 1e9).toFixed(3)
    } a sample step; ` +
    `GFLOP/s ours ${f(r.gflops.train)} / ${f(r.gflops.sample)}, torch ${f(r.gflops.torch_train)} / ${
      f(r.gflops.torch_sample)
    }; ` +
    `sgemm peak ${
      r.sgemm_peak_gflops
        ? Object.entries(r.sgemm_peak_gflops).map(([k, v]) => `${v.toFixed(1)} (${k} thr)`).join(", ")
        : "—"
    }`,
  ];
  const sides: Array<[string, Record<string, ConfigStats>]> = [["ours", r.ours], ["torch", r.torch ?? {}]];
  for (const [side, s] of sides) {
    for (const [c, v] of Object.entries(s)) {
      lines.push(
        `  ${side} ${c}: train rounds [${v.train.rounds.map((t) => t.toFixed(1))}], sample rounds [${
          v.sample.rounds.map((t) => t.toFixed(1))
        }]`,
      );
    }
  }
  if (r.check) {
    lines.push(
      `  PyTorch reference checked: ${r.check.tensors} tensors within ${r.check.tolerance} (worst ${r.check.worst} ${
        r.check.max_rel_err.toExponential(2)
      })`,
    );
  }
  if (r.torch_note) lines.push(`  ${r.torch_note}`);
  lines.push(
    `commit ${r.commit ?? "—"}; tensors ${r.tensors_stable ? "stable" : "NOT stable"} over every block; load average ${
      r.load_average.start.map((v) => v.toFixed(2)).join(" ")
    } → ${r.load_average.end.map((v) => v.toFixed(2)).join(" ")}`,
  );
  return lines.join("\n");
}
