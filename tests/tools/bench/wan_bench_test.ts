/**
 * The `deno task bench` benchmark (tools/bench/wan_bench.ts) and its
 * PyTorch reference (wan_step_torch.py): the reference computes the same
 * function as lib/model (velocity, loss and every gradient for the same
 * weights), and the report's figures are consistent (ratios = ours / best
 * torch, stable tensor count, finite loss). No timing is asserted.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../../lib/engine/mod.ts";
import { wanBench } from "../../../tools/bench/wan_bench.ts";
import { flowMatching } from "../../../lib/diffusion/flow_matching.ts";
import { flowMatchingLoss } from "../../../lib/diffusion/flow_matching_loss.ts";
import { readSafetensors, writeSafetensors } from "../../../lib/io/safetensors.ts";
import { countParams, MODEL_PRESETS, wanForward, wanModelFn, wanParamShapes } from "../../../lib/model/mod.ts";
import { Prng } from "../../../lib/random/mod.ts";
import { skipWhen } from "../../_skip.ts";

const SCRIPT = new URL("../../../tools/bench/wan_step_torch.py", import.meta.url).pathname;
const BENCH = new URL("../../../tools/bench/wan_bench.ts", import.meta.url).pathname;

async function torchMissing(): Promise<string | null> {
  try {
    const r = await new Deno.Command("/usr/bin/python3", { args: ["-c", "import torch"], stderr: "piped" }).output();
    return r.success ? null : new TextDecoder().decode(r.stderr).trim().split("\n").at(-1)!;
  } catch (e) {
    return (e as Error).message;
  }
}
const missing = await torchMissing();
/** Why the PyTorch half is skipped (PyTorch is optional: `pip install torch`), or null. */
const TORCH_SKIP = skipWhen(missing ? `PyTorch is not importable by /usr/bin/python3: ${missing}` : null) ? missing : null;

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let diff = 0, scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

Deno.test({
  name: "wan_step_torch.py computes lib/model's velocity, loss and every gradient for the same weights (wan-smoke)",
  ignore: TORCH_SKIP != null,
  fn: async () => {
    await initEngine({ backend: "cpu" });
    const cfg = MODEL_PRESETS["wan-smoke"];
    const prng = new Prng(31);
    // Weights away from the zero-initialised head, so every gradient is non-trivial.
    const params: Record<string, tf.Variable> = {};
    const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
    for (const [name, shape] of wanParamShapes(cfg)) {
      const n = shape.reduce((a, b) => a * b, 1);
      const v = prng.normals(n);
      const fanIn = shape.length >= 2 ? n / shape[0] : 1;
      const norm = /norm/.test(name) && name.endsWith(".weight");
      for (let i = 0; i < n; i++) v[i] = norm ? 1 + 0.2 * v[i] : v[i] / Math.sqrt(fanIn);
      params[name] = tf.tidy(() => tf.variable(tf.tensor(v, shape), true));
      tensors[name] = { shape, data: v };
    }
    const shape = [2, cfg.in_dim, 2, 4, 6];
    const size = shape.reduce((a, b) => a * b, 1);
    const inputs = {
      __x0: { shape, data: prng.normals(size) },
      __noise: { shape, data: prng.normals(size) },
      __sigma: { shape: [2], data: new Float32Array([0.3, 0.8]) },
      __context: { shape: [2, 5, cfg.text_dim], data: prng.normals(2 * 5 * cfg.text_dim) }, // padded to text_len inside
    };
    const dir = await Deno.makeTempDir();
    try {
      await writeSafetensors(`${dir}/in.safetensors`, { ...tensors, ...inputs });
      const r = await new Deno.Command("/usr/bin/python3", {
        args: [SCRIPT, "--config", JSON.stringify(cfg), "--check", `${dir}/in.safetensors`, `${dir}/out.safetensors`],
        env: { OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1" },
        stderr: "piped",
      }).output();
      assert.ok(r.success, new TextDecoder().decode(r.stderr));
      const torch = (await readSafetensors(`${dir}/out.safetensors`)).tensors;

      const [x0, noise, context] = [inputs.__x0, inputs.__noise, inputs.__context].map((t) =>
        tf.tensor(t.data, t.shape)
      );
      const sigma = Array.from(inputs.__sigma.data);
      const xt = flowMatching.noisy(x0, noise, sigma);
      const v = wanForward({ cfg, params }, { x: xt, t: sigma.map((s) => 1000 * s), context });
      assert.ok(relErr(v.dataSync(), torch.__v.data) < 1e-4, `velocity: ${relErr(v.dataSync(), torch.__v.data)}`);
      const names = Object.keys(params);
      const { value, grads } = tf.variableGrads(
        () => flowMatchingLoss(wanModelFn({ cfg, params }), x0, { sigma, noise, cond: { context } }).loss,
        names.map((n) => params[n]),
      );
      assert.ok(Math.abs(value.dataSync()[0] - torch.__loss.data[0]) < 1e-5 * torch.__loss.data[0]);
      assert.equal(Object.keys(torch).length, names.length + 2, "one gradient per parameter");
      for (const n of names) {
        const err = relErr(grads[params[n].name].dataSync(), torch[n].data);
        assert.ok(err < 1e-4, `${n}: relative error ${err}`);
      }
      tf.dispose([x0, noise, context, xt, v, value, ...Object.values(grads), ...Object.values(params)]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** A wan-smoke benchmark small enough for a test, timing PyTorch at `torchThreads`. */
const smallBench = (torchThreads: number[]) =>
  wanBench({ preset: "wan-smoke", backend: "cpu", batch: 2, latent: [2, 4, 4], runs: 2, warmup: 1, torchThreads });

Deno.test("wanBench() reports medians, a stable tensor count and a finite loss, and no ratios without PyTorch", async () => {
  const r = await smallBench([]);
  assert.equal(r.backend, "cpu");
  assert.deepEqual(r.latent, [4, 2, 4, 4]);
  assert.deepEqual(r.context, [2, 8, 16]);
  assert.equal(r.tokens, 8);
  assert.equal(r.params, countParams(MODEL_PRESETS["wan-smoke"]));
  assert.ok(r.tensors.stable && r.tensors.after_steps.length === 4, JSON.stringify(r.tensors));
  assert.ok(Number.isFinite(r.last_loss) && r.last_loss > 0);
  for (const t of [r.train, r.sample]) assert.ok(t.wall_median > 0 && t.wall_min <= t.wall_median && t.cpu_median > 0);
  assert.equal(r.train_step_ms, r.train.wall_median);
  assert.equal(r.sample_step_cpu_ms, r.sample.cpu_median);
  assert.equal(r.load_average.start.length, 3);
  assert.equal(r.torch, null);
  assert.equal(r.train_ratio, null);
});

Deno.test({
  name: "wanBench() with PyTorch reports ratios = ours / best PyTorch for a reference of the same parameter count",
  ignore: TORCH_SKIP != null,
  fn: async () => {
    const r = await smallBench([1]);
    const [t] = r.torch!;
    assert.equal(t.threads, 1);
    assert.equal(t.params, r.params, "the PyTorch reference has the same parameter count");
    assert.equal(r.torch_train_step_ms, t.train_step.wall_median);
    assert.equal(r.train_ratio, r.train_step_ms / t.train_step.wall_median);
    assert.equal(r.sample_ratio_cpu, r.sample_step_cpu_ms / t.sample_step.cpu_median);
  },
});

Deno.test("wanBench() rejects impossible options naming the received value", async () => {
  await assert.rejects(wanBench({ preset: "wan-smoke", runs: 0 }), /runs must be an integer >= 1: received 0/);
  await assert.rejects(wanBench({ preset: "wan-smoke", batch: 1.5 }), /batch must be an integer >= 1: received 1.5/);
  await assert.rejects(wanBench({ preset: "wan-smoke", torchThreads: [0] }), /thread count must be an integer/);
  await assert.rejects(wanBench({ preset: "nope" }), /Unknown model preset "nope"/);
});

Deno.test("the bench CLI prints the report as JSON and the per-kernel profile, and rejects unknown flags' values", async () => {
  const run = (args: string[]) =>
    new Deno.Command(Deno.execPath(), { args: ["run", "-A", BENCH, ...args], stdout: "piped", stderr: "piped" })
      .output();
  const small = ["--preset", "wan-smoke", "--batch", "1", "--frames", "2", "--height", "4", "--width", "4"];
  const r = await run([
    ...small,
    "--backend",
    "cpu",
    "--runs",
    "1",
    "--warmup",
    "0",
    "--no-torch",
    "--json",
    "--profile",
  ]);
  const stderr = new TextDecoder().decode(r.stderr);
  assert.ok(r.success, stderr);
  const report = JSON.parse(new TextDecoder().decode(r.stdout));
  assert.equal(report.preset, "wan-smoke");
  assert.equal(report.torch, null);
  assert.match(report.torch_note, /--no-torch/);
  assert.ok(report.profile.train.some((k: { name: string }) => k.name === "BatchMatMul"));
  assert.match(stderr, /== train step\nbackend cpu: .* ms wall/);
  const bad = await run([...small, "--backend", "gpu9"]);
  assert.equal(bad.success, false);
  assert.match(new TextDecoder().decode(bad.stderr), /Unknown --backend "gpu9"/);
});
