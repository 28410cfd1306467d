import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { ensureOpenBlas, initEngine, profileKernels, registerBlasBackend } from "../../lib/engine/mod.ts";
import { BLAS_SKIP } from "./_compare.ts";

const ignore = BLAS_SKIP != null;

Deno.test({
  name: "initEngine({ backend: 'blas' }) records the OpenBLAS library, version, core type and threads",
  ignore,
}, async () => {
  const info = await initEngine({ backend: "blas", threads: 1 });
  assert.equal(info.backend, "blas");
  assert.equal(tf.getBackend(), "blas");
  assert.equal(info.threads, 1);
  assert.ok(info.blas, "blas info present");
  assert.match(info.blas!.version, /^\d+\.\d+\.\d+/);
  assert.ok(info.blas!.library.includes("openblas"), info.blas!.library);
  assert.ok(info.blas!.coreType.length > 0);
  assert.match(info.blas!.config, /OpenBLAS/);
});

Deno.test({ name: "initEngine() sets the OpenBLAS thread count it reports", ignore }, async () => {
  try {
    const info = await initEngine({ backend: "blas", threads: 2 });
    assert.equal(info.threads, 2);
  } finally {
    await initEngine({ backend: "blas", threads: 1 });
  }
});

Deno.test("initEngine() rejects a thread count that is not a positive integer", async () => {
  await assert.rejects(() => initEngine({ backend: "cpu", threads: 0 }), /threads must be an integer >= 1: received 0/);
  assert.throws(() => registerBlasBackend({ threads: 1.5 }), /received 1.5/);
});

Deno.test({ name: "every replaced kernel of the blas backend is not the stock cpu function", ignore }, () => {
  const info = registerBlasBackend({ threads: 1 });
  const replaced = [
    ...["BatchMatMul", "_FusedMatMul", "Conv2D", "FusedConv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter"],
    ...["Conv3D", "Conv3DBackpropInputV2", "Conv3DBackpropFilterV2", "Softmax", "Transpose"],
    ...["Add", "Sub", "Multiply", "RealDiv", "SquaredDifference", "Maximum", "Minimum", "Pow", "Prelu", "GreaterEqual"],
    ...["Sum", "Mean", "Max", "Min", "Exp", "Tanh", "Sigmoid", "Rsqrt", "Slice", "SplitV", "Concat", "PadV2", "Tile"],
  ];
  for (
    const name of replaced
  ) {
    assert.ok(info.kernels.includes(name), `${name} replaced`);
  }
  for (const name of info.kernels) {
    const cpu = tf.getKernel(name, "cpu");
    const blas = tf.getKernel(name, "blas");
    assert.ok(blas, `${name} registered for blas`);
    if (cpu) assert.notEqual(blas!.kernelFunc, cpu.kernelFunc, name);
  }
  // Every other cpu kernel is available under blas too.
  const missing = tf.getKernelsForBackend("cpu").filter((k) => !tf.getKernel(k.kernelName, "blas"));
  assert.deepEqual(missing.map((k) => k.kernelName), []);
});

Deno.test({ name: "ensureOpenBlas() returns the installed library and is idempotent", ignore }, async () => {
  const a = await ensureOpenBlas();
  const b = await ensureOpenBlas();
  assert.equal(a, b);
  assert.ok(Deno.statSync(a).isFile);
});

Deno.test("ensureOpenBlas() names the apt-get command when the library is missing and installing is off", async () => {
  await assert.rejects(
    () => ensureOpenBlas({ candidates: ["/nonexistent/libopenblas.so.0"], install: false }),
    (e: Error) => e.message.includes("apt-get install -y libopenblas0-pthread") && e.message.includes("/nonexistent"),
  );
});

Deno.test(
  { name: "profileKernels() counts each kernel once per run and lists the slowest first", ignore },
  async () => {
    await initEngine({ backend: "blas" });
    const a = tf.ones([64, 64]);
    const p = await profileKernels(() => tf.tanh(tf.matMul(a, a)), { runs: 2, warmup: 1 });
    const names = p.kernels.map((k) => k.name);
    assert.deepEqual([...names].sort(), ["BatchMatMul", "Tanh"]);
    for (const k of p.kernels) assert.equal(k.calls, 1);
    assert.ok(p.kernels[0].ms >= p.kernels[1].ms);
    assert.ok(Math.abs(p.kernels.reduce((s, k) => s + k.share, 0) - 1) < 1e-9);
    assert.equal(p.backend, "blas");
    assert.match(p.table(), /BatchMatMul/);
    await assert.rejects(() => profileKernels(() => a, { runs: 0 }), /runs must be an integer >= 1: received 0/);
    a.dispose();
  },
);

Deno.test("initEngine('auto') falls back to wasm with a note naming apt-get when OpenBLAS is missing", async () => {
  const root = new URL("../../", import.meta.url).pathname;
  const script = `import { initEngine } from "./lib/engine/mod.ts"; console.log(JSON.stringify(await initEngine()));`;
  const env = { ...Deno.env.toObject(), WORKBENCH_OPENBLAS: "/nonexistent/libopenblas.so.0" };
  delete (env as Record<string, string | undefined>).WORKBENCH_BACKEND;
  const o = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--config", `${root}deno.json`, script],
    cwd: root,
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(o.stderr);
  assert.ok(o.success, stderr);
  const info = JSON.parse(new TextDecoder().decode(o.stdout).trim().split("\n").at(-1)!);
  assert.equal(info.backend, "wasm");
  assert.ok(
    info.notes.some((n: string) => n.startsWith("blas:") && n.includes("apt-get install -y libopenblas0-pthread")),
    info.notes.join("; "),
  );
  assert.match(stderr, /blas backend is unavailable/);
});
