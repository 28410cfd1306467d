/** Training-time noise-level (timestep) samplers: one algorithm per file, pure functions of a passed-in Prng. */
export { uniform } from "./uniform.ts";
export type { UniformOptions } from "./uniform.ts";
export { lowNoiseWarmup } from "./low_noise_warmup.ts";
export type { LowNoiseWarmupOptions } from "./low_noise_warmup.ts";
export { highNoiseWarmup } from "./high_noise_warmup.ts";
export type { HighNoiseWarmupOptions } from "./high_noise_warmup.ts";
export { logitNormal } from "./logit_normal.ts";
export type { LogitNormalOptions } from "./logit_normal.ts";
export { makeTimestepSampler } from "./make_timestep_sampler.ts";
export type { TimestepDistribution, TimestepSampler, TimestepSamplerConfig } from "./make_timestep_sampler.ts";
