/**
 * The sampler a training run draws its evaluation samples with, from its
 * config: `sample.solver`, `sample.steps`, `diffusion.shift`, and
 * classifier-free guidance at `sample.guidance` dropping the entries its task
 * drops (none at scale 1).
 */
import type { SamplerConfig } from "../diffusion/mod.ts";
import type { RunConfig } from "./run_config.ts";

/**
 * @param cfg the run config
 * @param drop the Cond entries the unconditional branch drops: ["context"] (pretrain), ["context", "reference"] (designs)
 * @returns the sampler config `sample()` takes
 * @example
 * ```ts
 * import { DEFAULT_RUN_CONFIG } from "./run_config.ts";
 * import { runSampler } from "./run_sampler.ts";
 * const cfg = { ...DEFAULT_RUN_CONFIG, sample: { solver: "unipc", steps: 20, guidance: 3 } } as const;
 * console.log(runSampler(cfg, ["context"]).guidance); // { kind: "cfg", scale: 3, drop: ["context"] }
 * ```
 */
export function runSampler(cfg: RunConfig, drop: readonly string[]): SamplerConfig {
  const { solver, steps, guidance } = cfg.sample;
  return { solver, steps, shift: cfg.diffusion.shift, guidance: guidance === 1 ? { kind: "none" } : { kind: "cfg", scale: guidance, drop: [...drop] } };
}
