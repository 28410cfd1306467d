import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../../lib/engine/mod.ts";
import { concatPoses } from "../../../lib/model/mod.ts";

await initEngine({ backend: "cpu" });

Deno.test("concatPoses() stacks pose latents along channels in the design's order", () => {
  const skeleton = tf.fill([1, 2, 1, 1, 1], 1), hands = tf.fill([1, 2, 1, 1, 1], 2), body = tf.fill([1, 2, 1, 1, 1], 3);
  const p = concatPoses({ skeleton, hands, body }, ["body", "skeleton"]);
  assert.deepEqual(p.shape, [1, 4, 1, 1, 1]);
  assert.deepEqual(Array.from(p.dataSync()), [3, 3, 1, 1]);
  const one = concatPoses({ hands }, ["hands"]);
  assert.notEqual(one, hands);
  assert.throws(() => concatPoses({ hands }, ["hands", "body"]), /"body" is missing: received hands/);
  assert.throws(
    () => concatPoses({ hands, body: tf.zeros([1, 2, 2, 1, 1]) }, ["hands", "body"]),
    /each must be \[B, C, F, H, W\] like "hands" \[1,2,1,1,1\]: "body" is \[1,2,2,1,1\]/,
  );
  assert.throws(() => concatPoses({}, []), /poses is empty/);
  tf.dispose([skeleton, hands, body, p, one]);
});
