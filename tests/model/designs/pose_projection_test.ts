import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../../lib/engine/mod.ts";
import { buildDesign, patchEmbed, poseProjection } from "../../../lib/model/mod.ts";
import { Prng } from "../../../lib/random/mod.ts";
import { disposeParams, foundation, maxAbsDiff, normal } from "./_fixtures.ts";

await initEngine({ backend: "cpu" });

const DESIGN = { kind: "concat", shiftedRope: true, frameShift: false, poses: ["skeleton", "hands"] } as const;

Deno.test("poseProjection() adds exactly zero at initialisation", () => {
  const base = foundation();
  const model = buildDesign(base, DESIGN, { prng: new Prng(1) });
  const pose = normal(new Prng(2), [2, 8, 2, 4, 6]);
  const added = poseProjection(model.params, pose);
  assert.deepEqual(added.shape, [2, 12, base.cfg.dim]);
  assert.equal(tf.tidy(() => tf.max(tf.abs(added)).dataSync()[0]), 0);
  tf.dispose([pose, added]);
  disposeParams(model.params);
  disposeParams(base.params);
});

Deno.test("poseProjection() is pose_proj applied to the pose patch embedding once trained", () => {
  const base = foundation();
  const model = buildDesign(base, DESIGN, { prng: new Prng(1) });
  const prng = new Prng(4);
  const w = model.params["pose_proj.weight"];
  w.assign(tf.tidy(() => tf.mul(normal(prng, w.shape), 0.1)));
  const pose = normal(prng, [1, 8, 2, 4, 6]);
  const added = poseProjection(model.params, pose);
  const expected = tf.tidy(() => {
    const { tokens } = patchEmbed(model.params, pose, { prefix: "pose_patch_embedding" });
    const w = model.params["pose_proj.weight"];
    return tf.add(tf.einsum("bld,od->blo", tokens, w), model.params["pose_proj.bias"]); // (B, L, dim)
  });
  assert.ok(tf.tidy(() => tf.max(tf.abs(added)).dataSync()[0]) > 1e-3);
  assert.ok(maxAbsDiff(added, expected) < 1e-5);
  tf.dispose([pose, added, expected]);
  disposeParams(model.params);
  disposeParams(base.params);
});
