/**
 * Data pipeline: clips (pixel space), datasets (synthetic or folders of clip
 * shards), deterministic resumable batches in the model's tensor layout, and
 * the clip-shard file format.
 *
 * @module
 */
export { assertClip } from "./clip.ts";
export type { Clip } from "./clip.ts";
export { makeDataset } from "./make_dataset.ts";
export type { Dataset, DatasetConfig } from "./make_dataset.ts";
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
export { ingestVideo } from "./ingest_video.ts";
export type { IngestedClip, IngestVideoOptions } from "./ingest_video.ts";
export { ingestVideos } from "./ingest_videos.ts";
export type { IngestEntry, IngestReport, IngestVideosOptions } from "./ingest_videos.ts";
export { NoPersonError } from "./ingest_video.ts";
export type { IngestClipReport } from "./ingest_video.ts";
export { INGEST_REPORT } from "./ingest_videos.ts";
export { buildFolderEvalManifest, FOLDER_EVAL_FORMAT, folderManifestPath, listFolderShards } from "./folder_eval_manifest.ts";
export type { FolderEvalClip, FolderEvalManifest, FolderShard } from "./folder_eval_manifest.ts";
export { ClipFolderError, openClipFolder } from "./open_clip_folder.ts";
export type { ClipFolder, OpenClipFolderOptions } from "./open_clip_folder.ts";
