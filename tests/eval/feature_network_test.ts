import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import {
  featureNetworkFromParams,
  loadGraphModelNetwork,
  loadOnnxNetwork,
  NETWORK_PRESETS,
  preprocessPixels,
} from "../../lib/eval/mod.ts";
import { assertClose, FIXTURE_DIR, fixtures } from "./_fixtures.ts";
import { writeTinyGraphModel } from "./_graph_model.ts";

await initEngine({ backend: "cpu" });

/** NCHW values → NHWC tensor. */
function nhwc(values: number[], [n, c, h, w]: number[]): tf.Tensor4D {
  return tf.tidy(() => tf.transpose(tf.tensor4d(values, [n, c, h, w]), [0, 2, 3, 1]) as tf.Tensor4D);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

Deno.test("loadGraphModelNetwork() runs a hand-written graph model from a path and a file:// URL", async () => {
  const dir = await Deno.makeTempDir();
  const path = await writeTinyGraphModel(dir);
  // 5 images of one colour each, 8×8 (resized to 4×4: constants stay constant).
  const colours = [[0.5, 0.5, 0.5], [1, 0, 0], [0, 1, 0], [0, 0, 1], [0.25, 0.75, 1]];
  const pixels = tf.tidy(() =>
    tf.stack(colours.map((c) => tf.mul(tf.ones([8, 8, 3]), tf.tensor1d(c)))) as tf.Tensor4D
  );
  // By hand: v = 2c − 1, features = relu([v0 + 2 v1, −v0 + v2]).
  const expected = colours.flatMap(([r, g, b]) => {
    const [v0, v1, v2] = [2 * r - 1, 2 * g - 1, 2 * b - 1];
    return [Math.max(0, v0 + 2 * v1), Math.max(0, -v0 + v2)];
  });
  for (const where of [path, new URL(`file://${path}`)]) {
    const net = await loadGraphModelNetwork(where, {
      name: "tiny-graph",
      kind: "image",
      inputSize: [4, 4],
      normalize: "minus1to1",
      batchSize: 2,
    });
    const before = tf.memory().numTensors;
    const f = await net.embed(pixels);
    assert.equal(tf.memory().numTensors, before, "embed() leaked tensors");
    assert.deepEqual(f.shape, [5, 2]);
    assert.ok(maxAbsDiff(f.data, expected) < 1e-6, `${Array.from(f.data)} vs ${expected}`);
    net.dispose();
  }
  // An intermediate node can be read, an unknown one is refused by name.
  const pooledNet = await loadGraphModelNetwork(path, {
    name: "tiny-graph",
    kind: "image",
    inputSize: [4, 4],
    outputName: "pooled",
  });
  assert.deepEqual((await pooledNet.embed(pixels)).shape, [5, 3]);
  pooledNet.dispose();
  await assert.rejects(
    () => loadGraphModelNetwork(path, { name: "tiny-graph", kind: "image", inputSize: [4, 4], outputName: "nope" }),
    { name: "RangeError", message: /"nope" is not in the graph/ },
  );
  await assert.rejects(
    () => loadGraphModelNetwork(`${dir}/missing.json`, { name: "x", kind: "image", inputSize: [4, 4] }),
    { name: "TypeError", message: /missing\.json/ },
  );
  pixels.dispose();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("loadOnnxNetwork() reproduces PyTorch's outputs of the exported tiny conv net", async () => {
  const o = fixtures.onnx;
  const net = await loadOnnxNetwork(new URL("tiny_image_net.onnx", FIXTURE_DIR).pathname, {
    name: "tiny-onnx",
    kind: "image",
    inputSize: [8, 8],
    normalize: "unit",
    layout: "channels-first",
    batchSize: 2,
  });
  const pixels = nhwc(o.input, o.inputShape);
  const f = await net.embed(pixels);
  assert.deepEqual(f.shape, o.outputShape);
  assert.ok(maxAbsDiff(f.data, o.output) < 1e-5, `max diff ${maxAbsDiff(f.data, o.output)}`);
  pixels.dispose();
  net.dispose();
  await assert.rejects(
    () => loadOnnxNetwork("/nonexistent/model.onnx", { name: "x", kind: "image", inputSize: [8, 8] }),
    { name: "TypeError", message: /no file at \/nonexistent\/model\.onnx/ },
  );
});

Deno.test("preprocessPixels() resizes like PyTorch bilinear (align_corners=False), down and up", () => {
  const r = fixtures.resize;
  const x = nhwc(r.input, r.inputShape);
  for (const [values, shape] of [[r.down, r.downShape], [r.up, r.upShape]] as const) {
    const y = preprocessPixels(x, { name: "resize", kind: "image", inputSize: [shape[2], shape[3]], normalize: "unit" });
    const expected = nhwc(values, shape);
    assert.ok(maxAbsDiff(y.dataSync(), expected.dataSync()) < 1e-6);
    tf.dispose([y, expected]);
  }
  x.dispose();
});

Deno.test("preprocessPixels() normalises (imagenet, custom) and lays out video clips channels-first", () => {
  const px = tf.fill([1, 2, 2, 2, 3], 0.5); // (N, T, H, W, 3)
  const spec = { name: "v", kind: "video" as const, inputSize: [2, 2] as [number, number], clipLength: 2 };
  const imagenet = preprocessPixels(px, { ...spec, normalize: "imagenet", layout: "channels-first" });
  assert.deepEqual(imagenet.shape, [1, 3, 2, 2, 2]);
  const v = imagenet.dataSync();
  assertClose(v[0], (0.5 - 0.485) / 0.229, 1e-6, "R");
  assertClose(v[8], (0.5 - 0.456) / 0.224, 1e-6, "G");
  assertClose(v[16], (0.5 - 0.406) / 0.225, 1e-6, "B");
  const custom = preprocessPixels(px, { ...spec, normalize: { mean: [0.5, 0, 1], std: [1, 0.5, 2] } });
  assert.deepEqual(Array.from(custom.dataSync().slice(0, 3)), [0, 1, -0.25]);
  assert.throws(() => preprocessPixels(tf.zeros([1, 3, 2, 2, 3]), spec), { name: "RangeError", message: /2 frames per clip.*\[1,3,2,2,3\]/ });
  assert.throws(() => preprocessPixels(tf.zeros([2, 2, 3]), { ...spec, kind: "image" }), { name: "RangeError", message: /\[N, H, W, 3\].*\[2,2,3\]/ });
  tf.dispose([px, imagenet, custom]);
});

Deno.test("featureNetworkFromParams() batches, disposes its tensors and gives the -syn interface for video nets", async () => {
  // Per-channel means of a channels-first clip: [N, 3, T, h, w] → [N, 3].
  const params = { scale: tf.scalar(2) };
  const net = featureNetworkFromParams(params, (p, x) => tf.mul(tf.mean(x, [2, 3, 4]), p.scale), {
    name: "clip-means-syn",
    kind: "video",
    inputSize: [2, 2],
    clipLength: 3,
    normalize: "unit",
    layout: "channels-first",
    batchSize: 2,
  });
  assert.equal(net.clipLength, 3);
  const clips = tf.tidy(() => tf.mul(tf.ones([5, 3, 4, 4, 3]), tf.tensor1d([0.1, 0.2, 0.3])));
  const before = tf.memory().numTensors;
  const f = await net.embed(clips);
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(f.shape, [5, 3]);
  assert.ok(maxAbsDiff(f.data, Array.from({ length: 15 }, (_, i) => 2 * [0.1, 0.2, 0.3][i % 3])) < 1e-6);
  net.dispose();
  assert.equal(params.scale.isDisposed, true);
  clips.dispose();
  assert.throws(
    () => featureNetworkFromParams({}, (_, x) => x, { name: "bad", kind: "image", inputSize: [0, 2] }),
    { name: "RangeError", message: /inputSize.*\[0,2\]/ },
  );
});

Deno.test("NETWORK_PRESETS hold pytorch-fid's and StyleGAN-V's input specs", () => {
  assert.deepEqual(NETWORK_PRESETS.fid.inputSize, [299, 299]);
  assert.equal(NETWORK_PRESETS.fid.normalize, "minus1to1");
  assert.deepEqual(NETWORK_PRESETS.fvd.inputSize, [224, 224]);
  assert.equal(NETWORK_PRESETS.fvd.clipLength, 16);
});
