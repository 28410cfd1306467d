/** Training: the loop, AdamW, schedules, checkpoints, the metrics log. */
export { AdamW } from "./adamw.ts";
export type { AdamWOptions, AdamWState } from "./adamw.ts";
export { lrAt } from "./lr_schedule.ts";
export type { LrSchedule } from "./lr_schedule.ts";
export { disposeCheckpoint, loadCheckpoint, saveCheckpoint } from "./checkpoint.ts";
export type { Checkpoint, CheckpointState } from "./checkpoint.ts";
export { MetricsLog, readJsonl } from "./metrics_log.ts";
export { NonFiniteError, trainLoop } from "./train_loop.ts";
export type { DataSource, LossResult, TrainLoopOptions, TrainResult } from "./train_loop.ts";
