/**
 * Data pipeline: clips (pixel space), what a dataset offers (built by
 * datasets/make_dataset.ts), deterministic resumable batches in the model's
 * tensor layout, the clip-shard file format, folders of clip shards with their
 * held-out evaluation split, and reading video frames with ffmpeg. Ingesting
 * real videos (pose estimation) is in lib/pose.
 *
 * @module
 */
export { assertClip } from "./clip.ts";
export type { Clip } from "./clip.ts";
export type { Dataset } from "./dataset.ts";
export { batches, epochPermutation } from "./batches.ts";
export type { Batch, BatchesOptions, DataPosition } from "./batches.ts";
export { collateClips, disposeBatch } from "./collate_clips.ts";
export type { ClipBatch } from "./collate_clips.ts";
export { CLIP_SHARD_FORMAT, encodeClipShard, writeClipShard } from "./write_clip_shard.ts";
export { decodeClipShard, readClipShard, readClipShardIndex } from "./read_clip_shard.ts";
export type { ClipShard, ClipShardIndex } from "./read_clip_shard.ts";
export { clipContentHash } from "./clip_content_hash.ts";
export { ensureFfmpeg } from "./ensure_ffmpeg.ts";
export type { EnsureFfmpegOptions } from "./ensure_ffmpeg.ts";
export { readVideoFrames } from "./read_video_frames.ts";
export type { ReadVideoFramesOptions, VideoFrames } from "./read_video_frames.ts";
export { buildFolderEvalManifest, FOLDER_EVAL_FORMAT, folderManifestPath, listFolderShards } from "./folder_eval_manifest.ts";
export type { FolderEvalClip, FolderEvalManifest, FolderShard } from "./folder_eval_manifest.ts";
export { ClipFolderError, openClipFolder } from "./open_clip_folder.ts";
export type { ClipFolder, OpenClipFolderOptions } from "./open_clip_folder.ts";
