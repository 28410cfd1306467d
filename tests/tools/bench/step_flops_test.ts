/**
 * tools/bench/_step_flops.ts: the matrix-multiply FLOPs of a step, against
 * sums worked out by hand for wan-smoke (dim 32, ffn 64, 2 blocks, text_len 8,
 * patch 1×2×2, 4 channels out).
 */
import assert from "node:assert/strict";
import { MODEL_PRESETS } from "../../../lib/model/mod.ts";
import { DESIGN_PRESETS, designParamShapes, resolveTrainable } from "../../../lib/model/designs/mod.ts";
import { stepFlops } from "../../../tools/bench/_step_flops.ts";

const cfg = MODEL_PRESETS["wan-smoke"];

Deno.test("stepFlops() counts full training's backward as twice the forward less the products fed by inputs only", () => {
  const f = stepFlops(cfg, { batch: 1, channels: 4, tokens: 8 }, () => true);
  // Forward: patch 2·8·16·32 = 8,192; time 1,024 + 2,048 + 12,288; text 8,192 + 16,384;
  // per block: self q,k,v,o 4·16,384, q·kᵀ and p·v 2·4,096, cross q,o 2·16,384, k,v 2·16,384 on the text,
  // cross products 2·4,096, FFN 2·32,768 = 212,992, twice; head 2·8·32·16 = 8,192.
  assert.equal(f.forward, 482_304);
  // The patch embedding, time_embedding.0 and text_embedding.0 read inputs: weight gradients only.
  assert.equal(f.backward, 2 * 482_304 - (8_192 + 1_024 + 8_192));
  assert.equal(f.train, f.forward + f.backward);
});

Deno.test("stepFlops() charges a part fine-tune nothing for the frozen text and time sides and no frozen weight gradients", () => {
  const design = DESIGN_PRESETS["part-finetune"].design;
  const names = designParamShapes(cfg, design, { scope: "part" }).map(([n]) => n);
  const trainable = new Set(resolveTrainable(design, names, "part"));
  const f = stepFlops(
    cfg,
    { batch: 1, channels: 4, tokens: 8, referenceTokens: 4, poseChannels: 12 },
    (n) => trainable.has(n),
  );
  // Forward: patch 8,192, pose patch 2·8·48·32 = 24,576, pose_proj 16,384, reference 2·4·16·32 = 4,096,
  // time 15,360, text 24,576, blocks on 12 tokens 2·309,248, head 8,192.
  assert.equal(f.forward, 719_872);
  // Backward: pose patch (weight) 24,576; pose_proj (input and weight) 32,768; reference (weight) 4,096;
  // per block: self-attention 233,472 (inputs and weights), cross-attention 61,440 (the query side only),
  // FFN 98,304 (inputs only), twice; head input 8,192. Nothing for time, text, cross k/v.
  assert.equal(f.backward, 24_576 + 32_768 + 4_096 + 2 * (233_472 + 61_440 + 98_304) + 8_192);
});

Deno.test("stepFlops() rejects a shape that is not a count, naming it", () => {
  assert.throws(
    () => stepFlops(cfg, { batch: 0, channels: 4, tokens: 8 }, () => true),
    /batch must be an integer >= 1: received 0/,
  );
  assert.throws(
    () => stepFlops(cfg, { batch: 1, channels: 4, tokens: 8, referenceTokens: 1.5 }, () => true),
    /referenceTokens must be an integer >= 0: received 1.5/,
  );
});
