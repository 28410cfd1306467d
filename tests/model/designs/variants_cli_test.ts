import assert from "node:assert/strict";
import { main } from "../../../lib/model/cli/variants.ts";
import { countDesignParams, DESIGN_PRESETS, MODEL_PRESETS } from "../../../lib/model/mod.ts";

// wan-toy on a 1-frame 8×8 clip: latents [2, 4, 1, 2, 2], one video token (fast).
const SMALL = ["--json", "--preset", "wan-toy", "--frames", "1", "--height", "8", "--width", "8", "--backend", "cpu"];

Deno.test("variants CLI measures one training step per design of the ablation", async () => {
  const rows = await main([...SMALL, "--timed", "1"]);
  assert.deepEqual(rows.map((r) => r.design), Object.keys(DESIGN_PRESETS));
  const by = Object.fromEntries(rows.map((r) => [r.design, r]));
  for (const r of rows) {
    const { design, scope } = DESIGN_PRESETS[r.design as keyof typeof DESIGN_PRESETS];
    const counts = countDesignParams(MODEL_PRESETS["wan-toy"], design, { scope });
    assert.equal(r.total_params, counts.total);
    assert.equal(r.trainable_params, counts.trainable);
    assert.equal(r.status, "ok");
    assert.deepEqual(r.latents, [2, 4, 1, 2, 2]);
    assert.ok(Number.isFinite(r.loss) && r.loss! > 0);
    assert.ok(r.train_step_ms! > 0);
    // The step holds at least the weights, the gradients and AdamW's moments.
    assert.ok(r.peak_bytes! >= r.predicted_bytes, `${r.design}: peak ${r.peak_bytes} < floor ${r.predicted_bytes}`);
  }
  assert.ok(by["reference-net"].total_params > by["light-reference-net"].total_params);
  assert.ok(by["light-reference-net"].total_params > by["full-finetune"].total_params);
  assert.equal(by["full-finetune"].total_params, by["part-finetune"].total_params);
  assert.ok(by["part-finetune"].trainable_params < by["full-finetune"].trainable_params / 3);
  assert.ok(
    by["part-finetune"].peak_bytes! < by["full-finetune"].peak_bytes!,
    "no gradient or moments for frozen weights",
  );
  assert.ok(by["reference-net"].peak_bytes! > by["full-finetune"].peak_bytes!);
});

Deno.test("variants CLI stops a design over the memory budget before training and names both figures", async () => {
  // Between the reference net's predicted floor (≈33.6 MB) and the others': the reference net is
  // stopped before being built; the other designs run and are stopped on their measured peak.
  const rows = await main([
    ...SMALL,
    "--timed",
    "0",
    "--memory-budget",
    "30MB",
    "--designs",
    "reference-net,part-finetune",
  ]);
  const [ref, part] = rows;
  assert.equal(ref.status, "out-of-memory");
  assert.equal(ref.peak_bytes, null);
  assert.match(
    ref.message!,
    /"reference-net" within the memory budget: its predicted peak is 33\.\d\d MB \(\d+ B\) and the budget is 30\.00 MB \(30000000 B\)/,
  );
  assert.ok(part.peak_bytes! > 0);
  assert.equal(part.status, part.peak_bytes! > 30e6 ? "out-of-memory" : "ok");
  if (part.status === "out-of-memory") assert.match(part.message!, /its measured peak is/);
});

Deno.test("variants CLI rejects clip sizes the toy VAE cannot encode", async () => {
  await assert.rejects(() => main([...SMALL, "--frames", "6"]), /frames must be 4k\+1 for the toy VAE: received 6/);
  await assert.rejects(() => main([...SMALL, "--height", "12"]), /height must be a multiple of 8: received 12/);
  await assert.rejects(() => main([...SMALL, "--designs", "unet"]), /Unknown design preset "unet"/);
  await assert.rejects(() => main([...SMALL, "--memory-budget", "lots"]), /Cannot parse the memory size "lots"/);
});
