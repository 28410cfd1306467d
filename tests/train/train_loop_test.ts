import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { Prng } from "../../lib/random/mod.ts";
import { loadCheckpoint, NonFiniteError, readJsonl, trainLoop, type TrainLoopOptions } from "../../lib/train/mod.ts";
import { DiskFullError } from "../../lib/io/disk_full_error.ts";
import { smallDiskUnavailable, withSmallDisk } from "../io/_small_disk.ts";

await initEngine({ backend: "cpu" });
if (smallDiskUnavailable) console.log(`train_loop_test: the full-disk test is skipped: ${smallDiskUnavailable}`);

type Batch = { x: tf.Tensor2D; y: tf.Tensor2D };

/** y = x·[1,-2,3]ᵀ + 0.5, 16 samples, position-addressed (cycles). */
const data: TrainLoopOptions<Batch>["data"] = {
  size: 16,
  batch(position, count) {
    const xs: number[] = [], ys: number[] = [];
    for (let i = 0; i < count; i++) {
      const r = new Prng(1000 + ((position + i) % 16));
      const x = [r.normal(), r.normal(), r.normal()];
      xs.push(...x);
      ys.push(x[0] - 2 * x[1] + 3 * x[2] + 0.5);
    }
    return { x: tf.tensor2d(xs, [count, 3]), y: tf.tensor2d(ys, [count, 1]) };
  },
  dispose: (b) => tf.dispose([b.x, b.y]),
};

function makeParams() {
  return {
    w: tf.variable(tf.tensor2d([0.1, 0.2, 0.3], [3, 1]), true, `w${crypto.randomUUID()}`),
    b: tf.variable(tf.zeros([1]), true, `b${crypto.randomUUID()}`),
  };
}

function options(dir: string, params: ReturnType<typeof makeParams>, extra: Partial<TrainLoopOptions<Batch>> = {}) {
  return {
    params,
    trainable: ["w", "b"],
    // The noise drawn from the loop's PRNG makes the test sensitive to RNG-state restore.
    loss: (batch: Batch, { prng }: { prng: Prng }) => {
      const jitter = prng.normal() * 0.01;
      const pred = tf.add(tf.matMul(batch.x, params.w), params.b);
      return { loss: tf.mean(tf.square(tf.sub(tf.add(pred, jitter), batch.y))) as tf.Scalar };
    },
    data,
    steps: 12,
    microBatch: 4,
    accumulation: 2,
    lr: 0.4,
    schedule: { kind: "cosine", warmupSteps: 2, minLr: 0.04 } as const,
    weightDecay: 0.01,
    clipNorm: 5,
    emaDecay: 0.9,
    prng: new Prng(7),
    dir,
    name: "fit",
    checkpointEvery: 3,
    ...extra,
  } satisfies TrainLoopOptions<Batch>;
}

async function losses(dir: string) {
  return ((await readJsonl(`${dir}/metrics.jsonl`)) ?? []).map((r) => r!.loss as number);
}

Deno.test("trainLoop() resumed after an interruption gives the same losses and weights as an uninterrupted run", async () => {
  const a = await Deno.makeTempDir(), b = await Deno.makeTempDir();
  const pa = makeParams();
  const ra = await trainLoop(options(a, pa));
  assert.equal(ra.step, 12);
  assert.equal(ra.interrupted, false);

  const pb = makeParams();
  const rb1 = await trainLoop(options(b, pb, { shouldStop: () => true, steps: 12 }));
  assert.equal(rb1.interrupted, true);
  assert.equal(rb1.step, 1);
  // A kill after step 4 (checkpoint at 3) leaves extra log lines; resume must drop them.
  const pb2 = makeParams();
  let n = 0;
  await trainLoop(options(b, pb2, { shouldStop: () => ++n === 4 }));
  await Deno.writeTextFile(`${b}/metrics.jsonl`, '{"phase":"fit","step":99,"loss":1}\n{"torn', { append: true });
  const pb3 = makeParams();
  const notes: string[] = [];
  const rb3 = await trainLoop(options(b, pb3, { note: (l) => notes.push(l) }));
  assert.deepEqual(notes, [
    `note: ${b}/metrics.jsonl: dropped 1 record(s) of fit logged after its checkpoint at step 5; they are trained again`,
    `note: ${b}/metrics.jsonl: dropped a line that is not a whole record (a process stopped mid-write): "{\\"torn"`,
  ]);
  assert.equal(rb3.resumedFrom, 5);
  assert.equal(rb3.step, 12);
  const la = await losses(a), lb = await losses(b);
  assert.equal(la.length, 12);
  assert.deepEqual(lb, la);
  assert.deepEqual(Array.from(await pb3.w.data()), Array.from(await pa.w.data()));
  assert.ok(la[11] < la[0] / 4, `loss should fall: ${la[0]} → ${la[11]}`);
});

Deno.test("trainLoop() stops on a non-finite loss, naming the step, and keeps the last good checkpoint", async () => {
  const dir = await Deno.makeTempDir();
  const p = makeParams();
  const base = options(dir, p, { checkpointEvery: 2 });
  let calls = 0;
  const loss = (batch: Batch, ctx: { prng: Prng; step: number }) => {
    calls++;
    const r = base.loss(batch, ctx);
    // Step 3's first micro-batch (accumulation 2 → calls 5 and 6) returns NaN.
    return calls === 5 ? { loss: tf.mul(r.loss, NaN) as tf.Scalar } : r;
  };
  await assert.rejects(() => trainLoop({ ...base, loss }), (e: unknown) => {
    assert.ok(e instanceof NonFiniteError);
    assert.equal(e.step, 3);
    assert.equal(e.tensor, "loss");
    return true;
  });
  const ck = await loadCheckpoint(`${dir}/checkpoints/fit.safetensors`);
  assert.equal(ck?.state.step, 2);
});

Deno.test({
  name: "trainLoop() on a disk that fills during a checkpoint stops naming the file, keeps the previous checkpoint, and resumes exactly once freed",
  ignore: smallDiskUnavailable !== null,
}, async () => {
  const ref = await Deno.makeTempDir();
  const pRef = makeParams();
  await trainLoop(options(ref, pRef));
  await withSmallDisk(256, async (disk) => {
    // The disk fills after step 5 is logged: step 6's checkpoint finds no room.
    const onStep = ({ step }: { step: number }) => step === 6 && disk.fill();
    await assert.rejects(trainLoop(options(disk.dir, makeParams(), { onStep })), (e: unknown) => {
      assert.ok(e instanceof DiskFullError, String(e));
      assert.equal(e.path, `${disk.dir}/checkpoints/fit.safetensors`);
      assert.match(e.message, /no space left on the device \(0 B free\)/);
      return true;
    });
    const kept = await loadCheckpoint(`${disk.dir}/checkpoints/fit.safetensors`);
    assert.equal(kept?.state.step, 3, "the checkpoint of step 3 is intact");
    assert.deepEqual((await Array.fromAsync(Deno.readDir(`${disk.dir}/checkpoints`))).map((e) => e.name), ["fit.safetensors"]);

    disk.free();
    const p = makeParams();
    const notes: string[] = [];
    const res = await trainLoop(options(disk.dir, p, { note: (l) => notes.push(l) }));
    assert.equal(res.resumedFrom, 3);
    assert.equal(notes.length, 1);
    assert.match(notes[0], /dropped 3 record\(s\) of fit logged after its checkpoint at step 3/);
    assert.deepEqual(await losses(disk.dir), await losses(ref));
    assert.deepEqual(Array.from(await p.w.data()), Array.from(await pRef.w.data()));
  });
});

Deno.test("trainLoop() rejects accumulation 0 and a micro-batch larger than the dataset before any work", async () => {
  const dir = await Deno.makeTempDir();
  const p = makeParams();
  await assert.rejects(() => trainLoop(options(dir, p, { accumulation: 0 })), /accumulation must be an integer >= 1: received 0/);
  await assert.rejects(() => trainLoop(options(dir, p, { microBatch: 17 })), /microBatch \(17\) is larger than the dataset \(16 samples\)/);
  assert.equal((await Array.fromAsync(Deno.readDir(dir))).length, 0);
});

Deno.test("trainLoop() keeps the tensor count stable across steps", async () => {
  const dir = await Deno.makeTempDir();
  const p = makeParams();
  const counts: number[] = [];
  await trainLoop(options(dir, p, { onStep: () => counts.push(tf.memory().numTensors) }));
  assert.equal(new Set(counts.slice(2)).size, 1, `tensor counts drift: ${counts}`);
});

Deno.test("trainLoop() disposes a loss's release tensors after the backward pass, which still reads them", async () => {
  const dir = await Deno.makeTempDir();
  const p = makeParams();
  const counts: number[] = [];
  const released: tf.Tensor[] = [];
  const base = options(dir, p);
  await trainLoop({
    ...base,
    // A kept input (as dropConditions returns): outlives the tape's scope unless released.
    loss: (batch) => {
      const x = tf.keep(tf.clone(batch.x));
      released.push(x);
      const pred = tf.add(tf.matMul(x, p.w), p.b);
      return { loss: tf.mean(tf.square(tf.sub(pred, batch.y))) as tf.Scalar, release: [x] };
    },
    emaDecay: 0,
    onStep: () => counts.push(tf.memory().numTensors),
  });
  assert.equal(released.length, 12 * 2);
  assert.ok(released.every((t) => t.isDisposed), "every released tensor is disposed");
  assert.equal(new Set(counts.slice(1)).size, 1, `tensor counts drift: ${counts}`);
  // The gradient reached w through the kept input: the weights moved.
  assert.notDeepEqual(Array.from(await p.w.data()), [0.1, 0.2, 0.3]);
});
