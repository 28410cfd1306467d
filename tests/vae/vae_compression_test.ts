import assert from "node:assert/strict";
import { initEngine } from "../../lib/engine/mod.ts";
import { Prng } from "../../lib/random/mod.ts";
import { initVaeParams, VAE_PRESETS, vaeCompression, vaeParamShapes } from "../../lib/vae/mod.ts";

await initEngine({ backend: "cpu" });

/** Sum of every initial parameter of vae-smoke for seed 7 (gammas contribute their count of ones). */
const EXPECTED_SUM_SEED_7 = 197.77538409440422;

Deno.test("vaeCompression() of the presets: smoke and toy 4×/4×, wan2.1 8× spatial and 4× temporal", () => {
  assert.deepStrictEqual(vaeCompression(VAE_PRESETS["vae-smoke"]), { spatial: 4, temporal: 4 });
  assert.deepStrictEqual(vaeCompression(VAE_PRESETS["vae-toy"]), { spatial: 4, temporal: 4 });
  assert.deepStrictEqual(vaeCompression(VAE_PRESETS["wan2.1"]), { spatial: 8, temporal: 4 });
  assert.deepStrictEqual(
    vaeCompression({ zDim: 2, dim: 4, dimMult: [1, 2, 2, 2], numResBlocks: 1, temporalDownsample: [false, false, true] }),
    { spatial: 8, temporal: 2 },
  );
});

Deno.test("vae-small-z16 keeps vae-toy-z16's 4×/4× compression and 16 channels with 32/64/128-channel stages: 7,343,443 parameters against 660,467", () => {
  const count = (name: keyof typeof VAE_PRESETS) =>
    Object.values(vaeParamShapes(VAE_PRESETS[name])).reduce((a, s) => a + s.reduce((x, y) => x * y, 1), 0);
  assert.deepStrictEqual(vaeCompression(VAE_PRESETS["vae-small-z16"]), { spatial: 4, temporal: 4 });
  assert.equal(VAE_PRESETS["vae-small-z16"].zDim, 16);
  // Widest 3×3×3 conv: the encoder's middle block at 128 channels.
  assert.deepStrictEqual(vaeParamShapes(VAE_PRESETS["vae-small-z16"])["encoder.middle.0.residual.2.weight"], [128, 128, 3, 3, 3]);
  assert.equal(count("vae-small-z16"), 7343443);
  assert.equal(count("vae-toy-z16"), 660467);
});

Deno.test("vaeCompression() rejects malformed configurations with what it received", () => {
  const base = VAE_PRESETS["vae-smoke"];
  assert.throws(() => vaeCompression({ ...base, zDim: 0 }), {
    name: "RangeError",
    message: "Cannot use VAE config as zDim must be a positive integer: received 0",
  });
  assert.throws(() => vaeCompression({ ...base, temporalDownsample: [true] }), {
    name: "RangeError",
    message: "Cannot use VAE config as temporalDownsample must hold 2 booleans (one per downsampling): received [true]",
  });
  assert.throws(() => vaeCompression({ ...base, dim: 3, dimMult: [1, 1, 1] }), {
    name: "RangeError",
    message: "Cannot use VAE config as decoder upsampling 0 halves 3 channels: dim × dimMult must be even",
  });
});

Deno.test("initVaeParams() is deterministic for a seed, follows vaeParamShapes() and starts gammas at 1 and attention proj at 0", () => {
  const config = VAE_PRESETS["vae-smoke"];
  const a = initVaeParams(config, { prng: new Prng(7) });
  const b = initVaeParams(config, { prng: new Prng(7) });
  const c = initVaeParams(config, { prng: new Prng(8) });
  const shapes = vaeParamShapes(config);
  assert.deepStrictEqual(Object.keys(a), Object.keys(shapes));
  let sum = 0;
  for (const [name, shape] of Object.entries(shapes)) {
    assert.deepStrictEqual(a[name].shape, shape, name);
    const va = a[name].dataSync();
    assert.deepStrictEqual(va, b[name].dataSync(), name);
    if (name.endsWith(".gamma")) assert.ok(va.every((v) => v === 1), name);
    if (name.endsWith("proj.weight")) assert.ok(va.every((v) => v === 0), name);
    if (name.endsWith(".weight") && !name.endsWith("proj.weight")) {
      const bound = 1 / Math.sqrt(shape.slice(1).reduce((x, y) => x * y, 1));
      assert.ok(va.every((v) => Math.abs(v) <= bound), `${name} exceeds U(±1/√fan_in)`);
    }
    for (const v of va) sum += v;
  }
  assert.notDeepStrictEqual(a["encoder.conv1.weight"].dataSync(), c["encoder.conv1.weight"].dataSync());
  // Stored from this seed: guards the draw order (state-dict order) and the bounds.
  assert.ok(Math.abs(sum - EXPECTED_SUM_SEED_7) < 1e-6, `sum ${sum}`);
  for (const p of [a, b, c]) for (const v of Object.values(p)) v.dispose();
});
