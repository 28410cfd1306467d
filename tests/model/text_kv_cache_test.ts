import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { loadWanCheckpoint, TextKVCache, wanForward } from "../../lib/model/mod.ts";
import { CONFORMANCE_TOL, FIXTURES, readExpected, readInputs, relErr } from "./_fixtures.ts";

await initEngine({ backend: "cpu" });

Deno.test("a forward pass through a TextKVCache still matches the official WanModel, and the second call hits", async () => {
  const model = await loadWanCheckpoint(`${FIXTURES}smoke`, { trainable: false });
  const { x, t, context } = await readInputs("smoke");
  const expected = await readExpected("smoke");
  const cache = new TextKVCache();
  const plain = wanForward(model, { x, t, context });
  for (let call = 0; call < 2; call++) {
    const out = wanForward(model, { x, t, context }, { textCache: cache });
    assert.ok(relErr(out.dataSync(), expected.data) < CONFORMANCE_TOL);
    assert.deepEqual(out.dataSync(), plain.dataSync(), `call ${call}: the same values as without a cache`);
    out.dispose();
  }
  assert.deepEqual([cache.hits, cache.misses], [1, 1]);
  cache.dispose();
  tf.dispose([plain, x, context, ...Object.values(model.params)]);
});

Deno.test("a TextKVCache is bypassed under a gradient tape: every text-side weight keeps its gradient", async () => {
  const model = await loadWanCheckpoint(`${FIXTURES}smoke`);
  const { x, t, context } = await readInputs("smoke");
  const cache = new TextKVCache();
  wanForward(model, { x, t, context }, { textCache: cache }).dispose(); // filled outside the tape
  const loss = (textCache?: TextKVCache) => () =>
    tf.mean(tf.square(wanForward(model, { x, t, context }, { textCache }))) as tf.Scalar;
  const withCache = tf.variableGrads(loss(cache));
  const without = tf.variableGrads(loss());
  assert.deepEqual([cache.hits, cache.misses], [0, 1]);
  for (const name of ["text_embedding.0.weight", "blocks.0.cross_attn.k.weight", "blocks.1.cross_attn.v.bias"]) {
    const v = model.params[name];
    const g = withCache.grads[v.name].dataSync();
    assert.ok(g.some((z) => z !== 0), `${name}: zero gradient`);
    assert.deepEqual(g, without.grads[v.name].dataSync(), name);
  }
  tf.dispose([withCache.value, without.value, ...Object.values(withCache.grads), ...Object.values(without.grads)]);
  cache.dispose();
  tf.dispose([x, context, ...Object.values(model.params)]);
});

Deno.test("a TextKVCache recomputes after a text-side weight is assigned or for another context tensor", async () => {
  const model = await loadWanCheckpoint(`${FIXTURES}smoke`);
  const { x, t, context } = await readInputs("smoke");
  const cache = new TextKVCache();
  const run = (ctx: tf.Tensor) => {
    const a = wanForward(model, { x, t, context: ctx }, { textCache: cache });
    const b = wanForward(model, { x, t, context: ctx });
    assert.deepEqual(a.dataSync(), b.dataSync());
    tf.dispose([a, b]);
  };
  run(context);
  const k = model.params["blocks.1.cross_attn.k.weight"];
  k.assign(tf.mul(k, 1.5)); // an optimizer step on the text side
  const live = tf.memory().numTensors;
  run(context);
  assert.equal(tf.memory().numTensors, live, "the stale entry is freed as the new one is stored");
  const other = tf.mul(context, -1);
  run(other);
  assert.deepEqual([cache.hits, cache.misses], [0, 3]);
  run(other);
  run(context); // a guided sampler's two prompts alternate: both stay (capacity 2)
  assert.deepEqual([cache.hits, cache.misses], [2, 3]);
  assert.throws(() => new TextKVCache({ capacity: 0 }), /capacity must be an integer >= 1: received 0/);
  const before = tf.memory().numTensors;
  cache.dispose();
  assert.ok(tf.memory().numTensors < before, "dispose frees the cached K/V");
  tf.dispose([other, x, context, ...Object.values(model.params)]);
});
