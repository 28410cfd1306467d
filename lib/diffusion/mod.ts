/**
 * The diffusion stage: flow-matching training loss, training-time noise-level
 * samplers, inference solvers, guidance kinds, the sampler config and the
 * guided sampling loop. The model is
 * always passed in as a function; nothing here imports a model.
 */
export type { Cond, ModelFn } from "./types.ts";
export { shiftSigma } from "./shift_sigma.ts";
export { flowMatching } from "./flow_matching.ts";
export type { Sigmas } from "./flow_matching.ts";
export { flowMatchingLoss } from "./flow_matching_loss.ts";
export type { FlowMatchingLossOptions, FlowMatchingLossResult } from "./flow_matching_loss.ts";
export * as timesteps from "./timesteps/mod.ts";
export { makeTimestepSampler } from "./timesteps/make_timestep_sampler.ts";
export type { TimestepDistribution, TimestepSampler, TimestepSamplerConfig } from "./timesteps/make_timestep_sampler.ts";
export { FlowEulerSolver, flowSigmas, FlowUniPCSolver } from "./solvers/mod.ts";
export type { FlowSigmas, Solver } from "./solvers/mod.ts";
export { classifierFreeGuidance } from "./classifier_free_guidance.ts";
export { unconditionalCond } from "./unconditional_cond.ts";
export * from "./guidance/mod.ts";
export { checkSamplerConfig } from "./sampler_config.ts";
export { sameSampler } from "./same_sampler.ts";
export type { SamplerConfig, SolverName } from "./sampler_config.ts";
export { sample } from "./sample.ts";
export { replaceKnownFrames } from "./replace_known_frames.ts";
export type { ReplaceKnownFramesOptions } from "./replace_known_frames.ts";
export { initStepsTaken } from "./init_steps_taken.ts";
export { checkGuidanceInterval } from "./check_guidance_interval.ts";
export type { SampleOptions, SampleStepInfo } from "./sample.ts";
