import assert from "node:assert/strict";
import { categoryGrid } from "../../lib/synthetic/category_grid.ts";
import { syntheticClip } from "../../datasets/synthetic/synthetic_sets.ts";

Deno.test("categoryGrid() puts each clip in the rows of its categories with frame and conditions side by side", () => {
  const clips = Array.from({ length: 12 }, (_, i) => syntheticClip("realisdance-val-syn", i, { frames: 5, height: 16, width: 16 }));
  const { image, rows } = categoryGrid(clips, { perCategory: 2, gap: 2 });
  assert.equal(rows.length, 6);
  for (const row of rows) {
    assert.ok(row.ids.length <= 2);
    for (const id of row.ids) assert.ok(clips.find((c) => c.id === id)!.categories.includes(row.category));
  }
  // 2 clips × (4 tiles of 16 px + 3 gaps) + 3 inter-clip gaps of 6 px; 6 rows of 16 px + 7 gaps.
  assert.equal(image.width, 2 * (4 * 16 + 3 * 2) + 3 * 6);
  assert.equal(image.height, 6 * 16 + 7 * 2);
  // The first tile of the first clip of row 0 is its middle RGB frame.
  const c = clips.find((c) => c.id === rows[0].ids[0])!;
  const px = (x: number, y: number) => Array.from(image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3));
  const f = 2, o = (f * 256 + 3 * 16 + 5) * 3;
  assert.deepEqual(px(6 + 5, 2 + 3), [0, 1, 2].map((k) => Math.round(c.video[o + k] * 255)));
  assert.throws(() => categoryGrid([]), /received 0 clips/);
  assert.throws(() => categoryGrid(clips, { frame: 9 }), /Cannot show frame 9/);
});
