import * as tf from "@tensorflow/tfjs-core";
import { Prng } from "../../lib/random/mod.ts";
import { assertSameAsCpu, BLAS_SKIP, gradsOf, input } from "./_compare.ts";

const ignore = BLAS_SKIP != null;

type Pad2 = "same" | "valid" | number | [[number, number], [number, number], [number, number], [number, number]];
const CONV2D: {
  x: number[];
  w: number[];
  strides: number | [number, number];
  pad: Pad2;
  dilations?: number;
  format?: "NHWC" | "NCHW";
}[] = [
  { x: [2, 9, 8, 3], w: [3, 3, 3, 5], strides: 1, pad: "same" },
  { x: [2, 9, 8, 3], w: [3, 3, 3, 5], strides: [2, 1], pad: "same" },
  { x: [1, 10, 7, 2], w: [3, 2, 2, 4], strides: 2, pad: "valid" },
  { x: [1, 9, 8, 3], w: [3, 3, 3, 2], strides: 1, pad: "valid", dilations: 2 },
  { x: [1, 12, 12, 2], w: [3, 3, 2, 3], strides: 1, pad: "same", dilations: 2 }, // dilated shifted GEMMs
  { x: [2, 6, 6, 4], w: [1, 1, 4, 3], strides: 1, pad: "valid" }, // pointwise: no im2col
  { x: [1, 8, 8, 3], w: [2, 2, 3, 6], strides: 2, pad: "valid" }, // patch embedding
  { x: [1, 7, 6, 2], w: [3, 3, 2, 3], strides: 1, pad: 1 },
  { x: [1, 7, 6, 2], w: [3, 3, 2, 3], strides: 1, pad: [[0, 0], [2, 0], [0, 1], [0, 0]] },
  { x: [2, 3, 9, 8], w: [3, 3, 3, 5], strides: 1, pad: "same", format: "NCHW" },
];

Deno.test({ name: "Conv2D on blas equals cpu for strides, paddings, dilation, 1x1 and NCHW", ignore }, async () => {
  const prng = new Prng(40);
  for (const c of CONV2D) {
    await assertSameAsCpu(
      (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.strides, c.pad, c.format ?? "NHWC", c.dilations ?? 1),
      [input(prng, c.x), input(prng, c.w)],
      `conv2d ${JSON.stringify(c)}`,
    );
  }
});

Deno.test({ name: "Conv2D input and filter gradients on blas equal cpu", ignore }, async () => {
  const prng = new Prng(41);
  for (const c of CONV2D.filter((c) => !c.dilations)) {
    await assertSameAsCpu(
      gradsOf((x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.strides, c.pad, c.format ?? "NHWC")),
      [input(prng, c.x), input(prng, c.w)],
      `conv2d grads ${JSON.stringify(c)}`,
    );
  }
});

Deno.test({ name: "fused conv2d (bias + activation) on blas equals cpu in NHWC and NCHW", ignore }, async () => {
  const prng = new Prng(42);
  for (const format of ["NHWC", "NCHW"] as const) {
    for (const activation of ["linear", "relu", "sigmoid", "prelu"] as const) {
      const x = input(prng, format === "NHWC" ? [2, 6, 5, 3] : [2, 3, 6, 5]);
      await assertSameAsCpu(
        (x, w, b, a) =>
          tf.fused.conv2d({
            x: x as tf.Tensor4D,
            filter: w as tf.Tensor4D,
            strides: 1,
            pad: "same",
            dataFormat: format,
            bias: b,
            activation,
            preluActivationWeights: activation === "prelu" ? a : undefined,
          }),
        [x, input(prng, [3, 3, 3, 4]), input(prng, [4]), input(prng, [4], 0.2)],
        `fused conv2d ${format} ${activation}`,
      );
    }
  }
});

const CONV3D: {
  x: number[];
  w: number[];
  strides: number | [number, number, number];
  pad: "same" | "valid";
  dilations?: number;
}[] = [
  { x: [2, 4, 9, 8, 3], w: [3, 3, 3, 3, 5], strides: [1, 2, 2], pad: "same" },
  { x: [1, 5, 6, 7, 2], w: [3, 3, 3, 2, 4], strides: 1, pad: "valid" },
  { x: [1, 3, 8, 8, 4], w: [1, 2, 2, 4, 6], strides: [1, 2, 2], pad: "valid" }, // Wan patch embedding
  { x: [1, 3, 4, 4, 5], w: [1, 1, 1, 5, 3], strides: 1, pad: "same" },
  { x: [1, 6, 7, 7, 2], w: [2, 2, 2, 2, 3], strides: 1, pad: "valid", dilations: 2 },
  { x: [2, 3, 2, 2, 3], w: [3, 3, 3, 3, 2], strides: 1, pad: "same" }, // tiny planes: im2col, not shifted GEMMs
  { x: [1, 4, 6, 5, 3], w: [2, 2, 2, 3, 4], strides: 1, pad: "same" }, // even kernel: asymmetric padding
];

Deno.test({ name: "Conv3D and its input/filter gradients on blas equal cpu", ignore }, async () => {
  const prng = new Prng(43);
  for (const c of CONV3D) {
    const xs = [input(prng, c.x), input(prng, c.w)];
    const f = (x: tf.Tensor, w: tf.Tensor) =>
      tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, c.strides, c.pad, "NDHWC", c.dilations ?? 1);
    await assertSameAsCpu(f, xs, `conv3d ${JSON.stringify(c)}`);
    if (!c.dilations) await assertSameAsCpu(gradsOf(f), xs, `conv3d grads ${JSON.stringify(c)}`);
  }
});
