import assert from "node:assert/strict";
import { makeTimestepSampler, shiftSigma, timesteps } from "../../lib/diffusion/mod.ts";
import { Prng } from "../../lib/random/mod.ts";

const { uniform, lowNoiseWarmup, highNoiseWarmup, logitNormal } = timesteps;

/** A stand-in generator whose uniform() returns the given values in turn. */
function fixedPrng(values: number[]): Prng {
  let i = 0;
  return { uniform: () => values[i++ % values.length] } as unknown as Prng;
}

function moments(s: Float32Array): { mean: number; variance: number } {
  let m = 0;
  for (const v of s) m += v;
  m /= s.length;
  let v2 = 0;
  for (const v of s) v2 += (v - m) ** 2;
  return { mean: m, variance: v2 / (s.length - 1) };
}

/** Pearson chi-square of a histogram of s against the density p on `bins` equal bins of [0, 1]. */
function chiSquare(s: Float32Array, cdf: (x: number) => number, bins = 10): number {
  const counts = new Array(bins).fill(0);
  for (const v of s) counts[Math.min(bins - 1, Math.floor(v * bins))]++;
  let chi = 0;
  for (let k = 0; k < bins; k++) {
    const expected = s.length * (cdf((k + 1) / bins) - cdf(k / bins));
    chi += (counts[k] - expected) ** 2 / expected;
  }
  return chi;
}

Deno.test("lowNoiseWarmup() inverts F(s) = s + c(s − s²) exactly at hand-picked points", () => {
  // c = 1 (α = 1, i = 0): u = 0.75 → s = 1.5 / (2 + √1) = 0.5, and F(0.5) = 0.5 + 0.25 = 0.75.
  const a = lowNoiseWarmup(3, { prng: fixedPrng([0.75, 0, 0.999999]), alpha: 1, warmup: 100, iteration: 0 });
  assert.ok(Math.abs(a[0] - 0.5) < 1e-7);
  assert.strictEqual(a[1], 0);
  assert.ok(a[2] > 0.99 && a[2] <= 1);
  // c = 0.5 (α = 1, i = 50, τ = 100): u = 0.5 → s = 1 / (1.5 + √1.25) = 0.38196601…
  const b = lowNoiseWarmup(1, { prng: fixedPrng([0.5]), alpha: 1, warmup: 100, iteration: 50 });
  assert.ok(Math.abs(b[0] - 0.3819660112501051) < 1e-7, `${b[0]}`);
  // c = 0 once the warm-up is over: s = u.
  const c = lowNoiseWarmup(1, { prng: fixedPrng([0.3]), alpha: 1, warmup: 100, iteration: 250 });
  assert.strictEqual(c[0], Math.fround(0.3));
  // c = −1 (high-noise, α = −1, i = 0): p(s) = 2s, F(s) = s², u = 0.25 → s = 0.5; u = 0 → s = 0 (no 0/0).
  const d = highNoiseWarmup(2, { prng: fixedPrng([0.25, 0]), alpha: -1, warmup: 10, iteration: 0 });
  assert.deepStrictEqual(Array.from(d), [0.5, 0]);
});

Deno.test("warm-up samplers match the analytic mean 1/2 − c/6 and variance 1/12 − c²/36", () => {
  const n = 20000;
  const cases = [
    { draw: lowNoiseWarmup, alpha: 1, iteration: 0, c: 1 },
    { draw: lowNoiseWarmup, alpha: 0.6, iteration: 250, c: 0.45 }, // 0.6 · (1 − 250/1000)
    { draw: lowNoiseWarmup, alpha: 1, iteration: 1000, c: 0 },
    { draw: highNoiseWarmup, alpha: -1, iteration: 0, c: -1 },
    { draw: highNoiseWarmup, alpha: -0.8, iteration: 500, c: -0.4 },
  ];
  for (const { draw, alpha, iteration, c } of cases) {
    const s = draw(n, { prng: new Prng(7), alpha, warmup: 1000, iteration });
    const { mean, variance } = moments(s);
    const what = `${draw.name} α=${alpha} i=${iteration}`;
    // 5 standard errors: sd(mean) = √(Var/n) ≈ 0.002, sd(var) ≈ 0.0005.
    assert.ok(Math.abs(mean - (0.5 - c / 6)) < 0.01, `${what}: mean ${mean} vs ${0.5 - c / 6}`);
    assert.ok(Math.abs(variance - (1 / 12 - c * c / 36)) < 0.003, `${what}: var ${variance} vs ${1 / 12 - c * c / 36}`);
    assert.ok(s.every((v) => v >= 0 && v <= 1), `${what}: out of [0, 1]`);
    const chi = chiSquare(s, (x) => x + c * (x - x * x));
    assert.ok(chi < 30, `${what}: chi-square ${chi} on 9 dof`); // p ≈ 4e-4 under H0
  }
});

Deno.test("the chi-square check tells a warm-up density from the uniform one", () => {
  const s = lowNoiseWarmup(20000, { prng: new Prng(7), alpha: 0.5, warmup: 1000, iteration: 0 });
  assert.ok(chiSquare(s, (x) => x) > 100, "c = 0.5 samples must not pass as uniform");
});

Deno.test("uniform() and logitNormal() match their distributions", () => {
  const u = uniform(20000, { prng: new Prng(3) });
  const mu = moments(u);
  assert.ok(Math.abs(mu.mean - 0.5) < 0.01 && Math.abs(mu.variance - 1 / 12) < 0.003);
  assert.ok(chiSquare(u, (x) => x) < 30);
  const l = logitNormal(20000, { prng: new Prng(3), mean: -0.5, std: 0.8 });
  const logits = l.map((s) => Math.log(s / (1 - s)));
  const ml = moments(logits);
  assert.ok(Math.abs(ml.mean + 0.5) < 0.03, `logit mean ${ml.mean}`);
  assert.ok(Math.abs(Math.sqrt(ml.variance) - 0.8) < 0.03, `logit std ${Math.sqrt(ml.variance)}`);
});

Deno.test("samplers are deterministic for a seed and differ across seeds", () => {
  for (
    const config of [
      { kind: "uniform" },
      { kind: "low-noise-warmup", alpha: 1, warmup: 50 },
      { kind: "high-noise-warmup", alpha: -0.5, warmup: 50, shift: 3 },
      { kind: "logit-normal", mean: 0, std: 1 },
    ] as const
  ) {
    const draw = makeTimestepSampler(config);
    const a = draw(64, { prng: new Prng(11), iteration: 5 });
    const b = draw(64, { prng: new Prng(11), iteration: 5 });
    const c = draw(64, { prng: new Prng(12), iteration: 5 });
    assert.deepStrictEqual(a, b, config.kind);
    assert.notDeepStrictEqual(a, c, config.kind);
  }
});

Deno.test("makeTimestepSampler() applies the shift on top of the chosen sampler", () => {
  const plain = makeTimestepSampler({ kind: "low-noise-warmup", alpha: 1, warmup: 100 });
  const shifted = makeTimestepSampler({ kind: "low-noise-warmup", alpha: 1, warmup: 100, shift: 3 });
  const a = plain(32, { prng: new Prng(5), iteration: 10 });
  const b = shifted(32, { prng: new Prng(5), iteration: 10 });
  b.forEach((v, i) => assert.strictEqual(v, Math.fround(shiftSigma(a[i], 3))));
  // Iteration matters only for the warm-up samplers.
  const lo = plain(2000, { prng: new Prng(5), iteration: 0 });
  const late = plain(2000, { prng: new Prng(5), iteration: 100 });
  assert.ok(moments(lo).mean < 0.36 && Math.abs(moments(late).mean - 0.5) < 0.03);
});

Deno.test("makeTimestepSampler() rejects invalid configs with errors naming the field", () => {
  const bad: [unknown, RegExp][] = [
    [{ kind: "low-noise-warmup", alpha: 0, warmup: 10 }, /alpha must be in \(0, 1\]: received 0/],
    [{ kind: "low-noise-warmup", alpha: 1.5, warmup: 10 }, /alpha must be in \(0, 1\]: received 1.5/],
    [{ kind: "high-noise-warmup", alpha: 0.5, warmup: 10 }, /alpha must be in \[-1, 0\): received 0.5/],
    [{ kind: "high-noise-warmup", alpha: -1.01, warmup: 10 }, /alpha must be in \[-1, 0\): received -1.01/],
    [{ kind: "low-noise-warmup", alpha: 1, warmup: 0 }, /warmup must be a finite number > 0: received 0/],
    [{ kind: "logit-normal", mean: 0, std: 0 }, /std must be a finite number > 0: received 0/],
    [{ kind: "uniform", shift: -1 }, /shift must be a finite number > 0: received -1/],
    [
      { kind: "cosine" },
      /kind must be one of uniform, low-noise-warmup, high-noise-warmup, logit-normal: received "cosine"/,
    ],
  ];
  for (const [config, pattern] of bad) {
    assert.throws(
      () => makeTimestepSampler(config as never),
      (e: unknown) => e instanceof RangeError && pattern.test(e.message),
    );
  }
  const draw = makeTimestepSampler({ kind: "low-noise-warmup", alpha: 1, warmup: 10 });
  assert.throws(() => draw(4, { prng: new Prng(1), iteration: -1 }), /iteration must be an integer >= 0: received -1/);
  assert.throws(() => draw(1.5, { prng: new Prng(1), iteration: 0 }), /n must be an integer >= 0: received 1.5/);
  assert.throws(
    () => lowNoiseWarmup(1, { prng: new Prng(1), alpha: -0.5, warmup: 10, iteration: 0 }),
    /alpha must be in \(0, 1\]/,
  );
});

Deno.test("seeded draws keep their stored sums (the stream a run replays must not drift)", () => {
  const expected: [Parameters<typeof makeTimestepSampler>[0], number, number][] = [
    [{ kind: "uniform" }, 484.4075986626558, 0.23063310980796814],
    [{ kind: "low-noise-warmup", alpha: 1, warmup: 100 }, 336.72562942493096, 0.12930583953857422],
    [{ kind: "high-noise-warmup", alpha: -1, warmup: 100, shift: 3 }, 797.183057651855, 0.7135925889015198],
    [{ kind: "logit-normal", mean: 0, std: 1 }, 506.58245163038373, 0.7194164991378784],
  ];
  for (const [config, sum, first] of expected) {
    const s = makeTimestepSampler(config)(1000, { prng: new Prng(2025), iteration: 10 });
    assert.ok(Math.abs(s.reduce((a, b) => a + b, 0) - sum) < 1e-6, `${config.kind} sum`);
    assert.strictEqual(s[0], first, `${config.kind} first draw`);
  }
});
