import assert from "node:assert/strict";
import { shiftedRopePositions } from "../../../lib/model/mod.ts";

// Video patch grid F=2, H=2, W=3; reference grid 1 × H'=2 × W'=1 (H' ≠ H, W' ≠ W).
const grids = { video: [2, 2, 3], reference: [1, 2, 1] } as const;

Deno.test("shiftedRopePositions() places the reference diagonally past the video grid when shifted", () => {
  assert.deepEqual(Array.from(shiftedRopePositions(grids, { shiftedRope: true })), [0, 2, 3, 0, 3, 3]);
});

Deno.test("shiftedRopePositions() overlaps the first frame's corner when unshifted (the ablation)", () => {
  assert.deepEqual(Array.from(shiftedRopePositions(grids, { shiftedRope: false })), [0, 0, 0, 0, 1, 0]);
});

Deno.test("shiftedRopePositions() puts the reference at frame F with frameShift", () => {
  assert.deepEqual(Array.from(shiftedRopePositions(grids, { shiftedRope: true, frameShift: true })), [
    2,
    2,
    3,
    2,
    3,
    3,
  ]);
  assert.deepEqual(Array.from(shiftedRopePositions(grids, { shiftedRope: false, frameShift: true })), [
    2,
    0,
    0,
    2,
    1,
    0,
  ]);
});

Deno.test("shifted reference positions never coincide with a video position (a 2×3 reference on a 3×2 grid)", () => {
  const video = [1, 3, 2] as const, reference = [1, 2, 3] as const;
  const used = new Set<string>();
  for (let h = 0; h < 3; h++) for (let w = 0; w < 2; w++) used.add(`0,${h},${w}`);
  const p = shiftedRopePositions({ video, reference }, { shiftedRope: true });
  for (let i = 0; i < p.length; i += 3) assert.ok(!used.has(`${p[i]},${p[i + 1]},${p[i + 2]}`));
  const q = shiftedRopePositions({ video, reference }, { shiftedRope: false });
  assert.ok(used.has(`${q[0]},${q[1]},${q[2]}`));
});

Deno.test("shiftedRopePositions() rejects an empty video grid", () => {
  assert.throws(
    () => shiftedRopePositions({ video: [0, 2, 2], reference: [1, 1, 1] }, { shiftedRope: true }),
    /video grid\[0\] must be an integer >= 1: received 0/,
  );
});
