/**
 * Writes the committed description of the evaluation set:
 * datasets/realisdance-val-syn/manifest.json (ids, seeds, categories,
 * captions, generator version, content hashes) and preview.png (one clip per
 * category, first and last frame, with its conditions and mask).
 *
 * Usage: `deno run -A datasets/synthetic/build_eval_set.ts`
 *
 * @module
 */

import { writeClipStrip } from "./clip_strip.ts";
import { buildEvalManifest } from "./eval_manifest.ts";
import { syntheticClip } from "./synthetic_sets.ts";
import { atomicWrite } from "../../lib/io/atomic_write.ts";

if (import.meta.main) {
  const dir = new URL("../realisdance-val-syn", import.meta.url).pathname;
  await Deno.mkdir(dir, { recursive: true });
  const t0 = performance.now();
  const manifest = await buildEvalManifest();
  await atomicWrite(`${dir}/manifest.json`, JSON.stringify(manifest, null, 2) + "\n");
  const clips = [0, 1, 2, 3, 4, 5].map((i) =>
    syntheticClip("realisdance-val-syn", i, { frames: 17, height: 64, width: 64 })
  );
  const img = await writeClipStrip(`${dir}/preview.png`, clips);
  console.log(
    `wrote ${dir}/manifest.json (${manifest.size} clips, categories ${
      JSON.stringify(manifest.categoryCounts)
    }) and preview.png ` +
      `(${img.width}x${img.height}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}
