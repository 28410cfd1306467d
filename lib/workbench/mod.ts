/** Experiments, the sweep runner and run folders (machine set-up is lib/io's). */
export { checkRunConfig, configDiff, defineExperiment, recipeBook, resolveRecipe, resolveRuns } from "./experiment.ts";
export type { Axes, ConfigPath, DeepPartial, DefinedExperiment, Experiment, Recipes, ResolvedRun } from "./experiment.ts";
export { DEFAULT_RUN_CONFIG } from "./run_config.ts";
export type { RunConfig, TimestepConfig } from "./run_config.ts";
export { gitInfo, openRunFolder, readJson, writeJson } from "./run_folder.ts";
export type { RunEnvironment, RunState, RunStatus } from "./run_folder.ts";
export { runSweep, sweepStatus } from "./run_sweep.ts";
export type { RunContext, RunExecutor, RunOutcome, SweepOptions, SweepResult } from "./run_sweep.ts";
export { writeSummary } from "./write_summary.ts";
export { longVideoPlan } from "./long_video_plan.ts";
export type { LongVideoPlan } from "./long_video_plan.ts";
export { sampleLongVideo } from "./sample_long_video.ts";
export type { LongVideo, SampleLongVideoOptions } from "./sample_long_video.ts";
export { animateLong } from "./animate_long.ts";
export type { AnimateLongOptions, AnimateLongReport, SeamFigures } from "./animate_long.ts";
export { checkDataSource } from "./data_source.ts";
export type { DataSource } from "./data_source.ts";
