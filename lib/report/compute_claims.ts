/**
 * The claims table, `results/ablations/claims.json`, computed from the
 * committed results: for each claim of {@link PAPER_CLAIMS}, the runs of
 * its sweep's `summary.parquet` (and, for convergence measures, their
 * `metrics.jsonl`), the per-seed values of both arms, the effect paired by
 * seed, its 95% interval, the verdict, and how many seeds an effect of the
 * paper's size would need. Nothing in the file is typed in: `deno task
 * claims` rewrites it, and a test recomputes it from the committed tables.
 * A claim whose sweep has no results (or fewer than two paired seeds) is
 * listed under `pending` with the reason.
 *
 * References: paired t interval (Student 1908), percentile bootstrap (Efron
 * & Tibshirani 1993 §13.3), paired sample size (Julious 2004); the claims:
 * RealisDance-DiT (2025) §3–4, issue 31.
 */
import pl from "nodejs-polars";
import { readJsonl } from "../train/metrics_log.ts";
import { Prng } from "../random/mod.ts";
import { bootstrapInterval } from "./bootstrap_interval.ts";
import { claimVerdict } from "./claim_verdict.ts";
import { curveArea } from "./curve_area.ts";
import { pairedTInterval } from "./paired_t_interval.ts";
import { PAPER_CLAIMS, type PaperClaim } from "./paper_claims.ts";
import { PAPER_MODEL_DESIGN } from "./paper_numbers.ts";
import { seedsNeeded } from "./seeds_needed.ts";

/** One entry of claims.json. */
export interface ClaimEntry {
  id: string;
  claim: PaperClaim["claim"];
  experiment: string;
  metric: string;
  /** "A − B" (paired by seed) or the change within arm A. */
  comparison: string;
  expected: PaperClaim["expected"];
  pairing: string;
  /** Where along training a curve measure was read (steps or samples seen); null for a column. */
  span: string | null;
  seeds: number[];
  /** Per seed, in `seeds` order: arm A (or the change), and arm B. */
  values: { a: number[]; b: number[] | null };
  effect: number;
  /** Mean of the baseline the relative sizes refer to: arm B, arm A's starting column for a change, the budget for a peak. */
  baseline: number;
  /** The effect over |baseline|. */
  relative_effect: number;
  interval: string;
  ci_low: number;
  ci_high: number;
  /** The smallest effect that matters (δ), relative to the baseline, and where its size comes from. */
  effect_of_interest: { value: number; relative: number; source: string };
  verdict: string;
  /** Seeds needed to resolve δ (paired t, 95%, power 0.8) from the observed sd of the paired differences. */
  seeds_needed: number;
  sd_of_differences: number;
  sources: string[];
}

/** What claims.json holds. */
export interface ClaimsTable {
  about: string;
  method: Record<string, string>;
  claims: ClaimEntry[];
  pending: { id: string; claim: PaperClaim["claim"]; experiment: string; reason: string }[];
}

type Row = Record<string, unknown>;

/**
 * @param results the results folder (holding `<experiment>/summary.parquet` and the run folders)
 * @param options claims (default {@link PAPER_CLAIMS}), prefix for the source paths (default "results"), bootstrap seed (default 31)
 * @returns the table as claims.json holds it
 * @example
 * ```ts ignore
 * const table = await computeClaims("results");
 * table.claims.map((c) => `${c.id}: ${c.verdict}`);
 * ```
 */
export async function computeClaims(
  results: string,
  options: { claims?: readonly PaperClaim[]; prefix?: string; bootstrapSeed?: number } = {},
): Promise<ClaimsTable> {
  const { claims = PAPER_CLAIMS, prefix = "results", bootstrapSeed = 31 } = options;
  const tables = new Map<string, Row[] | null>();
  const out: ClaimsTable = {
    about: "The paper's claims judged on the committed sweeps: one entry per claim and measure. Computed by lib/report/compute_claims.ts " +
      "(`deno task claims`) from the files in each entry's `sources`; never edited by hand.",
    method: {
      effect: "A − B per seed, averaged (or the change within arm A's runs); the arms share the seed as each entry's `pairing` says",
      interval: "95%; paired t (t quantile with n − 1 df) unless the entry says bootstrap (seeded paired percentile bootstrap, 10,000 resamples)",
      verdict: "holds / reversed when the interval excludes 0 on the paper's side / the other; 'no effect larger than <bound>' when it " +
        "holds 0 and stays within the smallest effect of interest δ; 'as good as' claims (expected not-higher) hold when the upper end ≤ δ; " +
        "otherwise inconclusive with the interval",
      seeds_needed: "smallest n with n ≥ ((t_{0.975,n−1} + t_{0.8,n−1}) · sd/δ)², sd the standard deviation of the paired differences " +
        "seen here, δ the effect of interest (the paper's relative difference applied to the baseline here where the paper gives numbers)",
    },
    claims: [],
    pending: [],
  };
  for (const [index, c] of claims.entries()) {
    const table = await summary(results, c.experiment, tables);
    const source = `${prefix}/${c.experiment}/summary.parquet`;
    if (table === null) {
      out.pending.push({ id: c.id, claim: c.claim, experiment: c.experiment, reason: `no ${source} yet: run \`deno task ablate ${c.experiment}\`` });
      continue;
    }
    const armRows = c.arms.map((arm) => table.filter((r) => Object.entries(arm.where).every(([k, v]) => field(r, k) === v)));
    armRows.forEach((rows, i) => {
      const seen = rows.map((r) => r.seed);
      if (new Set(seen).size !== seen.length) {
        throw new RangeError(`Cannot pair claim ${c.id} by seed: arm "${c.arms[i].label}" has several runs of one seed in ${source} (seeds ${seen.join(", ")}); expected one run per seed`);
      }
    });
    const sources = [source];
    const ctx = { results, prefix, experiment: c.experiment, sources, span: null as string | null };
    const values = await measure(c, armRows, ctx);
    const seeds = [...new Set(values.flatMap((m) => [...m.keys()]))].filter((s) => values.every((m) => Number.isFinite(m.get(s)))).sort((p, q) => p - q);
    if (seeds.length < 2) {
      out.pending.push({ id: c.id, claim: c.claim, experiment: c.experiment, reason: `${seeds.length} seed(s) with a value in every arm in ${source}: expected at least 2` });
      continue;
    }
    const a = seeds.map((s) => values[0].get(s)!);
    const b = values.length > 1 ? seeds.map((s) => values[1].get(s)!) : null;
    const t = pairedTInterval(a, b ?? undefined);
    const useBootstrap = c.interval.kind === "bootstrap" && seeds.length >= c.interval.minSeeds && b !== null;
    const ci = useBootstrap ? bootstrapInterval(a, b!, { prng: new Prng(bootstrapSeed).fork(index) }) : t;
    const interval = useBootstrap
      ? `seeded paired percentile bootstrap (10,000 resamples, Prng(${bootstrapSeed}) forked by claim index ${index})`
      : `paired t, ${t.n - 1} df (t = ${round(t.t)})` + (c.interval.kind === "bootstrap"
        ? `; the bootstrap this claim asks for (${c.interval.why}) needs ≥ ${c.interval.minSeeds} seeds, ${seeds.length} here`
        : "");
    const baseline = baselineMean(c, armRows, a, b);
    const delta = interest(c, baseline);
    out.claims.push({
      id: c.id,
      claim: c.claim,
      experiment: c.experiment,
      metric: c.metric,
      comparison: c.arms.length === 2
        ? `${c.arms[0].label} − ${c.arms[1].label}`
        : c.measure.kind === "change"
        ? `${c.measure.to} − ${c.measure.from}, ${c.arms[0].label}`
        : c.measure.kind === "over-budget" ? `${c.arms[0].label}: peak − budget` : c.arms[0].label,
      expected: c.expected,
      pairing: c.pairing,
      span: ctx.span,
      seeds,
      values: { a: a.map(round), b: b?.map(round) ?? null },
      effect: round(t.effect),
      baseline: round(baseline),
      relative_effect: round(t.effect / Math.abs(baseline)),
      interval,
      ci_low: round(ci.low),
      ci_high: round(ci.high),
      effect_of_interest: { value: round(delta.value), relative: round(delta.value / Math.abs(baseline)), source: delta.source },
      verdict: claimVerdict(ci.low, ci.high, { expected: c.expected, delta: delta.value }),
      seeds_needed: seedsNeeded(t.sd, delta.value),
      sd_of_differences: round(t.sd),
      sources: [...new Set(sources)],
    });
  }
  return out;
}

/** 6 significant digits: what the file keeps (integers stay exact). */
function round(v: number): number {
  return Number.isInteger(v) ? v : Number(v.toPrecision(6));
}

async function summary(results: string, experiment: string, cache: Map<string, Row[] | null>): Promise<Row[] | null> {
  if (!cache.has(experiment)) {
    const path = `${results}/${experiment}/summary.parquet`;
    const found = await Deno.stat(path).then(() => true, () => false);
    cache.set(experiment, found ? pl.readParquet(path).toRecords() as Row[] : null);
  }
  return cache.get(experiment)!;
}

/** A column, or a dotted key read into a column that holds JSON (e.g. "diffusion.timesteps.kind"). */
function field(row: Row, key: string): unknown {
  if (key in row) return row[key];
  const parts = key.split(".");
  for (let i = parts.length - 1; i > 0; i--) {
    const col = parts.slice(0, i).join(".");
    if (typeof row[col] !== "string") continue;
    let v: unknown = JSON.parse(row[col] as string);
    for (const p of parts.slice(i)) v = (v as Record<string, unknown> | null)?.[p];
    return v;
  }
  return undefined;
}

const num = (v: unknown): number => (typeof v === "number" ? v : NaN);

/** Per arm: seed → the run's measured value (NaN where missing). */
async function measure(
  c: PaperClaim,
  arms: Row[][],
  ctx: { results: string; prefix: string; experiment: string; sources: string[]; span: string | null },
): Promise<Map<number, number>[]> {
  const m = c.measure;
  if (m.kind === "column") return arms.map((rows) => new Map(rows.map((r) => [num(r.seed), num(r[m.column])])));
  if (m.kind === "change") return arms.map((rows) => new Map(rows.map((r) => [num(r.seed), num(r[m.to]) - num(r[m.from])])));
  if (m.kind === "over-budget") {
    return Promise.all(arms.map(async (rows) =>
      new Map(await Promise.all(rows.map(async (r): Promise<[number, number]> => {
        ctx.sources.push(`${ctx.prefix}/${ctx.experiment}/${r.run}/memory.json`);
        const mem = JSON.parse(await Deno.readTextFile(`${ctx.results}/${ctx.experiment}/${r.run}/memory.json`));
        return [num(r.seed), num(mem.peak_bytes) - num(mem.budget_bytes)];
      })))
    ));
  }
  const curves = await Promise.all(arms.map((rows) =>
    Promise.all(rows.map(async (r) => {
      ctx.sources.push(`${ctx.prefix}/${ctx.experiment}/${r.run}/metrics.jsonl`);
      const log = ((await readJsonl(`${ctx.results}/${ctx.experiment}/${r.run}/metrics.jsonl`)) ?? [])
        .filter((x): x is Record<string, unknown> => x !== null && x.phase === "dit" && typeof x[m.key] === "number");
      const xKey = m.kind === "at-samples" ? "data_position" : "step";
      return { seed: num(r.seed), x: log.map((x) => num(x[xKey])), y: log.map((x) => num(x[m.key])), row: r };
    }))
  ));
  const all = curves.flat().filter((k) => k.x.length >= 2);
  if (all.length === 0) return arms.map(() => new Map());
  if (m.kind === "at-samples") {
    // The largest number of samples seen that every run evaluated.
    const at = Math.min(...all.map((k) => k.x.at(-1)!));
    ctx.span = `${at} training samples seen`;
    return curves.map((runs) => new Map(runs.map((k) => [k.seed, valueAt(k.x, k.y, at)])));
  }
  const from = Math.max(...all.map((k) => k.x[0]));
  const tau = m.to === "warmup"
    ? Math.max(...all.map((k) => num(field(k.row, "diffusion.timesteps.warmup"))).filter(Number.isFinite))
    : Math.min(...all.map((k) => k.x.at(-1)!));
  ctx.span = `steps ${from} to ${tau} (${m.key} evaluated every ${all[0].x[1] - all[0].x[0]} steps)`;
  return curves.map((runs) => new Map(runs.map((k) => [k.seed, k.x.length >= 2 ? curveArea(k.x, k.y, { from, to: tau }) : NaN])));
}

/** The curve's value at x = at, linear between evaluated points. */
function valueAt(x: number[], y: number[], at: number): number {
  const i = x.findIndex((s) => s >= at);
  if (i < 0 || (i === 0 && x[0] !== at)) return NaN;
  if (x[i] === at) return y[i];
  return y[i - 1] + ((at - x[i - 1]) / (x[i] - x[i - 1])) * (y[i] - y[i - 1]);
}

/** Mean of the baseline the relative sizes refer to: arm B, arm A's starting column for a change, the budget for a peak. */
function baselineMean(c: PaperClaim, arms: Row[][], a: number[], b: number[] | null): number {
  const mean = (xs: number[]) => xs.reduce((p, q) => p + q, 0) / xs.length;
  if (c.measure.kind === "over-budget") return mean(arms[0].map((r) => num(r.peak_bytes))) - mean(a);
  if (c.measure.kind === "change") {
    const from = c.measure.from;
    return mean(arms[0].map((r) => num(r[from])).filter(Number.isFinite));
  }
  return b !== null ? mean(b) : NaN;
}

function interest(c: PaperClaim, baseline: number): { value: number; source: string } {
  const e = c.effectOfInterest;
  if (e.kind === "relative") return { value: e.value * Math.abs(baseline), source: `${e.value * 100}% of the baseline: ${e.why}` };
  const pa = PAPER_MODEL_DESIGN[e.a]?.[e.metric], pb = PAPER_MODEL_DESIGN[e.b]?.[e.metric];
  if (typeof pa !== "number" || typeof pb !== "number") {
    throw new RangeError(`Cannot size claim ${c.id} from the paper: no ${e.metric} for ${e.a} and ${e.b} in PAPER_MODEL_DESIGN (received ${pa}, ${pb})`);
  }
  const rel = Math.abs(pa - pb) / pb;
  return {
    value: rel * Math.abs(baseline),
    source: `the paper's relative difference, |${pa} − ${pb}| / ${pb} = ${round(rel * 100)}% (${e.metric.toUpperCase()}), of the baseline's mean here`,
  };
}
