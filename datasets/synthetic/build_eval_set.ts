/**
 * `deno task data:eval-set`: fixes an evaluation set.
 *
 * Without arguments it writes the committed description of the synthetic
 * evaluation set: datasets/realisdance-val-syn/manifest.json (ids, seeds,
 * categories, captions, generator version, content hashes) and preview.png
 * (one clip per category, first and last frame, with its conditions and mask).
 *
 * With `--from <folder> --clips N` it fixes the held-out evaluation split of a
 * folder of ingested clips (`deno task data:ingest --out <folder>`): N clips
 * drawn by a seeded shuffle (`--seed`, default 0), written with their order and
 * content hashes to `<folder>/eval_manifest.json` (`--split NAME` writes
 * `<folder>/NAME_manifest.json`). Runs on the folder train on the other clips
 * and refuse the folder once an evaluation clip changes.
 *
 * Usage: `deno run -A datasets/synthetic/build_eval_set.ts [--from DIR --clips N [--seed S] [--split NAME]]`
 *
 * @module
 */

import { parseArgs } from "node:util";
import { writeClipStrip } from "../../lib/synthetic/clip_strip.ts";
import { buildEvalManifest } from "./eval_manifest.ts";
import { syntheticClip } from "./synthetic_sets.ts";
import { atomicWrite } from "../../lib/io/atomic_write.ts";
import { buildFolderEvalManifest, folderManifestPath } from "../../lib/data/folder_eval_manifest.ts";

const USAGE = "usage: build_eval_set.ts                       (realisdance-val-syn)\n" +
  "       build_eval_set.ts --from DIR --clips N [--seed S] [--split NAME]   (a folder of ingested clips)";

/**
 * Runs the command.
 *
 * @param args command-line arguments
 * @returns the exit code: 0 written, 1 the folder could not be used, 2 bad arguments
 * @example
 * ```ts ignore
 * import { main } from "./build_eval_set.ts";
 * await main(["--from", "datasets/my-videos", "--clips", "8"]);
 * ```
 */
export async function main(args: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        from: { type: "string" },
        clips: { type: "string" },
        seed: { type: "string", default: "0" },
        split: { type: "string", default: "eval" },
        help: { type: "boolean" },
      },
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.from === undefined) {
    if (values.clips !== undefined) {
      console.error(`--clips needs --from DIR (the synthetic evaluation set has a fixed size)\n${USAGE}`);
      return 2;
    }
    await writeSyntheticEvalSet();
    return 0;
  }
  const clips = Number(values.clips), seed = Number(values.seed);
  if (values.clips === undefined || !Number.isInteger(clips)) {
    console.error(`--clips must be an integer: received ${values.clips ?? "nothing"}\n${USAGE}`);
    return 2;
  }
  if (!Number.isInteger(seed) || seed < 0) {
    console.error(`--seed must be an integer >= 0: received ${values.seed}\n${USAGE}`);
    return 2;
  }
  const folder = (values.from as string).replace(/\/+$/, "");
  const split = values.split as string;
  let file: string;
  try {
    file = folderManifestPath(folder, split);
    const manifest = await buildFolderEvalManifest(folder, { clips, seed, split });
    const text = JSON.stringify(manifest, null, 2) + "\n";
    const before = await Deno.readTextFile(file).catch(() => null);
    await atomicWrite(file, text);
    const note = before === null ? "" : before === text ? " (unchanged)" : " (replacing a different split: numbers before it are not comparable)";
    console.log(
      `wrote ${file}${note}: ${manifest.size} of ${manifest.folderClips} clips held out for evaluation ` +
        `(${manifest.clips.map((c) => c.id).join(", ")}), ${manifest.folderClips - manifest.size} left for training`,
    );
    return 0;
  } catch (e) {
    if (e instanceof RangeError || e instanceof Deno.errors.NotFound) {
      console.error(e instanceof Deno.errors.NotFound ? `Cannot draw an evaluation split of ${folder}: it does not exist` : e.message);
      return 1;
    }
    throw e;
  }
}

async function writeSyntheticEvalSet(): Promise<void> {
  const dir = new URL("../realisdance-val-syn", import.meta.url).pathname;
  await Deno.mkdir(dir, { recursive: true });
  const t0 = performance.now();
  const manifest = await buildEvalManifest();
  await atomicWrite(`${dir}/manifest.json`, JSON.stringify(manifest, null, 2) + "\n");
  const clips = [0, 1, 2, 3, 4, 5].map((i) => syntheticClip("realisdance-val-syn", i, { frames: 17, height: 64, width: 64 }));
  const img = await writeClipStrip(`${dir}/preview.png`, clips);
  console.log(
    `wrote ${dir}/manifest.json (${manifest.size} clips, categories ${JSON.stringify(manifest.categoryCounts)}) and preview.png ` +
      `(${img.width}x${img.height}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}

if (import.meta.main) Deno.exit(await main(Deno.args));
