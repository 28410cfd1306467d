import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { readSafetensors } from "../../lib/io/safetensors.ts";
import { main as wanForwardCli } from "../../lib/model/cli/wan_forward.ts";
import {
  type KVCapture,
  loadWanCheckpoint,
  patchEmbed,
  ropePositions,
  saveWanCheckpoint,
  wanForward,
  wanModelFn,
} from "../../lib/model/mod.ts";
import { CASES, CONFORMANCE_TOL, FIXTURES, readExpected, readInputs, relErr } from "./_fixtures.ts";

await initEngine({ backend: "cpu" });

for (const name of CASES) {
  Deno.test(`wanForward() matches the official WanModel to ${CONFORMANCE_TOL.toExponential()} on the "${name}" fixture`, async () => {
    const model = await loadWanCheckpoint(`${FIXTURES}${name}`, { trainable: false });
    assert.equal(model.format, "wan");
    const { x, t, context } = await readInputs(name);
    const expected = await readExpected(name);
    const out = wanForward(model, { x, t, context });
    assert.deepEqual(out.shape, [1, ...expected.shape]);
    const err = relErr(out.dataSync(), expected.data);
    assert.ok(err < CONFORMANCE_TOL, `relative error ${err}`);
    tf.dispose([x, context, out, ...Object.values(model.params)]);
  });
}

Deno.test("a model with its norms' epsilon ×100 fails the conformance tolerance on every fixture", async () => {
  for (const name of CASES) {
    const model = await loadWanCheckpoint(`${FIXTURES}${name}`, { trainable: false });
    const { x, t, context } = await readInputs(name);
    const perturbed = { cfg: { ...model.cfg, eps: model.cfg.eps * 100 }, params: model.params };
    const out = wanForward(perturbed, { x, t, context });
    const err = relErr(out.dataSync(), (await readExpected(name)).data);
    assert.ok(err > 10 * CONFORMANCE_TOL, `${name}: relative error ${err}`);
    tf.dispose([x, context, out, ...Object.values(model.params)]);
  }
});

Deno.test("wan_forward CLI writes the official output for a checkpoint folder", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const outPath = `${dir}/out.safetensors`;
    await wanForwardCli([
      "--checkpoint",
      `${FIXTURES}odd`,
      "--inputs",
      `${FIXTURES}odd/inputs.safetensors`,
      "--out",
      outPath,
      "--backend",
      "cpu",
    ]);
    const { tensors } = await readSafetensors(outPath);
    const expected = await readExpected("odd");
    assert.deepEqual(tensors.out.shape, expected.shape);
    assert.ok(relErr(tensors.out.data, expected.data) < CONFORMANCE_TOL);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a diffusers-named copy of the weights loads by name and matches the official output", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const name of ["smoke", "plain"]) {
      const wan = await loadWanCheckpoint(`${FIXTURES}${name}`, { trainable: false });
      await saveWanCheckpoint(`${dir}/${name}`, wan, { format: "diffusers" });
      const header = (await readSafetensors(`${dir}/${name}/diffusion_pytorch_model.safetensors`)).tensors;
      assert.ok("condition_embedder.time_proj.weight" in header && "proj_out.weight" in header);
      assert.ok(!("time_projection.1.weight" in header));
      const model = await loadWanCheckpoint(`${dir}/${name}`, { trainable: false });
      assert.equal(model.format, "diffusers");
      assert.deepEqual(model.cfg, wan.cfg);
      const { x, t, context } = await readInputs(name);
      const out = wanForward(model, { x, t, context });
      const err = relErr(out.dataSync(), (await readExpected(name)).data);
      assert.ok(err < CONFORMANCE_TOL, `${name}: relative error ${err}`);
      tf.dispose([x, context, out, ...Object.values(model.params), ...Object.values(wan.params)]);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("wanForward() on a batch of 2 equals the two official single runs", async () => {
  const model = await loadWanCheckpoint(`${FIXTURES}smoke`, { trainable: false });
  const a = await readInputs("smoke"), b = await readInputs("smoke", "_b");
  // Contexts of different lengths: pad a's with zero rows, which the DiT does anyway.
  const ca = tf.pad(a.context, [[0, 0], [0, b.context.shape[1]! - a.context.shape[1]!], [0, 0]]);
  const x = tf.concat([a.x, b.x]), context = tf.concat([ca, b.context]);
  const out = wanForward(model, { x, t: [a.t[0], b.t[0]], context });
  const [oa, ob] = tf.split(out, 2, 0);
  assert.ok(relErr(oa.dataSync(), (await readExpected("smoke")).data) < CONFORMANCE_TOL);
  assert.ok(relErr(ob.dataSync(), (await readExpected("smoke", "_b")).data) < CONFORMANCE_TOL);
  const single = wanForward(model, { x: b.x, t: b.t, context: b.context });
  assert.ok(relErr(ob.dataSync(), single.dataSync()) < 1e-6);
  tf.dispose([a.x, a.context, b.x, b.context, ca, x, context, out, oa, ob, single, ...Object.values(model.params)]);
});

Deno.test("wanForward() is unchanged by explicit grid positions, by a global RoPE shift and by zero added tokens", async () => {
  const model = await loadWanCheckpoint(`${FIXTURES}odd`, { trainable: false });
  const { x, t, context } = await readInputs("odd");
  const grid: [number, number, number] = [4, 3, 2];
  const base = wanForward(model, { x, t, context });
  const explicit = wanForward(model, { x, t, context }, { positions: ropePositions(grid) });
  assert.deepEqual(Array.from(explicit.dataSync()), Array.from(base.dataSync()));
  // RoPE encodes only relative positions in q·k: shifting every token alike changes nothing.
  const shifted = wanForward(model, { x, t, context }, { positions: ropePositions(grid, { offset: [5, 7, 2] }) });
  assert.ok(relErr(shifted.dataSync(), base.dataSync()) < 1e-5);
  const zeros = tf.zeros([1, 24, model.cfg.dim]);
  const added = wanForward(model, { x, t, context }, { addTokens: zeros });
  assert.deepEqual(Array.from(added.dataSync()), Array.from(base.dataSync()));
  // A permuted position assignment is a different model input.
  const swapped = ropePositions(grid);
  swapped.set([3, 0, 0], 0);
  swapped.set([0, 0, 0], 3 * 18);
  const moved = wanForward(model, { x, t, context }, { positions: swapped });
  assert.ok(relErr(moved.dataSync(), base.dataSync()) > 1e-3);
  tf.dispose([x, context, base, explicit, shifted, zeros, added, moved, ...Object.values(model.params)]);
});

Deno.test("extra tokens and extra K/V that duplicate the video tokens leave the output unchanged", async () => {
  // Softmax over duplicated keys gives each original key the same weight, so
  // duplicates are a no-op: this checks the sequence concat, its RoPE positions,
  // the drop before the head, and the per-block K/V capture and injection.
  const model = await loadWanCheckpoint(`${FIXTURES}smoke`, { trainable: false });
  const { x, t, context } = await readInputs("smoke");
  const captures: KVCapture[] = Array.from({ length: model.cfg.num_layers }, () => ({}));
  const base = wanForward(model, { x, t, context }, { captureKV: captures });
  assert.ok(captures.every((c) => c.k && c.v && c.k.shape[1] === 18));
  const withKV = wanForward(model, { x, t, context }, { extraKV: captures.map((c) => ({ k: c.k!, v: c.v! })) });
  assert.ok(relErr(withKV.dataSync(), base.dataSync()) < 1e-5);
  const { tokens, grid } = patchEmbed(model.params, x);
  const withTokens = wanForward(model, { x, t, context }, { extraTokens: { tokens, positions: ropePositions(grid) } });
  assert.deepEqual(withTokens.shape, base.shape);
  assert.ok(relErr(withTokens.dataSync(), base.dataSync()) < 1e-5);
  const elsewhere = wanForward(model, { x, t, context }, {
    extraTokens: { tokens, positions: ropePositions(grid, { offset: [3, 0, 0] }) },
  });
  assert.ok(relErr(elsewhere.dataSync(), base.dataSync()) > 1e-3);
  tf.dispose([
    x,
    context,
    base,
    withKV,
    tokens,
    withTokens,
    elsewhere,
    ...captures.flatMap((c) => [c.k!, c.v!]),
    ...Object.values(model.params),
  ]);
});

Deno.test("wanModelFn() follows the (x, t, cond) contract and rejects unknown conditions", async () => {
  const model = await loadWanCheckpoint(`${FIXTURES}smoke`, { trainable: false });
  const { x, t, context } = await readInputs("smoke");
  const fn = wanModelFn(model);
  const tt = tf.tensor1d(t);
  const out = fn(x, tt, { context });
  assert.ok(relErr(out.dataSync(), (await readExpected("smoke")).data) < CONFORMANCE_TOL);
  assert.throws(() => fn(x, tt, { context, pose: x }), /pose/);
  assert.throws(() => fn(x, tf.tensor1d([1, 2]), { context }), /t must have shape \[1\]/);
  tf.dispose([x, context, tt, out, ...Object.values(model.params)]);
});

Deno.test("every DiT parameter receives a finite, non-zero gradient", async () => {
  const model = await loadWanCheckpoint(`${FIXTURES}smoke`);
  const { x, t, context } = await readInputs("smoke");
  const { value, grads } = tf.variableGrads(() =>
    tf.mean(tf.square(wanForward(model, { x, t, context }))) as tf.Scalar
  );
  assert.deepEqual(Object.keys(grads).length, Object.keys(model.params).length);
  for (const [name, v] of Object.entries(model.params)) {
    const g = grads[v.name].dataSync();
    assert.ok(g.every(Number.isFinite), `${name}: non-finite gradient`);
    assert.ok(g.some((z) => z !== 0), `${name}: zero gradient`);
  }
  tf.dispose([value, x, context, ...Object.values(grads), ...Object.values(model.params)]);
});

Deno.test("wanForward() does not leak tensors", async () => {
  const model = await loadWanCheckpoint(`${FIXTURES}plain`, { trainable: false });
  const { x, t, context } = await readInputs("plain");
  const before = tf.memory().numTensors;
  const out = wanForward(model, { x, t, context });
  assert.equal(tf.memory().numTensors, before + 1);
  tf.dispose([out, x, context, ...Object.values(model.params)]);
});
