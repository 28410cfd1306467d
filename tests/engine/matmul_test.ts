import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { Prng } from "../../lib/random/mod.ts";
import { assertClose, assertSameAsCpu, BLAS_SKIP, gradsOf, input, runOn } from "./_compare.ts";

const ignore = BLAS_SKIP != null;

Deno.test(
  { name: "BatchMatMul on blas equals cpu for odd shapes and all transpose combinations", ignore },
  async () => {
    const prng = new Prng(1);
    for (const [m, k, n] of [[1, 1, 1], [7, 13, 5], [33, 2, 17], [64, 65, 3]]) {
      for (const tA of [false, true]) {
        for (const tB of [false, true]) {
          const a = input(prng, tA ? [k, m] : [m, k]);
          const b = input(prng, tB ? [n, k] : [k, n]);
          await assertSameAsCpu((x, y) => tf.matMul(x, y, tA, tB), [a, b], `matMul ${m}x${k}x${n} tA=${tA} tB=${tB}`);
        }
      }
    }
  },
);

Deno.test(
  { name: "BatchMatMul on blas equals cpu for batched, rank-mismatched and shared operands", ignore },
  async () => {
    const prng = new Prng(2);
    const cases: [number[], number[], boolean, boolean][] = [
      [[3, 5, 7], [3, 7, 4], false, false],
      [[2, 3, 7, 5], [2, 3, 4, 7], true, true],
      [[3, 5, 7], [7, 4], false, false], // B shared: one sgemm over batch·M rows
      [[3, 7, 5], [7, 4], true, false],
      [[5, 7], [3, 7, 4], false, false], // A shared
      [[1, 5, 7], [4, 7, 6], false, false],
    ];
    for (const [sa, sb, tA, tB] of cases) {
      await assertSameAsCpu(
        (x, y) => tf.matMul(x, y, tA, tB),
        [input(prng, sa), input(prng, sb)],
        `matMul [${sa}]x[${sb}]`,
      );
    }
  },
);

Deno.test({ name: "BatchMatMul on blas broadcasts batch axes like numpy ([2,1] with [1,3])", ignore }, async () => {
  // The stock cpu kernel indexes broadcast batches modulo the flat batch size,
  // which is wrong for this case; the reference tiles both operands first.
  const prng = new Prng(3);
  const a = input(prng, [2, 1, 4, 5]), b = input(prng, [1, 3, 5, 2]);
  const [got] = await runOn("blas", (x, y) => tf.matMul(x, y), [a, b]);
  const [want] = await runOn("cpu", (x, y) => tf.matMul(tf.tile(x, [1, 3, 1, 1]), tf.tile(y, [2, 1, 1, 1])), [a, b]);
  assertClose(got, want, 1e-5, "broadcast matMul");
});

Deno.test({ name: "matMul gradients on blas equal cpu for every transpose combination", ignore }, async () => {
  const prng = new Prng(4);
  for (const tA of [false, true]) {
    for (const tB of [false, true]) {
      // (TensorFlow.js's BatchMatMul gradient does not reduce broadcast batches: same ranks here.)
      const a = input(prng, tA ? [2, 6, 3] : [2, 3, 6]), b = input(prng, tB ? [2, 4, 6] : [2, 6, 4]);
      await assertSameAsCpu(gradsOf((x, y) => tf.matMul(x, y, tA, tB)), [a, b], `matMul grads tA=${tA} tB=${tB}`);
    }
  }
});

Deno.test({ name: "fused.matMul on blas equals cpu for each bias shape and activation", ignore }, async () => {
  const prng = new Prng(5);
  const a = input(prng, [2, 5, 7]), b = input(prng, [7, 6]);
  const activations = ["linear", "relu", "relu6", "sigmoid", "leakyrelu", "elu", "prelu"] as const;
  for (const activation of activations) {
    for (const biasShape of [[6], [5, 6], [1]]) {
      const bias = input(prng, biasShape), alpha = input(prng, [6], 0.3);
      await assertSameAsCpu(
        (x, y, z, w) =>
          tf.fused.matMul({
            a: x,
            b: y,
            bias: z,
            activation,
            preluActivationWeights: activation === "prelu" ? w : undefined,
            leakyreluAlpha: 0.15,
          }),
        [a, b, bias, alpha],
        `fused ${activation} bias [${biasShape}]`,
      );
    }
  }
});

Deno.test({ name: "fused.matMul gradients (bias, relu, transposes) on blas equal cpu", ignore }, async () => {
  const prng = new Prng(6);
  const a = input(prng, [4, 3]), b = input(prng, [5, 4]), bias = input(prng, [5]);
  const f = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) =>
    tf.fused.matMul({
      a: x as tf.Tensor2D,
      b: y as tf.Tensor2D,
      transposeA: true,
      transposeB: true,
      bias: z,
      activation: "relu",
    });
  await assertSameAsCpu(gradsOf(f), [a, b, bias], "fused grads");
});

Deno.test(
  { name: "matMul on blas reads operands that are views into larger buffers (cpu Slice outputs)", ignore },
  async () => {
    const prng = new Prng(9);
    // Contiguous slices are stored as subarrays of the source's values.
    await assertSameAsCpu(
      (x, y) => tf.matMul(tf.slice(x, [1, 0], [5, 7]), tf.slice(y, [2, 0], [7, 3])),
      [input(prng, [8, 7]), input(prng, [10, 3])],
      "matMul of slices",
    );
    await assertSameAsCpu(
      (x, y) => tf.conv2d(tf.slice(x, [1, 0, 0, 0], [1, 6, 6, 2]) as tf.Tensor4D, y as tf.Tensor4D, 1, "same"),
      [input(prng, [3, 6, 6, 2]), input(prng, [3, 3, 2, 4])],
      "conv2d of a slice",
    );
  },
);

Deno.test({ name: "matMul on blas handles empty operands", ignore }, async () => {
  const zero: { values: Float32Array; shape: number[] }[] = [
    { values: new Float32Array(0), shape: [0, 3] },
    { values: new Float32Array(12), shape: [3, 4] },
  ];
  const [r] = await runOn("blas", (x, y) => tf.matMul(x, y), zero);
  assert.equal(r.length, 0);
  const k0 = [{ values: new Float32Array(0), shape: [2, 0] }, { values: new Float32Array(0), shape: [0, 3] }];
  const [z] = await runOn("blas", (x, y) => tf.matMul(x, y), k0);
  assert.deepEqual(Array.from(z), [0, 0, 0, 0, 0, 0]);
});

Deno.test({ name: "matMul on blas rejects mismatched inner dimensions", ignore }, async () => {
  await assert.rejects(
    () => runOn("blas", (x, y) => tf.matMul(x, y), [input(new Prng(7), [2, 3]), input(new Prng(8), [4, 2])]),
    /inner/,
  );
});
