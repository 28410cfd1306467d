/** Experiments, the sweep runner and run folders (machine set-up is lib/io's). */
export { configDiff, defineExperiment, recipeBook, resolveRecipe, resolveRuns } from "./experiment.ts";
export type { Axes, ConfigInput, ConfigPath, DeepPartial, DefinedExperiment, Experiment, Overrides, Recipe, Recipes, ResolvedRun, TaskOf } from "./experiment.ts";
export { checkRunConfig } from "./check_run_config.ts";
export { TASKS } from "./run_config.ts";
export type {
  AnimateRunConfig,
  BenchmarkRunConfig,
  DataConfig,
  FeatureNetsRunConfig,
  KeptStepsConfig,
  PretrainRunConfig,
  RunConfig,
  SampleRunConfig,
  Task,
  TaskConfig,
  TrainConfig,
  VaeConfig,
  VaeRunConfig,
} from "./run_config.ts";
export { RUN_DEFAULTS, taskDefaults } from "./run_defaults.ts";
export { designLabel, presetDesign, resolveModelDesign, splitDesign } from "./model_design.ts";
export type { ModelDesign } from "./model_design.ts";
export { migrateRunConfig } from "./migrate_run_config.ts";
export { recordedRun } from "./recorded_run.ts";
export type { RecordedRun } from "./recorded_run.ts";
export { gitInfo, openRunFolder, readJson, sameRunConfig, writeJson } from "./run_folder.ts";
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
