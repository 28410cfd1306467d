/**
 * Draws training noise levels from a timestep sampler and writes them to a
 * safetensors file (key `s`, float32 [N]) with the full configuration as
 * metadata. Same flags → identical bytes.
 *
 * Usage:
 *   deno run -A lib/diffusion/timesteps_cli.ts --sampler low-noise-warmup --alpha 1 \
 *     --warmup 1000 --iteration 0 --n 10000 --seed 0 --out s.safetensors [--shift 3]
 *
 * References: see lib/diffusion/timesteps/ for each sampler's formula.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { writeSafetensors } from "../io/safetensors.ts";
import { Prng } from "../random/prng.ts";
import { makeTimestepSampler, type TimestepSamplerConfig } from "./timesteps/make_timestep_sampler.ts";

const USAGE =
  `Usage: deno run -A lib/diffusion/timesteps_cli.ts --sampler NAME --n N --seed S --out FILE.safetensors [options]

Draws N training noise levels s in [0, 1] and writes them as tensor "s" (float32 [N]).

  --sampler NAME     uniform | low-noise-warmup | high-noise-warmup | logit-normal
  --alpha A          initial slope: (0, 1] for low-noise-warmup, [-1, 0) for high-noise-warmup
  --warmup TAU       warm-up length in optimizer iterations (> 0), warm-up samplers
  --iteration I      optimizer iteration (integer >= 0; default 0)
  --mean M           logit mean (logit-normal; default 0)
  --std SD           logit standard deviation (logit-normal; default 1)
  --shift X          apply s' = X·s/(1 + (X − 1)·s) on top (default 1)
  --n N              number of samples (integer >= 1)
  --seed S           Prng seed (integer)
  --out FILE         output .safetensors file (written atomically)
  --help             show this help`;

/**
 * Runs the CLI on an argument list.
 *
 * @param args command-line arguments (without the program name)
 * @param io where to print (defaults to the console)
 * @returns the exit code: 0 on success, 1 on a bad flag or a failed write
 * @example
 * ```ts
 * import { runTimestepsCli } from "./timesteps_cli.ts";
 * const out = `${await Deno.makeTempDir()}/s.safetensors`;
 * await runTimestepsCli(["--sampler", "uniform", "--n", "8", "--seed", "1", "--out", out]);
 * ```
 */
export async function runTimestepsCli(
  args: string[],
  io: { log: (s: string) => void; error: (s: string) => void } = console,
): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: joinNegativeValues(args),
      strict: true,
      allowPositionals: false,
      options: {
        sampler: { type: "string" },
        alpha: { type: "string" },
        warmup: { type: "string" },
        iteration: { type: "string" },
        mean: { type: "string" },
        std: { type: "string" },
        shift: { type: "string" },
        n: { type: "string" },
        seed: { type: "string" },
        out: { type: "string" },
        help: { type: "boolean" },
      },
    }));
  } catch (e) {
    io.error(`timesteps: ${(e as Error).message}\n\n${USAGE}`);
    return 1;
  }
  if (values.help) {
    io.log(USAGE);
    return 0;
  }
  try {
    const config = samplerConfig(values);
    const n = integer(values, "n", { min: 1 });
    const seed = integer(values, "seed", {});
    const iteration = values.iteration === undefined ? 0 : integer(values, "iteration", { min: 0 });
    const out = values.out;
    if (typeof out !== "string" || out === "") throw new RangeError("--out is required: a .safetensors file path");
    const s = makeTimestepSampler(config)(n, { prng: new Prng(seed), iteration });
    await writeSafetensors(out, { s: { shape: [n], data: s } }, {
      sampler: JSON.stringify(config),
      iteration: String(iteration),
      seed: String(seed),
      n: String(n),
    });
    io.log(`timesteps: wrote ${n} samples of ${config.kind} to ${out}`);
    return 0;
  } catch (e) {
    io.error(`timesteps: ${(e as Error).message}\n(run with --help for usage)`);
    return 1;
  }
}

/** `--alpha -0.5` → `--alpha=-0.5`: node's parseArgs would take a value starting with "-" for a flag. */
function joinNegativeValues(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (/^--[a-z]+$/.test(args[i]) && i + 1 < args.length && /^-(\d|\.\d|Infinity)/.test(args[i + 1])) {
      out.push(`${args[i]}=${args[++i]}`);
    } else out.push(args[i]);
  }
  return out;
}

function samplerConfig(v: Record<string, string | boolean | undefined>): TimestepSamplerConfig {
  const shift = v.shift === undefined ? {} : { shift: number(v, "shift") };
  const used = (names: string[]) => {
    for (const k of ["alpha", "warmup", "mean", "std"]) {
      if (v[k] !== undefined && !names.includes(k)) {
        throw new RangeError(`--${k} does not apply to --sampler ${v.sampler}`);
      }
    }
  };
  switch (v.sampler) {
    case "uniform":
      used([]);
      return { kind: "uniform", ...shift };
    case "low-noise-warmup":
    case "high-noise-warmup":
      used(["alpha", "warmup"]);
      return { kind: v.sampler, alpha: number(v, "alpha"), warmup: number(v, "warmup"), ...shift };
    case "logit-normal":
      used(["mean", "std"]);
      return {
        kind: "logit-normal",
        mean: v.mean === undefined ? 0 : number(v, "mean"),
        std: v.std === undefined ? 1 : number(v, "std"),
        ...shift,
      };
    default:
      throw new RangeError(
        `--sampler must be one of uniform, low-noise-warmup, high-noise-warmup, logit-normal: received ${
          v.sampler === undefined ? "nothing" : JSON.stringify(v.sampler)
        }`,
      );
  }
}

function number(v: Record<string, string | boolean | undefined>, name: string): number {
  const raw = v[name];
  if (typeof raw !== "string") throw new RangeError(`--${name} is required`);
  const x = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(x)) {
    throw new RangeError(`--${name} must be a finite number: received ${JSON.stringify(raw)}`);
  }
  return x;
}

function integer(v: Record<string, string | boolean | undefined>, name: string, range: { min?: number }): number {
  const x = number(v, name);
  if (!Number.isSafeInteger(x) || (range.min !== undefined && x < range.min)) {
    throw new RangeError(
      `--${name} must be an integer${range.min !== undefined ? ` >= ${range.min}` : ""}: received ${
        JSON.stringify(v[name])
      }`,
    );
  }
  return x;
}

if (import.meta.main) Deno.exit(await runTimestepsCli(Deno.args));
