import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { embedVideos, featureNetworkFromParams, fid, fvd, lpips, type Video } from "../../lib/eval/mod.ts";
import { assertClose } from "./_fixtures.ts";

await initEngine({ backend: "cpu" });

/** Videos whose frame t of video n is the constant grey level greys[n][t], 4×4. */
function greyVideos(greys: number[][], channels: 1 | 3 = 3): Video {
  const n = greys.length, f = greys[0].length, px = 16 * channels;
  const data = new Float32Array(n * f * px);
  greys.forEach((frames, i) => frames.forEach((g, t) => data.fill(g, (i * f + t) * px, (i * f + t + 1) * px)));
  return { data, shape: [n, f, 4, 4, channels] };
}

// Mean RGB of an image: for grey frames the features lie on the line (g, g, g).
const meanRgb = () =>
  featureNetworkFromParams({}, (_, x) => tf.mean(x, [1, 2]), {
    name: "mean-rgb",
    kind: "image",
    inputSize: [2, 2],
    normalize: "unit",
  });
// Mean RGB of a clip [N, T, h, w, 3].
const clipMeanRgb = (clipLength: number) =>
  featureNetworkFromParams({}, (_, x) => tf.mean(x, [1, 2, 3]), {
    name: "clip-mean-rgb",
    kind: "video",
    inputSize: [2, 2],
    clipLength,
    normalize: "unit",
  });

// For features m·(1, 1, 1) with mean μ and standard deviation s along that line,
// FD = 3·((μ1 − μ2)² + (s1 − s2)²): the covariances are s²·11ᵀ, √(Σ1Σ2) = s1 s2·11ᵀ.

Deno.test("fid() embeds every frame and gives the hand-computed distance of collinear features", async () => {
  const net = meanRgb();
  const pred = greyVideos([[0.2, 0.4]]); // μ 0.3, s² 0.02
  const ref = greyVideos([[0.5, 0.6, 0.7]]); // μ 0.6, s² 0.01
  const expected = 3 * (0.3 ** 2 + (Math.sqrt(0.02) - 0.1) ** 2);
  assertClose(await fid(pred, ref, { network: net }), expected, 1e-6);
  // Grey (C = 1) input is repeated to RGB and uint8 divided by 255: same features.
  const u8 = { data: Uint8Array.from(greyVideos([[0.2, 0.4]], 1).data, (g) => Math.round(g * 255)), shape: [1, 2, 4, 4, 1] } as Video;
  const f = await embedVideos(u8, net);
  assert.deepEqual(f.shape, [2, 3]);
  assertClose(f.data[3], 102 / 255, 1e-6);
  net.dispose();
});

Deno.test("fvd() averages clip features per video and uses the biased covariance by default", async () => {
  const net = clipMeanRgb(2);
  const pred = greyVideos([[0.1, 0.1, 0.3, 0.3], [0.5, 0.5, 0.5, 0.5]]); // per video 0.2, 0.5: μ 0.35, s 0.15
  const ref = greyVideos([[0, 0, 0, 0], [0.2, 0.2, 0.2, 0.2]]); // 0, 0.2: μ 0.1, s 0.1
  assertClose(await fvd(pred, ref, { network: net }), 3 * (0.25 ** 2 + 0.05 ** 2), 1e-6, "average");
  // First clip only: 0.1, 0.5 → μ 0.3, s 0.2.
  assertClose(await fvd(pred, ref, { network: net, clips: "first" }), 3 * (0.2 ** 2 + 0.1 ** 2), 1e-6, "first");
  // Unbiased: s·√2 on both sides.
  assertClose(
    await fvd(pred, ref, { network: net, covariance: "unbiased" }),
    3 * (0.25 ** 2 + 2 * 0.05 ** 2),
    1e-6,
    "unbiased",
  );
  await assert.rejects(() => fvd(greyVideos([[0.1], [0.2]]), ref, { network: net }), {
    name: "RangeError",
    message: /2-frame clips but the videos have 1 frames/,
  });
  await assert.rejects(() => fid(pred, ref, { network: net }), { name: "TypeError", message: /image network.*clip-mean-rgb/ });
  net.dispose();
});

Deno.test("lpips() normalises channels, weights squared differences, averages space and sums layers", async () => {
  // Layer 0: the pixels in [-1, 1], weights [1, 2, 3]; layer 1: their squares, weights ½.
  const extractor = {
    layers: (x: tf.Tensor4D) => [tf.clone(x), tf.square(x)] as tf.Tensor4D[],
    weights: [new Float32Array([1, 2, 3]), new Float32Array([0.5, 0.5, 0.5])],
  };
  const shape: Video["shape"] = [1, 2, 1, 1, 3];
  // Frame 0: (0.75, 0.5, 0.5) → (0.5, 0, 0) → unit (1, 0, 0); (0.5, 0.75, 0.5) → (0, 1, 0).
  //   layer 0: 1·1 + 2·1 = 3; layer 1: ½ + ½ = 1 → 4. Frame 1 identical → 0. Mean 2.
  const pred = { data: new Float32Array([0.75, 0.5, 0.5, 0.3, 0.6, 0.9]), shape };
  const ref = { data: new Float32Array([0.5, 0.75, 0.5, 0.3, 0.6, 0.9]), shape };
  const before = tf.memory().numTensors;
  assertClose(await lpips(pred, ref, { extractor, batchSize: 1 }), 2, 1e-6);
  assert.equal(tf.memory().numTensors, before, "lpips() leaked tensors");
  // Spatial mean: a 1×2 frame differing in one pixel halves the distance.
  const wide: Video["shape"] = [1, 1, 1, 2, 3];
  const p2 = { data: new Float32Array([0.75, 0.5, 0.5, 0.2, 0.2, 0.2]), shape: wide };
  const r2 = { data: new Float32Array([0.5, 0.75, 0.5, 0.2, 0.2, 0.2]), shape: wide };
  assertClose(await lpips(p2, r2, { extractor }), 2, 1e-6);
  await assert.rejects(
    () => lpips(pred, ref, { extractor: { ...extractor, weights: [new Float32Array(3)] } }),
    { name: "RangeError", message: /2 layers but has 1 weight vectors/ },
  );
});
