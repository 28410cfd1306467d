import assert from "node:assert/strict";
import { MODEL_PRESETS } from "../../lib/model/model_presets.ts";
import { preflightWan } from "../../lib/model/preflight_wan.ts";

Deno.test("preflightWan() lists the largest tensors of a step and names the one over the binding limit", () => {
  // wan-bench, batch 4, latents 4×16×16 with 1×2×2 patches: L = 4·8·8 = 256 tokens, 4 heads.
  const plan = preflightWan(MODEL_PRESETS["wan-bench"], { batch: 4, latent: [4, 16, 16] });
  assert.deepEqual(plan[0], { name: "self-attention scores", shape: [4, 4, 256, 256], bytes: 4 * 4 * 256 * 256 * 4 });
  assert.deepEqual(plan.find((e) => e.name === "FFN hidden"), {
    name: "FFN hidden",
    shape: [4, 256, 1024],
    bytes: 4194304,
  });
  // Wan2.1-T2V-1.3B at 480p, 81 frames (latents 21×60×104): L = 21·30·52 = 32 760 tokens, 12 heads.
  assert.throws(
    () => preflightWan(MODEL_PRESETS["wan2.1-t2v-1.3b"], { batch: 1, latent: [21, 60, 104], limit: 128 * 2 ** 20 }),
    /^RangeError: Cannot run the Wan DiT's self-attention scores \[1,12,32760,32760\] on webgpu as it needs 51514444800 bytes/,
  );
  assert.throws(
    () => preflightWan(MODEL_PRESETS["wan-bench"], { batch: 1, latent: [4, 15, 16] }),
    /divisible by the patch size/,
  );
});
