/**
 * Every backend can train: the kernels TF.js's wasm backend lacks run there as
 * the cpu backend's kernels on copies, give the cpu results, and leak nothing.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { Prng } from "../../lib/random/mod.ts";

/** Conv2D's value and its input and filter gradients (Conv2DBackpropInput/Filter) on the active backend. */
function convGrads(x: Float32Array, w: Float32Array): Float32Array[] {
  return tf.tidy(() => {
    const xt = tf.tensor4d(x, [2, 5, 6, 3]);
    const wt = tf.tensor4d(w, [3, 3, 3, 4]);
    const f = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, [2, 1], "same").square().sum();
    const { value, grads } = tf.valueAndGrads(f)([xt, wt]);
    return [value, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

Deno.test("initEngine('wasm') registers for wasm every kernel the cpu backend has", async () => {
  await initEngine({ backend: "wasm" });
  const wasm = new Set(tf.getKernelsForBackend("wasm").map((k) => k.kernelName));
  const missing = tf.getKernelsForBackend("cpu").map((k) => k.kernelName).filter((k) => !wasm.has(k));
  assert.deepEqual(missing, []);
  assert.ok(wasm.has("Conv2DBackpropFilter"));
});

Deno.test("Conv2D's filter gradient on wasm (cpu kernel on copies) equals cpu's, and no tensor data outlives it", async () => {
  const prng = new Prng(7);
  const x = prng.normals(2 * 5 * 6 * 3);
  const w = prng.normals(3 * 3 * 3 * 4);
  await initEngine({ backend: "cpu" });
  const want = convGrads(x, w);
  await initEngine({ backend: "wasm" });
  const cpu = tf.engine().findBackend("cpu")!;
  const [wasmIds, cpuIds] = [tf.backend().numDataIds(), cpu.numDataIds()];
  const got = convGrads(x, w);
  assert.equal(tf.backend().numDataIds(), wasmIds, "wasm tensors left behind");
  assert.equal(cpu.numDataIds(), cpuIds, "cpu copies left behind");
  for (const [i, name] of ["value", "dL/dx", "dL/dw"].entries()) {
    let worst = 0;
    for (let j = 0; j < want[i].length; j++) worst = Math.max(worst, Math.abs(got[i][j] - want[i][j]) / (1 + Math.abs(want[i][j])));
    assert.ok(worst < 1e-5, `${name}: relative error ${worst}`);
  }
});

Deno.test("a kernel with a complex64 tensor on wasm is refused naming the kernel, and frees its copies", async () => {
  await initEngine({ backend: "wasm" });
  const cpu = tf.engine().findBackend("cpu")!;
  const cpuIds = cpu.numDataIds();
  const re = tf.tensor1d([1, 2]);
  const im = tf.tensor1d([3, 4]);
  assert.throws(() => tf.complex(re, im), /Cannot run kernel 'Complex' on the wasm backend as its output is complex64/);
  assert.equal(cpu.numDataIds(), cpuIds);
  tf.dispose([re, im]);
});

Deno.test("initEngine('blas') without a usable OpenBLAS stops before any work naming the apt-get command", async () => {
  const root = new URL("../../", import.meta.url).pathname;
  const script = `import { initEngine } from "./lib/engine/mod.ts"; await initEngine({ backend: "blas" });`;
  const env = { ...Deno.env.toObject(), WORKBENCH_OPENBLAS: "/nonexistent/libopenblas.so.0" };
  const o = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--config", `${root}deno.json`, script],
    cwd: root,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(o.stderr);
  assert.equal(o.success, false);
  assert.match(stderr, /Cannot use backend "blas": blas: OpenBLAS is not at WORKBENCH_OPENBLAS=\/nonexistent\/libopenblas\.so\.0: .*apt-get install -y libopenblas0-pthread/);
});
