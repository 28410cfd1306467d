import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../../lib/engine/mod.ts";
import { buildDesign, concatReference, patchEmbed, shiftedRopePositions } from "../../../lib/model/mod.ts";
import { Prng } from "../../../lib/random/mod.ts";
import { disposeParams, foundation, normal } from "./_fixtures.ts";

await initEngine({ backend: "cpu" });

Deno.test("concatReference() embeds the reference with ref_patch_embedding and places it at the shifted positions", () => {
  const base = foundation();
  const design = { kind: "concat", shiftedRope: true, frameShift: true, poses: [] } as const;
  const model = buildDesign(base, design, { prng: new Prng(1) });
  const reference = normal(new Prng(3), [2, 4, 1, 8, 4]); // grid 1 × 4 × 2
  const { tokens, positions } = concatReference(model.params, reference, { videoGrid: [2, 2, 3], ...design });
  const expected = patchEmbed(model.params, reference, { prefix: "ref_patch_embedding" });
  assert.deepEqual(tokens.shape, [2, 8, base.cfg.dim]);
  assert.deepEqual(Array.from(tokens.dataSync()), Array.from(expected.tokens.dataSync()));
  assert.deepEqual(
    Array.from(positions),
    Array.from(
      shiftedRopePositions({ video: [2, 2, 3], reference: [1, 4, 2] }, { shiftedRope: true, frameShift: true }),
    ),
  );
  tf.dispose([reference, tokens, expected.tokens]);
  disposeParams(model.params);
  disposeParams(base.params);
});
