import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../../lib/engine/mod.ts";
import { Prng } from "../../../lib/random/mod.ts";
import {
  initSynNetParams,
  loadSynNetwork,
  loadSynNetworks,
  saveSynNetwork,
  SYN_NET_PRESETS,
  type SynImageConfig,
  synImageForward,
  synVideoForward,
} from "../../../lib/eval/mod.ts";
import { readSafetensors, writeSafetensors } from "../../../lib/io/safetensors.ts";
import { TINY_IMAGE, TINY_VIDEO, tinyCalibration, writeTinyNets } from "./_tiny_nets.ts";

await initEngine({ backend: "cpu" });

Deno.test("initSynNetParams() names parameters PyTorch-style in PyTorch layout, seeded", () => {
  const p = initSynNetParams(SYN_NET_PRESETS["image-syn"], { prng: new Prng(0) });
  assert.deepEqual(p["stem.weight"].shape, [16, 3, 3, 3]);
  assert.deepEqual(p["stages.0.down.weight"].shape, [32, 16, 3, 3]);
  assert.deepEqual(p["stages.2.conv.weight"].shape, [128, 128, 3, 3]);
  assert.deepEqual(p["fc.weight"].shape, [128, 128]);
  assert.deepEqual(p["heads.style.weight"].shape, [3, 128]);
  const v = initSynNetParams(SYN_NET_PRESETS["video-syn"], { prng: new Prng(0) });
  assert.deepEqual(v["stem.spatial.weight"].shape, [16, 6, 1, 3, 3]); // RGB + frame difference
  assert.deepEqual(v["stages.1.temporal.weight"].shape, [64, 64, 3, 1, 1]);
  assert.deepEqual(v["heads.motion.weight"].shape, [14, 128]);
  // He init: std √(2/27) for the stem; biases zero; same seed → same values.
  const stem = Array.from(p["stem.weight"].dataSync());
  const std = Math.sqrt(stem.reduce((s, x) => s + x * x, 0) / stem.length);
  assert.ok(Math.abs(std - Math.sqrt(2 / 27)) < 0.05, `stem std ${std}`);
  assert.equal(p["stem.bias"].dataSync().every((x) => x === 0), true);
  const again = initSynNetParams(SYN_NET_PRESETS["image-syn"], { prng: new Prng(0) });
  assert.deepEqual(again["fc.weight"].dataSync(), p["fc.weight"].dataSync());
  tf.dispose([...Object.values(p), ...Object.values(v), ...Object.values(again)]);
  assert.throws(() => initSynNetParams({ ...TINY_IMAGE, channels: [4] }, { prng: new Prng(0) }), {
    name: "RangeError",
    message: /channels must be >= 2 positive integers, received \[4\]/,
  });
});

Deno.test("synImageForward() pads 1 and strides like PyTorch: a centre-tap network averages the even pixels", () => {
  // One channel per layer, every conv an identity centre tap on R: the stride-2 conv keeps pixels (2i, 2j)
  // (PyTorch padding=1; TF "same" would keep (2i+1, 2j+1)); the pool averages them; fc is ×1.
  const cfg: SynImageConfig = {
    kind: "image",
    name: "tap-syn",
    inputSize: [4, 4],
    channels: [1, 1],
    features: 1,
    heads: {},
  };
  const tap = (cin: number) => {
    const w = new Float32Array(cin * 9);
    w[4] = 1; // input channel 0, centre
    return tf.tensor(w, [1, cin, 3, 3]);
  };
  const params = {
    "stem.weight": tap(3),
    "stem.bias": tf.zeros([1]),
    "stages.0.down.weight": tap(1),
    "stages.0.down.bias": tf.zeros([1]),
    "stages.0.conv.weight": tap(1),
    "stages.0.conv.bias": tf.zeros([1]),
    "fc.weight": tf.ones([1, 1]),
    "fc.bias": tf.zeros([1]),
  };
  const r = Array.from({ length: 16 }, (_, i) => i + 1); // R channel 1..16 row-major, G and B 0
  const x = tf.tensor4d(r.flatMap((v) => [v, 0, 0]), [1, 4, 4, 3]);
  const out = synImageForward(params, x, { config: cfg });
  // pixels (0,0)=1, (0,2)=3, (2,0)=9, (2,2)=11 → mean 6
  assert.deepEqual(Array.from(out.features.dataSync()), [6]);
  assert.deepEqual(out.layers.map((l) => l.shape), [[1, 4, 4, 1], [1, 2, 2, 1]]);
  assert.deepEqual(out.logits, {});
  assert.throws(() => synImageForward(params, tf.zeros([1, 5, 4, 3]), { config: cfg }), {
    name: "RangeError",
    message: /expected input \[N, 4, 4, 3\], received \[1,5,4,3\]/,
  });
  tf.dispose([...Object.values(params), x, out.features, ...out.layers]);
});

Deno.test("synVideoForward() takes any clip length and its features are seeded and deterministic", () => {
  const params = initSynNetParams(TINY_VIDEO, { prng: new Prng(3) });
  const x = tf.tensor(new Prng(4).normals(2 * 9 * 16 * 16 * 3), [2, 9, 16, 16, 3]);
  const a = synVideoForward(params, x, { config: TINY_VIDEO });
  const b = synVideoForward(params, x, { config: TINY_VIDEO });
  assert.deepEqual(a.features.shape, [2, 8]);
  assert.deepEqual(a.logits.temporal.shape, [2, 4]);
  // stem halves H, W; the stage halves them again and the time axis (stride 2, padding 1): 9 → 5.
  assert.deepEqual(a.layers.map((l) => l.shape), [[2, 9, 8, 8, 4], [2, 5, 4, 4, 8]]);
  assert.deepEqual(a.features.dataSync(), b.features.dataSync());
  const five = synVideoForward(params, tf.slice(x, [0, 0, 0, 0, 0], [2, 5, 16, 16, 3]), {
    config: TINY_VIDEO,
    withHeads: false,
  });
  assert.deepEqual(five.features.shape, [2, 8]);
  assert.deepEqual(five.logits, {});
  tf.dispose([
    ...Object.values(params),
    x,
    a.features,
    b.features,
    five.features,
    ...a.layers,
    ...b.layers,
    ...five.layers,
    ...Object.values(a.logits),
    ...Object.values(b.logits),
  ]);
});

Deno.test("loadSynNetworks() loads written networks: embeddings equal the forward pass, calibration read from the file", async () => {
  const calibration = tinyCalibration({ frames: 9, height: 16, width: 16 }, 4.5);
  const dir = await writeTinyNets(calibration);
  const before = tf.memory().numTensors;
  const nets = await loadSynNetworks(dir);
  assert.equal(nets.image.name, "tiny-image-syn");
  assert.equal(nets.video.clipLength, 9);
  assert.equal(nets.calibration?.sizes["9x16x16"].dynamicDegree.thresholdScale, 4.5);
  assert.deepEqual(nets.lpips.weights.map((w) => Array.from(w)), [[1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1]]);
  // Embedding = forward pass on pixels resized and mapped to [-1, 1].
  const pixels = tf.tensor(Float32Array.from(new Prng(5).normals(3 * 32 * 32 * 3), (z) => 1 / (1 + Math.exp(-z))), [
    3,
    32,
    32,
    3,
  ]);
  const e = await nets.image.embed(pixels);
  const { params } = await loadSynNetwork(`${dir}/image-syn.safetensors`);
  const direct = tf.tidy(() => {
    const x = tf.sub(tf.mul(tf.image.resizeBilinear(pixels as tf.Tensor4D, [16, 16], false, true), 2), 1);
    return synImageForward(params, x, { config: TINY_IMAGE, withHeads: false }).features.dataSync() as Float32Array;
  });
  for (let i = 0; i < direct.length; i++) assert.ok(Math.abs(e.data[i] - direct[i]) < 1e-5);
  tf.dispose([pixels, ...Object.values(params)]);
  nets.dispose();
  assert.equal(tf.memory().numTensors, before, "loading, embedding and disposing leaves no tensor behind");
  // Without calibration.json the calibration is null.
  await Deno.remove(`${dir}/calibration.json`);
  const bare = await loadSynNetworks(dir);
  assert.equal(bare.calibration, null);
  bare.dispose();
});

Deno.test("loadSynNetwork() refuses missing files, foreign safetensors and wrong shapes with specific errors", async () => {
  const dir = await writeTinyNets();
  await assert.rejects(() => loadSynNetworks(`${dir}/nope`), {
    name: "TypeError",
    message: /no file at .*nope\/image-syn.safetensors/,
  });
  await writeSafetensors(`${dir}/foreign.safetensors`, { w: { shape: [1], data: new Float32Array(1) } });
  await assert.rejects(() => loadSynNetwork(`${dir}/foreign.safetensors`), {
    name: "TypeError",
    message: /metadata format must be "workbench-syn-net-v1"/,
  });
  const { tensors, metadata } = await readSafetensors(`${dir}/image-syn.safetensors`);
  const broken: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const [k, t] of Object.entries(tensors)) broken[k] = { shape: t.shape, data: t.data };
  broken["fc.weight"] = { shape: [8, 7], data: new Float32Array(56) };
  await writeSafetensors(`${dir}/broken.safetensors`, broken, metadata);
  await assert.rejects(() => loadSynNetwork(`${dir}/broken.safetensors`), {
    name: "RangeError",
    message: /"fc.weight" must be \[8,8\], received \[8,7\]/,
  });
  const p = initSynNetParams(TINY_IMAGE, { prng: new Prng(0) });
  const wrong = tf.zeros([5]);
  await assert.rejects(
    () => saveSynNetwork(`${dir}/x.safetensors`, { params: { ...p, "stem.bias": wrong }, config: TINY_IMAGE }),
    { name: "RangeError", message: /"stem.bias" must be \[4\], received \[5\]/ },
  );
  tf.dispose([wrong, ...Object.values(p)]);
});

Deno.test("tiny seeded image and video networks reproduce their stored feature sums", () => {
  const [fi, fv] = tf.tidy(() => {
    const pi = initSynNetParams(TINY_IMAGE, { prng: new Prng(11) });
    const xi = tf.tensor(new Prng(12).normals(2 * 16 * 16 * 3), [2, 16, 16, 3]);
    const pv = initSynNetParams(TINY_VIDEO, { prng: new Prng(13) });
    const xv = tf.tensor(new Prng(14).normals(2 * 9 * 16 * 16 * 3), [2, 9, 16, 16, 3]);
    const out = [
      Array.from(synImageForward(pi, xi, { config: TINY_IMAGE }).features.dataSync()),
      Array.from(synVideoForward(pv, xv, { config: TINY_VIDEO }).features.dataSync()),
    ];
    tf.dispose([...Object.values(pi), ...Object.values(pv)]);
    return out;
  });
  const sum = (a: number[]) => a.reduce((s, x) => s + x, 0);
  const abs = (a: number[]) => a.reduce((s, x) => s + Math.abs(x), 0);
  // Stored from a cpu-backend run.
  assert.ok(Math.abs(sum(fi) - -0.306191653) < 1e-5 && Math.abs(abs(fi) - 9.377268046) < 1e-5, `${sum(fi)} ${abs(fi)}`);
  assert.ok(Math.abs(sum(fv) - 3.037296348) < 1e-5 && Math.abs(abs(fv) - 4.889049203) < 1e-5, `${sum(fv)} ${abs(fv)}`);
});
