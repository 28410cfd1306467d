// Shared test helpers: the conformance fixtures and the reference images.
import type { Video } from "../../lib/eval/mod.ts";

export interface ImageCase {
  name: string;
  dtype: "uint8" | "float32";
  shape: Video["shape"];
  pred: number[];
  ref: number[];
  ssim: number;
  psnr: number;
}
export interface FrechetCase {
  name: string;
  a: number[];
  b: number[];
  shapeA: [number, number];
  shapeB: [number, number];
  unbiased: number;
  biased: number;
}
export interface Fixtures {
  images: ImageCase[];
  frechet: FrechetCase[];
  flicker: { shape: Video["shape"]; video: number[]; score: number };
  onnx: { input: number[]; inputShape: number[]; output: number[]; outputShape: number[] };
  resize: { input: number[]; inputShape: number[]; down: number[]; downShape: number[]; up: number[]; upShape: number[] };
  png: { file: string; width: number; height: number; channels: number; pixels: number[] }[];
}

export const FIXTURE_DIR = new URL("../fixtures/eval/", import.meta.url);

export const fixtures: Fixtures = JSON.parse(
  await Deno.readTextFile(new URL("fixtures.json", FIXTURE_DIR)),
);

export function caseVideo(c: ImageCase, which: "pred" | "ref"): Video {
  const values = c[which];
  return {
    data: c.dtype === "uint8" ? Uint8Array.from(values) : Float32Array.from(values),
    shape: c.shape,
  };
}

/** The reference image: uint8 grey (or RGB with channel c = (base + 40c) mod 256), x column, y row. */
export function patternVideo(
  base: (x: number, y: number) => number,
  channels: 1 | 3,
  h = 32,
  w = 48,
): Video {
  const data = new Uint8Array(h * w * channels);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < channels; c++) data[(y * w + x) * channels + c] = (base(x, y) + 40 * c) % 256;
    }
  }
  return { data, shape: [1, 1, h, w, channels] };
}

export function assertClose(actual: number, expected: number, rel: number, what = "value"): void {
  const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  if (!(err <= rel)) {
    throw new Error(`${what}: expected ${expected}, received ${actual} (relative error ${err} > ${rel})`);
  }
}
