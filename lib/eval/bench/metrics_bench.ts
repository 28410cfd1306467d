/**
 * Benchmark of the weight-free metrics on the workload: SSIM + PSNR +
 * temporal flickering on 100 clips of 16 frames at 64×64 RGB (target: < 10 s
 * together on the 2-core reference machine), plus the Fréchet distance at
 * the dimensions FID / FVD use, and the Lucas–Kanade based `-classical`
 * VBench dimensions on 10 clips (they scale linearly in clips).
 *
 * Run: `deno bench -A lib/eval/bench/metrics_bench.ts`
 * (each case runs a few times only: these are seconds-long workloads).
 *
 * References: lib/eval issue (speed target).
 */
import {
  dynamicDegreeClassical,
  frechetDistance,
  motionSmoothnessClassical,
  psnr,
  ssim,
  temporalFlickering,
  type Video,
} from "../mod.ts";
import { Prng } from "../../random/mod.ts";

const SHAPE: Video["shape"] = [100, 16, 64, 64, 3];

function randomVideo(prng: Prng): Video {
  const size = SHAPE.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = prng.uniform();
  return { data, shape: SHAPE };
}

const prng = new Prng(0);
const pred = randomVideo(prng);
const ref = randomVideo(prng);
const few = { n: 3, warmup: 1 };

Deno.bench({ name: "ssim + psnr + flicker, 100×16×64×64×3", ...few, fn: () => {
  ssim(pred, ref);
  psnr(pred, ref);
  temporalFlickering(pred);
} });
Deno.bench({ name: "ssim, 100×16×64×64×3", ...few, fn: () => void ssim(pred, ref) });
Deno.bench({ name: "psnr, 100×16×64×64×3", ...few, fn: () => void psnr(pred, ref) });
Deno.bench({ name: "temporalFlickering, 100×16×64×64×3", ...few, fn: () => void temporalFlickering(pred) });

function features(n: number, d: number, shift: number): { data: Float32Array; shape: [number, number] } {
  const data = prng.normals(n * d);
  for (let i = 0; i < data.length; i++) data[i] += shift;
  return { data, shape: [n, d] };
}
// FVD: I3D logits, 400-d, 256 videos a side (covariance route, QL eigen).
const fvdA = features(256, 400, 0);
const fvdB = features(256, 400, 0.1);
Deno.bench({ name: "frechetDistance 256 vs 256 × 400-d", ...few, fn: () => void frechetDistance(fvdA, fvdB) });
// FID on 1600 frames vs 1600 frames of 2048-d pool3 features (Gram route, 1599×1599 eigenproblem).
const fidA = features(1600, 2048, 0);
const fidB = features(1600, 2048, 0.1);
Deno.bench({ name: "frechetDistance 1600 vs 1600 × 2048-d", n: 1, warmup: 0, fn: () => void frechetDistance(fidA, fidB) });

// Classical flow dimensions on 10 clips of 16 frames at 64×64 (noise frames: the worst case for LK).
const tenClips: Video = { data: pred.data.subarray(0, 10 * 16 * 64 * 64 * 3), shape: [10, 16, 64, 64, 3] };
Deno.bench({
  name: "dynamicDegreeClassical, 10×16×64×64×3",
  n: 1,
  warmup: 0,
  fn: async () => void (await dynamicDegreeClassical(tenClips)),
});
Deno.bench({
  name: "motionSmoothnessClassical, 10×16×64×64×3",
  n: 1,
  warmup: 0,
  fn: async () => void (await motionSmoothnessClassical(tenClips)),
});
