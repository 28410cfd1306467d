/**
 * The `deno task bench` benchmark (tools/bench/wan_bench.ts) and its PyTorch
 * references (wan_step_torch.py, finetune_step_torch.py): each reference
 * computes the same function as lib/model (velocity, loss and every gradient
 * for the same weights); the bench alternates the two sides' blocks over the
 * rounds and its JSON holds each configuration's rounds, best, median and
 * spread, each side's best, the ratios of the bests, FLOP rates, a stable
 * tensor count and a finite loss. No timing is asserted.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../../lib/engine/mod.ts";
import { BENCH_CASES, wanBench } from "../../../tools/bench/wan_bench.ts";
import { flowMatching } from "../../../lib/diffusion/flow_matching.ts";
import { flowMatchingLoss } from "../../../lib/diffusion/flow_matching_loss.ts";
import { readSafetensors, writeSafetensors } from "../../../lib/io/safetensors.ts";
import {
  countParams,
  getPreset,
  MODEL_PRESETS,
  wanForward,
  wanModelFn,
  wanParamShapes,
} from "../../../lib/model/mod.ts";
import { DESIGN_PRESETS, designParamShapes, resolveTrainable } from "../../../lib/model/designs/mod.ts";
import { finetuneCheck, FinetuneCheckError } from "../../../tools/bench/_finetune_check.ts";
import { finetuneStepInputs } from "../../../tools/bench/_finetune_step_inputs.ts";
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
const TORCH_SKIP = skipWhen(missing ? `PyTorch is not importable by /usr/bin/python3: ${missing}` : null)
  ? missing
  : null;

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

/** A tiny benchmark: wan-smoke on the cpu backend, one timed step per block. */
const tiny = (o: Parameters<typeof wanBench>[0]) =>
  wanBench({ preset: "wan-smoke", backend: "cpu", batch: 1, latent: [2, 4, 4], runs: 1, warmup: 0, ...o });

Deno.test("wanBench() alternates ours at 1 and 2 threads over the rounds and reports each one's rounds, best, median and spread", async () => {
  const r = await tiny({ threads: [1, 2], rounds: 2, torch: [] });
  // Round 0 in order, round 1 reversed.
  assert.deepEqual(r.blocks.map((b) => `${b.round}:${b.side}${b.config}`), [
    "0:ours1",
    "0:ours2",
    "1:ours2",
    "1:ours1",
  ]);
  assert.deepEqual(Object.keys(r.ours), ["1", "2"]);
  for (const [config, s] of Object.entries(r.ours)) {
    const mine = r.blocks.filter((b) => b.config === config);
    assert.deepEqual(s.train.rounds, mine.map((b) => b.train_ms), "rounds in round order");
    assert.equal(s.train.best, Math.min(...s.train.rounds));
    assert.equal(s.sample.best, Math.min(...s.sample.rounds));
    assert.ok(s.train.spread >= 0 && s.train_cpu.best > 0 && s.tensors_stable && Number.isFinite(s.last_loss));
  }
  const best = Math.min(r.ours["1"].train.best, r.ours["2"].train.best);
  assert.equal(r.train_step_ms, best);
  assert.equal(r.train_step.best, best);
  assert.equal(r.ours[r.train_step.config].train.best, best);
  assert.equal(r.sample_step_ms, Math.min(r.ours["1"].sample.best, r.ours["2"].sample.best));
  assert.equal(r.case, "wan");
  assert.equal(r.params, countParams(MODEL_PRESETS["wan-smoke"]));
  assert.equal(r.trainable_params, r.params);
  assert.deepEqual([r.latent, r.context, r.tokens, r.reference_tokens], [[4, 2, 4, 4], [1, 8, 16], 8, 0]);
  assert.ok(r.tensors_stable);
  assert.equal(r.gflops.train, r.flops.train / (r.train_step_ms * 1e6));
  assert.equal(r.sgemm_peak_gflops, null, "no OpenBLAS peak off the blas backend");
  // Ours alone: no PyTorch figures, and the report says why.
  assert.equal(r.torch, null);
  assert.match(r.torch_note!, /--no-torch/);
  for (
    const k of [
      "torch_train_step_ms",
      "torch_sample_step_ms",
      "train_ratio",
      "sample_ratio",
      "train_ratio_median",
    ] as const
  ) {
    assert.equal(r[k], null, k);
  }
  assert.deepEqual(JSON.parse(JSON.stringify(r)).blocks, r.blocks, "the report is plain JSON");
});

Deno.test("wanBench() --case finetune times the part fine-tune of the concat design with reference tokens and poses", async () => {
  const r = await tiny({ case: "finetune", channels: 4, batch: 2, threads: [1], rounds: 1, torch: [] });
  const cfg = { ...MODEL_PRESETS["wan-smoke"], in_dim: 4, out_dim: 4 };
  const design = DESIGN_PRESETS["part-finetune"].design;
  const shapes = designParamShapes(cfg, design, { scope: "part" });
  const trainable = new Set(resolveTrainable(design, shapes.map(([n]) => n), "part"));
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  assert.equal(r.case, "finetune");
  assert.equal(r.params, shapes.reduce((a, [, s]) => a + size(s), 0));
  assert.equal(r.trainable_params, shapes.filter(([n]) => trainable.has(n)).reduce((a, [, s]) => a + size(s), 0));
  assert.ok(r.trainable_params < r.params);
  assert.deepEqual([r.tokens, r.reference_tokens], [8, 4]);
  assert.ok(r.flops.train < 3 * r.flops.sample, "part fine-tuning's backward is cheaper than full training's");
  assert.ok(r.tensors_stable && Number.isFinite(r.ours["1"].last_loss));
  assert.equal(r.check, null, "no PyTorch, no check");
});

Deno.test("the finetune case's default step is the ablation's: wan-toy on 16 latent channels, micro-batch 8, 9×32×32 clips, pose projection at zero", async () => {
  await initEngine({ backend: "cpu" });
  const d = BENCH_CASES.finetune;
  assert.deepEqual(d, { preset: "wan-toy", batch: 8, latent: [3, 8, 8], channels: 16 });
  const step = finetuneStepInputs(getPreset(d.preset), {
    batch: d.batch,
    latent: d.latent,
    channels: d.channels,
    seed: 0,
  });
  try {
    assert.deepEqual(step.batch.x0.shape, [8, 16, 3, 8, 8]);
    assert.deepEqual(step.batch.reference.shape, [8, 16, 1, 8, 8]);
    assert.deepEqual(step.batch.pose.shape, [8, 48, 3, 8, 8]);
    assert.deepEqual(step.batch.context.shape, [8, 128, 64]);
    // experiments/model_design.ts: part fine-tuning trains 314,752 values of wan-toy.
    assert.equal(step.trainable.reduce((a, n) => a + step.params[n].size, 0), 314_752);
    assert.equal(
      tf.max(tf.abs(step.params["pose_proj.weight"])).dataSync()[0],
      0,
      "the pose projection starts at zero",
    );
  } finally {
    step.dispose();
  }
});

Deno.test({
  name:
    "finetune_step_torch.py computes the concat design's velocity, loss and every trainable gradient for the same weights",
  ignore: TORCH_SKIP != null,
  fn: async () => {
    await initEngine({ backend: "cpu" });
    const step = finetuneStepInputs(MODEL_PRESETS["wan-smoke"], { batch: 2, latent: [2, 4, 4], channels: 4, seed: 3 });
    try {
      const check = await finetuneCheck(step);
      assert.equal(check.tensors, step.trainable.length + 2, "velocity, loss and one gradient per trainable parameter");
      assert.ok(check.max_rel_err < 1e-4, JSON.stringify(check));
      assert.ok(Math.abs(check.loss.ours - check.loss.torch) < 1e-5 * check.loss.torch);
    } finally {
      step.dispose();
    }
  },
});

Deno.test({
  name: "finetuneCheck() fails loudly, naming each tensor and its error, when the reference is off the tolerance",
  ignore: TORCH_SKIP != null,
  fn: async () => {
    await initEngine({ backend: "cpu" });
    const step = finetuneStepInputs(MODEL_PRESETS["wan-smoke"], { batch: 1, latent: [1, 2, 2], channels: 4, seed: 4 });
    try {
      await assert.rejects(
        finetuneCheck(step, { tolerance: 1e-12 }),
        (e: Error) =>
          e instanceof FinetuneCheckError && /exceed the relative error 1e-12: \S+ \d\.\d+e-\d+/.test(e.message),
      );
    } finally {
      step.dispose();
    }
  },
});

Deno.test({
  name: "wanBench() with PyTorch interleaves the sides A/B/A/B and its ratios are ours / PyTorch of the bests",
  ignore: TORCH_SKIP != null,
  fn: async () => {
    const r = await tiny({ threads: [1], torch: ["1", "1:free"], rounds: 2 });
    assert.deepEqual(r.blocks.map((b) => `${b.side}${b.config}`), [
      "ours1",
      "torch1",
      "torch1:free",
      "torch1:free",
      "torch1",
      "ours1",
    ]);
    const t = r.torch!;
    assert.deepEqual(Object.keys(t), ["1", "1:free"]);
    assert.equal(t["1"].params, r.params, "the PyTorch reference has the same parameter count");
    const torchBest = Math.min(t["1"].train.best, t["1:free"].train.best);
    assert.equal(r.torch_train_step_ms, torchBest);
    assert.equal(r.train_ratio, r.train_step_ms / torchBest);
    assert.equal(r.sample_ratio, r.sample_step_ms / r.torch_sample_step_ms!);
    assert.equal(r.train_ratio_median, r.train_step.median / r.torch_train_step!.median);
    assert.equal(r.gflops.torch_train, r.flops.train / (torchBest * 1e6));
    assert.equal(r.check, null, "the wan case has no design to check");
  },
});

Deno.test({
  name: "wanBench() --case finetune with PyTorch checks the reference first and times the same parameter count",
  ignore: TORCH_SKIP != null,
  fn: async () => {
    const r = await tiny({ case: "finetune", channels: 4, threads: [1], torch: ["1"], rounds: 1 });
    assert.ok(r.check !== null && r.check.max_rel_err < 1e-4, JSON.stringify(r.check));
    assert.equal(r.torch!["1"].params, r.params);
    assert.deepEqual(r.blocks.map((b) => b.side), ["ours", "torch"]);
    assert.equal(r.train_ratio, r.train_step_ms / r.torch_train_step_ms!);
  },
});

Deno.test("wanBench() rejects impossible options naming the received value", async () => {
  await assert.rejects(wanBench({ preset: "wan-smoke", runs: 0 }), /runs must be an integer >= 1: received 0/);
  await assert.rejects(wanBench({ preset: "wan-smoke", batch: 1.5 }), /batch must be an integer >= 1: received 1.5/);
  await assert.rejects(wanBench({ preset: "wan-smoke", threads: [0] }), /thread count must be an integer >= 1/);
  await assert.rejects(
    wanBench({ preset: "wan-smoke", torch: ["2:pinned"] }),
    /"N" or "N:free" with N >= 1: received "2:pinned"/,
  );
  await assert.rejects(wanBench({ preset: "wan-smoke", channels: 16 }), /channels in the wan case/);
  // @ts-expect-error: not a case
  await assert.rejects(wanBench({ case: "lora" }), /Unknown bench case "lora"/);
  await assert.rejects(wanBench({ preset: "nope" }), /Unknown model preset "nope"/);
});

Deno.test("the bench CLI prints the report as JSON and the per-kernel profile, and rejects unknown flags and values", async () => {
  const run = (args: string[]) =>
    new Deno.Command(Deno.execPath(), { args: ["run", "-A", BENCH, ...args], stdout: "piped", stderr: "piped" })
      .output();
  const small = ["--preset", "wan-smoke", "--batch", "1", "--frames", "2", "--height", "4", "--width", "4"];
  const r = await run(
    [...small, "--backend", "cpu", "--threads", "1", "--rounds", "1", "--runs", "1", "--warmup", "0"].concat([
      "--no-torch",
      "--json",
      "--profile",
    ]),
  );
  const stderr = new TextDecoder().decode(r.stderr);
  assert.ok(r.success, stderr);
  const report = JSON.parse(new TextDecoder().decode(r.stdout));
  for (
    const k of [
      "train_step_ms",
      "sample_step_ms",
      "torch_train_step_ms",
      "torch_sample_step_ms",
      "train_ratio",
      "sample_ratio",
    ]
  ) {
    assert.ok(k in report, `--json has ${k}`);
  }
  assert.equal(report.preset, "wan-smoke");
  assert.equal(report.torch, null);
  assert.match(report.torch_note, /--no-torch/);
  assert.ok(report.profile.train.some((k: { name: string }) => k.name === "BatchMatMul"));
  assert.match(stderr, /round 1\/1 ours 1: train \d/);
  assert.match(stderr, /== train step\nbackend cpu: .* ms wall/);
  for (
    const [args, message] of [
      [["--backend", "gpu9"], /Unknown --backend "gpu9"/],
      [["--case", "lora"], /Unknown --case "lora"/],
      [["--torch-threads", "1"], /Unknown flag --torch-threads/],
      [["--frames", "2"], /give --frames, --height and --width together/],
    ] as const
  ) {
    const bad = await run([...args]);
    assert.equal(bad.success, false);
    assert.match(new TextDecoder().decode(bad.stderr), message);
  }
});
