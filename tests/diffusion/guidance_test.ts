/**
 * The guidance kinds (lib/diffusion/guidance) and the sampler config: what each
 * kind checks, what it needs at run time, and the velocity it gives, by hand.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import {
  autoguidance,
  cfgGuidance,
  checkSamplerConfig,
  type Cond,
  flowSigmas,
  GUIDANCE_KINDS,
  guidanceKind,
  type GuidanceConfig,
  sameSampler,
  sample,
  type SamplerConfig,
} from "../../lib/diffusion/mod.ts";

await initEngine({ backend: "cpu" });

/** A model with velocity 2 on context 1, 1 on context 0 and `other` without a context, counting its calls. */
function constantModel(other = 1) {
  const calls: (number | undefined)[] = [];
  const model = (x: tf.Tensor, _t: tf.Tensor, cond: Cond) => {
    const c = cond.context?.dataSync()[0];
    calls.push(c);
    return tf.fill(x.shape, c === 1 ? 2 : c === 0 ? 1 : other);
  };
  return { model, calls };
}

Deno.test("every guidance kind of GuidanceConfig has an entry, and an unknown kind is refused with the known ones", () => {
  assert.deepEqual(Object.keys(GUIDANCE_KINDS), ["none", "cfg", "autoguidance"]);
  assert.throws(() => guidanceKind({ kind: "pag", scale: 2 } as unknown as GuidanceConfig), /guidance \{"kind":"pag","scale":2\}: expected kind "none", "cfg", "autoguidance"/);
  assert.throws(() => guidanceKind(undefined as unknown as GuidanceConfig), /expected kind/);
  assert.throws(
    () => guidanceKind({ kind: "cfg", scale: 3, drop: ["context"], guide: "x" } as unknown as GuidanceConfig),
    /guidance kind "cfg" and field "guide": expected only kind, scale, drop/,
  );
});

Deno.test("cfg and autoguidance check their fields and name the value received", () => {
  assert.throws(() => cfgGuidance.check({ kind: "cfg", scale: NaN, drop: ["context"] }), /guidance.scale must be finite: received NaN/);
  assert.throws(() => cfgGuidance.check({ kind: "cfg", scale: 2, drop: [] }), /guidance.drop must name the Cond entries it drops .*: received \[\]/);
  const auto = { kind: "autoguidance", scale: 2, guide: "results/g/0", caption: "same" } as const;
  autoguidance.check(auto);
  assert.throws(() => autoguidance.check({ ...auto, cfg: Infinity }), /guidance.cfg must be finite: received Infinity/);
  assert.throws(() => autoguidance.check({ ...auto, guide: "" }), /guidance.guide must name the guiding model: received ""/);
  assert.throws(() => autoguidance.check({ ...auto, caption: "none" as "same" }), /guidance.caption must be "same" or "empty": received "none"/);
});

Deno.test("autoguidance refuses to run without its guide, or without the unconditional Cond its cfg term needs", () => {
  const { model } = constantModel();
  const noise = tf.zeros([1, 1, 1, 1, 1]), context = tf.ones([1, 1]);
  const before = tf.memory().numTensors;
  const auto = { kind: "autoguidance", scale: 2, guide: "results/g/0", caption: "same" } as const;
  const run = (guidance: GuidanceConfig, guide?: { model: typeof model; cond: Cond }) =>
    sample(model, noise, { sampler: { solver: "euler", steps: 2, shift: 1, guidance }, cond: { context }, guide });
  assert.throws(() => run(auto), /autoguidance by results\/g\/0: expected guide inputs \{ model, cond \}/);
  assert.throws(() => run({ ...auto, cfg: 3 }, { model, cond: { context } }), /classifier-free guidance 3 to autoguidance: expected guide inputs with uncond/);
  assert.strictEqual(tf.memory().numTensors, before);
  tf.dispose([noise, context]);
});

Deno.test("autoguidance at scale 1 with cfg is classifier-free guidance alone: v = v_c + (cfg − 1)·(v_c − v_u), the guide never called", () => {
  const main = constantModel(), guide = constantModel(-7);
  const noise = tf.tensor([0.25], [1, 1, 1, 1, 1]);
  const context = tf.ones([1, 1]), nullContext = tf.zeros([1, 1]);
  const x = sample(main.model, noise, {
    sampler: { solver: "euler", steps: 2, shift: 1, guidance: { kind: "autoguidance", scale: 1, guide: "g", caption: "same", cfg: 3 } },
    cond: { context },
    guide: { model: guide.model, cond: { context }, uncond: { context: nullContext } },
  });
  // v = 2 + 2·(2 − 1) = 4 at both steps; Euler integrates a constant exactly from σ_0 to 0.
  const s0 = flowSigmas(2, { shift: 1 }).sigmas[0];
  assert.ok(Math.abs(x.dataSync()[0] - (0.25 - 4 * s0)) < 1e-5, `${x.dataSync()[0]}`);
  assert.deepEqual(guide.calls, []);
  assert.deepEqual(main.calls, [1, 0, 1, 0]);
  tf.dispose([x, noise, context, nullContext]);
});

Deno.test("checkSamplerConfig() names each malformed field, prefixed with where it was read", () => {
  const ok: SamplerConfig = { solver: "unipc", steps: 20, shift: 1, guidance: { kind: "none" }, interval: null, init: null };
  checkSamplerConfig(ok);
  checkSamplerConfig({ ...ok, interval: { min: 0.2, max: 0.85 }, init: { strength: 0.6 } });
  const bad: [Partial<SamplerConfig>, RegExp][] = [
    [{ steps: 2.5 }, /steps must be an integer >= 1: received 2.5/],
    [{ shift: 0 }, /shift must be a number > 0: received 0/],
    [{ solver: "dpm" as "unipc" }, /solver must be "euler" or "unipc": received "dpm"/],
    [{ guidance: { kind: "cfg", scale: 2, drop: "context" as unknown as string[] } }, /guidance.drop must name/],
    [{ interval: { min: 0.9, max: 0.1 } }, /guidance interval \[0.9, 0.1\]: expected finite 0 <= min <= max/],
    [{ init: { strength: 0 } }, /strength 0: expected a number in \(0, 1\]/],
    [{ init: { strength: 0.04 } }, /strength 0.04 and 20 steps: it takes .* = 0 steps \(expected strength >= 0.05\)/],
  ];
  for (const [change, message] of bad) {
    assert.throws(() => checkSamplerConfig({ ...ok, ...change }), message, JSON.stringify(change));
  }
  assert.throws(() => checkSamplerConfig({ ...ok, steps: 0 }, "In run 3, sampling.sampler"), /^RangeError: In run 3, sampling.sampler: Cannot sample as steps must be/);
  assert.throws(() => checkSamplerConfig(null as unknown as SamplerConfig), /sampler null: expected an object/);
});

Deno.test("sameSampler() compares field by field, absent interval and init the same as null, in any key order", () => {
  const a: SamplerConfig = { solver: "unipc", steps: 20, shift: 1, guidance: { kind: "autoguidance", scale: 3, guide: "g", caption: "same" } };
  const b = JSON.parse(`{"init":null,"guidance":{"caption":"same","guide":"g","scale":3,"kind":"autoguidance"},"shift":1,"steps":20,"solver":"unipc"}`);
  assert.ok(sameSampler(a, b));
  assert.ok(!sameSampler(a, { ...a, guidance: { ...a.guidance, cfg: 3 } as GuidanceConfig }));
  assert.ok(!sameSampler(a, { ...a, interval: { min: 0, max: 1 } }));
  assert.ok(!sameSampler(a, { ...a, steps: 21 }));
});

Deno.test("sample() with init needs the data to start from", () => {
  const noise = tf.zeros([1, 1, 1, 1, 1]);
  assert.throws(
    () => sample((x) => x, noise, { sampler: { solver: "euler", steps: 4, shift: 1, guidance: { kind: "none" }, init: { strength: 0.5 } }, cond: {} }),
    /sampler.init is set and no x0 was given: expected x0 of shape \[1,1,1,1,1\]/,
  );
  noise.dispose();
});
