import assert from "node:assert/strict";
import { buildEvalManifest, type EvalManifest } from "../../datasets/synthetic/eval_manifest.ts";
import { CATEGORIES } from "../../lib/synthetic/clip_spec.ts";
import { clipSeed, EVAL_SET_SIZE, SET_CAPACITY, SYNTHETIC_SETS } from "../../datasets/synthetic/synthetic_sets.ts";
import { GENERATOR_VERSION } from "../../lib/synthetic/version.ts";

const committed: EvalManifest = JSON.parse(
  await Deno.readTextFile(new URL("../../datasets/realisdance-val-syn/manifest.json", import.meta.url)),
);

Deno.test("the committed eval manifest matches the generator (version, seeds, categories, captions)", async () => {
  assert.equal(committed.generator, GENERATOR_VERSION, "bump the manifest with datasets/synthetic/build_eval_set.ts");
  assert.equal(committed.size, EVAL_SET_SIZE);
  const fresh = await buildEvalManifest({ hashSizes: [] });
  assert.deepEqual(
    fresh.clips.map(({ hashes: _h, ...c }) => c),
    committed.clips.map(({ hashes: _h, ...c }) => c),
  );
  assert.deepEqual(fresh.categoryCounts, committed.categoryCounts);
});

Deno.test("eval clips regenerate to the committed content hashes", async () => {
  const indices = [0, 1, 2, 3, 4, 5, 57];
  const fresh = await buildEvalManifest({ indices });
  for (const c of fresh.clips) {
    assert.deepEqual(c.hashes, committed.clips[c.index].hashes, `clip ${c.id}`);
    assert.deepEqual(Object.keys(c.hashes), committed.hashSizes);
  }
});

Deno.test("the eval set spans every category, at least 25 clips each", () => {
  for (const c of CATEGORIES) {
    const n = committed.clips.filter((x) => x.categories.includes(c)).length;
    assert.ok(n >= 25, `${c}: ${n} clips`);
    assert.equal(committed.categoryCounts[c], n);
  }
  const styles = new Set(committed.clips.map((c) => c.style));
  assert.deepEqual([...styles].sort(), ["cartoon", "realistic", "silhouette"]);
  assert.ok(committed.clips.some((c) => c.persons === 3));
  assert.ok(committed.clips.some((c) => c.motions.includes("handstand")));
});

Deno.test("set seeds are disjoint: the eval set's seed range meets no training seed", () => {
  const ranges = SYNTHETIC_SETS.map((s) => [clipSeed(s, 0), clipSeed(s, 0) + SET_CAPACITY - 1] as const);
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      assert.ok(
        ranges[i][1] < ranges[j][0] || ranges[j][1] < ranges[i][0],
        `${SYNTHETIC_SETS[i]} overlaps ${SYNTHETIC_SETS[j]}`,
      );
    }
  }
  assert.deepEqual(committed.seedRange, [clipSeed("realisdance-val-syn", 0), clipSeed("realisdance-val-syn", 99)]);
  assert.throws(() => clipSeed("realisdance-val-syn", 100), /index must be an integer in \[0, 100\): received 100/);
  assert.throws(() => clipSeed("pretrain", SET_CAPACITY), RangeError);
});
