/**
 * Whether two sampler configs draw the same samples from the same noise: equal
 * field by field, with an absent interval or init the same as null and the
 * fields in any order (configs read from files and written by hand compare
 * alike).
 *
 * References: lib/diffusion/sampler_config.ts (the fields).
 */
import type { SamplerConfig } from "./sampler_config.ts";

/**
 * @param a a sampler config
 * @param b another
 * @returns true when they are the same sampler
 * @example
 * ```ts
 * import { sameSampler } from "./same_sampler.ts";
 * const cfg3 = { solver: "unipc", steps: 20, shift: 1, guidance: { kind: "cfg", scale: 3, drop: ["context"] } } as const;
 * console.log(sameSampler(cfg3, { ...cfg3, interval: null, init: null })); // true
 * ```
 */
export function sameSampler(a: SamplerConfig, b: SamplerConfig): boolean {
  return canonical(a) === canonical(b);
}

function canonical(s: SamplerConfig): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sorted)
      : typeof v === "object" && v !== null
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]))
      : v;
  return JSON.stringify(sorted({ ...s, interval: s.interval ?? null, init: s.init ?? null }));
}
