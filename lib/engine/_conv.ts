/**
 * Convolutions through im2col + OpenBLAS sgemm, for Conv2D / Conv3D, their
 * input and filter gradients, and FusedConv2D.
 *
 * Conv2D is run as a Conv3D of depth 1. In channels-last layout the output
 * [N, D', H', W', Co] is, row for row, `col · W` where row p of `col` holds the
 * receptive field of output position p ([kd, kh, kw, Ci] flattened, zeros in
 * the padding) and W is the filter [kd·kh·kw·Ci, Co]. Rows are built in chunks
 * (a few MB) so memory stays bounded; the gradients reuse the same layout:
 * dX = col2im(dY · Wᵀ) and dW = Σ_chunks colᵀ · dY. 1×1 stride-1 unpadded
 * convolutions skip im2col. NCHW Conv2D is transposed to NHWC and back.
 *
 * References: Chellapilla et al. 2006, "High Performance Convolutional Neural
 * Networks for Document Processing" (im2col); TensorFlow.js Conv2D/Conv3D
 * kernels and `backend_util.computeConv2DInfo` / `computeConv3DInfo`.
 */
import {
  backend_util,
  Conv2D,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  Conv3D,
  Conv3DBackpropFilterV2,
  Conv3DBackpropInputV2,
  FusedConv2D,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import type { OpenBlas } from "./_ffi.ts";
import { allFloat32, blasConfig, cpuKernel, f32, type KernelArgs, out } from "./_kernel_utils.ts";
import { transposeValues } from "./_transpose.ts";
import { biasActivation } from "./_activation.ts";
import { newF32, noteReleased, zerosF32 } from "./_pool.ts";

/** Convolution geometry in channels-last 3-D form (2-D has depth 1). */
export interface ConvGeometry {
  batch: number;
  inD: number;
  inH: number;
  inW: number;
  ci: number;
  outD: number;
  outH: number;
  outW: number;
  co: number;
  fd: number;
  fh: number;
  fw: number;
  sd: number;
  sh: number;
  sw: number;
  dd: number;
  dh: number;
  dw: number;
  padFront: number;
  padTop: number;
  padLeft: number;
  padBack: number;
  padBottom: number;
  padRight: number;
}

/**
 * The 3-D geometry of a TensorFlow.js Conv2DInfo or Conv3DInfo.
 * @param info convolution info from backend_util
 * @returns the geometry
 */
export function convGeometry(info: backend_util.Conv2DInfo | backend_util.Conv3DInfo): ConvGeometry {
  const is3d = "inDepth" in info;
  const i3 = info as backend_util.Conv3DInfo;
  return {
    batch: info.batchSize,
    inD: is3d ? i3.inDepth : 1,
    inH: info.inHeight,
    inW: info.inWidth,
    ci: info.inChannels,
    outD: is3d ? i3.outDepth : 1,
    outH: info.outHeight,
    outW: info.outWidth,
    co: info.outChannels,
    fd: is3d ? i3.filterDepth : 1,
    fh: info.filterHeight,
    fw: info.filterWidth,
    sd: is3d ? i3.strideDepth : 1,
    sh: info.strideHeight,
    sw: info.strideWidth,
    dd: is3d ? i3.dilationDepth : 1,
    dh: info.dilationHeight,
    dw: info.dilationWidth,
    padFront: is3d ? i3.padInfo.front : 0,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
    padBack: is3d ? i3.padInfo.back : 0,
    padBottom: info.padInfo.bottom,
    padRight: info.padInfo.right,
  };
}

/** Floats of im2col scratch per chunk (16 MB). */
const CHUNK_FLOATS = 1 << 22;
let scratch = new Float32Array(0);

function scratchOf(size: number): Float32Array {
  if (scratch.length < size) scratch = new Float32Array(size);
  return scratch;
}

const patchSize = (g: ConvGeometry) => g.fd * g.fh * g.fw * g.ci;
const positions = (g: ConvGeometry) => g.batch * g.outD * g.outH * g.outW;
const rowsPerChunk = (g: ConvGeometry) => Math.max(1, Math.floor(CHUNK_FLOATS / patchSize(g)));

/** True when the convolution is a plain per-position matmul (1×1×1, stride 1, no padding). */
function isPointwise(g: ConvGeometry): boolean {
  return g.fd === 1 && g.fh === 1 && g.fw === 1 && g.sd === 1 && g.sh === 1 && g.sw === 1 &&
    g.padFront === 0 && g.padTop === 0 && g.padLeft === 0 &&
    g.outD === g.inD && g.outH === g.inH && g.outW === g.inW;
}

/**
 * Walks output positions [p0, p1) and, for each filter tap row (kd, kh), calls
 * `visit(colOffset, xOffset, length)` for every run of in-bounds taps whose
 * input channels are contiguous in x (a whole kw row when dilation is 1).
 * Out-of-bounds taps are skipped: callers zero-fill or ignore them.
 */
function walkPatches(
  g: ConvGeometry,
  p0: number,
  p1: number,
  visit: (colOffset: number, xOffset: number, length: number) => void,
) {
  const K = patchSize(g);
  const rowLen = g.fw * g.ci;
  for (let p = p0; p < p1; p++) {
    let t = p;
    const ow = t % g.outW;
    t = (t - ow) / g.outW;
    const oh = t % g.outH;
    t = (t - oh) / g.outH;
    const od = t % g.outD;
    const b = (t - od) / g.outD;
    const colRow = (p - p0) * K;
    const w0 = ow * g.sw - g.padLeft;
    // kw range whose input column is inside the image
    let kwLo = 0, kwHi = g.fw;
    while (kwLo < g.fw && w0 + kwLo * g.dw < 0) kwLo++;
    while (kwHi > kwLo && w0 + (kwHi - 1) * g.dw >= g.inW) kwHi--;
    if (kwLo >= kwHi) continue;
    for (let kd = 0; kd < g.fd; kd++) {
      const id = od * g.sd - g.padFront + kd * g.dd;
      if (id < 0 || id >= g.inD) continue;
      for (let kh = 0; kh < g.fh; kh++) {
        const ih = oh * g.sh - g.padTop + kh * g.dh;
        if (ih < 0 || ih >= g.inH) continue;
        const colOff = colRow + (kd * g.fh + kh) * rowLen;
        const xRow = (((b * g.inD + id) * g.inH + ih) * g.inW) * g.ci;
        if (g.dw === 1) {
          visit(colOff + kwLo * g.ci, xRow + (w0 + kwLo) * g.ci, (kwHi - kwLo) * g.ci);
        } else {
          for (let kw = kwLo; kw < kwHi; kw++) {
            visit(colOff + kw * g.ci, xRow + (w0 + kw * g.dw) * g.ci, g.ci);
          }
        }
      }
    }
  }
}

/** Fills col rows for positions [p0, p1) from x (zeros in the padding). */
function im2col(x: Float32Array, g: ConvGeometry, p0: number, p1: number, col: Float32Array) {
  col.fill(0, 0, (p1 - p0) * patchSize(g));
  walkPatches(g, p0, p1, (c, xo, n) => {
    if (n >= 32) col.set(x.subarray(xo, xo + n), c);
    else for (let i = 0; i < n; i++) col[c + i] = x[xo + i];
  });
}

/** Adds col rows for positions [p0, p1) back into dx (the adjoint of im2col). */
function col2im(col: Float32Array, g: ConvGeometry, p0: number, p1: number, dx: Float32Array) {
  walkPatches(g, p0, p1, (c, xo, n) => {
    for (let i = 0; i < n; i++) dx[xo + i] += col[c + i];
  });
}

/**
 * Stride-1 convolutions as one sgemm per filter tap on the zero-padded input
 * (no im2col). Output positions are enumerated over the padded H×W plane
 * ("rows" r = (d·Hp + h)·Wp + w), so that for every tap the input rows it
 * reads are equally strided (by Ci): rows with h ≥ H' or w ≥ W' are computed
 * and dropped, which costs (Hp·Wp)/(H'·W') − 1 extra work.
 */
interface Shifted {
  dp: number;
  hp: number;
  wp: number;
  /** Rows per batch item (output positions over the padded plane). */
  rows: number;
  /** Rows of the padded input buffer (padded volume plus the overrun of the last taps). */
  inRows: number;
  /** Row offset of each tap, in [kd, kh, kw] order (the filter's order). */
  offsets: number[];
}

/** Largest extra work the shifted path accepts before im2col is used instead. */
const MAX_OVERCOMPUTE = 2;

function shiftedPlan(g: ConvGeometry): Shifted | null {
  if (g.sd !== 1 || g.sh !== 1 || g.sw !== 1) return null;
  const dp = g.inD + g.padFront + g.padBack, hp = g.inH + g.padTop + g.padBottom, wp = g.inW + g.padLeft + g.padRight;
  if (dp - (g.fd - 1) * g.dd !== g.outD || hp - (g.fh - 1) * g.dh !== g.outH || wp - (g.fw - 1) * g.dw !== g.outW) {
    return null;
  }
  if (hp * wp > MAX_OVERCOMPUTE * g.outH * g.outW) return null;
  const offsets: number[] = [];
  for (let kd = 0; kd < g.fd; kd++) {
    for (let kh = 0; kh < g.fh; kh++) {
      for (let kw = 0; kw < g.fw; kw++) offsets.push((kd * g.dd * hp + kh * g.dh) * wp + kw * g.dw);
    }
  }
  const rows = g.outD * hp * wp;
  return { dp, hp, wp, rows, inRows: Math.max(dp * hp * wp, rows + offsets.at(-1)!), offsets };
}

/** x[n] copied into the zero-padded buffer xp (inRows × Ci). */
function padInput(x: Float32Array, n: number, g: ConvGeometry, s: Shifted, xp: Float32Array) {
  xp.fill(0);
  const row = g.inW * g.ci;
  for (let d = 0; d < g.inD; d++) {
    for (let h = 0; h < g.inH; h++) {
      const src = ((n * g.inD + d) * g.inH + h) * row;
      const dst = (((d + g.padFront) * s.hp + h + g.padTop) * s.wp + g.padLeft) * g.ci;
      xp.set(x.subarray(src, src + row), dst);
    }
  }
}

/** Output rows of batch item n (H'×W' inside the padded plane) copied from/to the row space. */
function rowsToOutput(t: Float32Array, n: number, g: ConvGeometry, s: Shifted, y: Float32Array) {
  const row = g.outW * g.co;
  for (let d = 0; d < g.outD; d++) {
    for (let h = 0; h < g.outH; h++) {
      const src = (d * s.hp + h) * s.wp * g.co;
      y.set(t.subarray(src, src + row), ((n * g.outD + d) * g.outH + h) * row);
    }
  }
}

function outputToRows(dy: Float32Array, n: number, g: ConvGeometry, s: Shifted, t: Float32Array) {
  t.fill(0);
  const row = g.outW * g.co;
  for (let d = 0; d < g.outD; d++) {
    for (let h = 0; h < g.outH; h++) {
      const src = ((n * g.outD + d) * g.outH + h) * row;
      t.set(dy.subarray(src, src + row), (d * s.hp + h) * s.wp * g.co);
    }
  }
}

function shiftedForward(blas: OpenBlas, x: Float32Array, w: Float32Array, g: ConvGeometry, s: Shifted): Float32Array {
  const y = newF32(g.batch * g.outD * g.outH * g.outW * g.co);
  const xp = new Float32Array(s.inRows * g.ci), t = new Float32Array(s.rows * g.co);
  const tap = g.ci * g.co;
  for (let n = 0; n < g.batch; n++) {
    padInput(x, n, g, s, xp);
    s.offsets.forEach((off, i) => {
      blas.sgemm(
        false,
        false,
        s.rows,
        g.co,
        g.ci,
        1,
        xp,
        off * g.ci,
        g.ci,
        w,
        i * tap,
        g.co,
        i === 0 ? 0 : 1,
        t,
        0,
        g.co,
      );
    });
    rowsToOutput(t, n, g, s, y);
  }
  return y;
}

function shiftedBackpropInput(blas: OpenBlas, dy: Float32Array, w: Float32Array, g: ConvGeometry, s: Shifted) {
  const dx = newF32(g.batch * g.inD * g.inH * g.inW * g.ci);
  const dxp = new Float32Array(s.inRows * g.ci), t = new Float32Array(s.rows * g.co);
  const tap = g.ci * g.co, row = g.inW * g.ci;
  for (let n = 0; n < g.batch; n++) {
    outputToRows(dy, n, g, s, t);
    dxp.fill(0);
    s.offsets.forEach((off, i) => {
      blas.sgemm(false, true, s.rows, g.ci, g.co, 1, t, 0, g.co, w, i * tap, g.co, 1, dxp, off * g.ci, g.ci);
    });
    for (let d = 0; d < g.inD; d++) {
      for (let h = 0; h < g.inH; h++) {
        const src = (((d + g.padFront) * s.hp + h + g.padTop) * s.wp + g.padLeft) * g.ci;
        dx.set(dxp.subarray(src, src + row), ((n * g.inD + d) * g.inH + h) * row);
      }
    }
  }
  return dx;
}

function shiftedBackpropFilter(blas: OpenBlas, x: Float32Array, dy: Float32Array, g: ConvGeometry, s: Shifted) {
  const tap = g.ci * g.co;
  const dw = newF32(s.offsets.length * tap);
  const xp = new Float32Array(s.inRows * g.ci), t = new Float32Array(s.rows * g.co);
  for (let n = 0; n < g.batch; n++) {
    padInput(x, n, g, s, xp);
    outputToRows(dy, n, g, s, t);
    s.offsets.forEach((off, i) => {
      blas.sgemm(
        true,
        false,
        g.ci,
        g.co,
        s.rows,
        1,
        xp,
        off * g.ci,
        g.ci,
        t,
        0,
        g.co,
        n === 0 ? 0 : 1,
        dw,
        i * tap,
        g.co,
      );
    });
  }
  return dw;
}

/**
 * Forward convolution, channels-last.
 * @param blas loaded OpenBLAS
 * @param x input [N, D, H, W, Ci] values
 * @param w filter [fd, fh, fw, Ci, Co] values
 * @param g geometry
 * @returns output [N, D', H', W', Co] values
 */
export function convForward(blas: OpenBlas, x: Float32Array, w: Float32Array, g: ConvGeometry): Float32Array {
  const P = positions(g), K = patchSize(g), co = g.co;
  if (P === 0 || co === 0) return new Float32Array(P * co);
  const shifted = isPointwise(g) ? null : shiftedPlan(g);
  if (shifted) return shiftedForward(blas, x, w, g, shifted);
  const y = newF32(P * co); // every row is written by sgemm (beta = 0)
  if (isPointwise(g)) {
    blas.sgemm(false, false, P, co, K, 1, x, 0, K, w, 0, co, 0, y, 0, co);
    return y;
  }
  const chunk = rowsPerChunk(g);
  const col = scratchOf(chunk * K);
  for (let p0 = 0; p0 < P; p0 += chunk) {
    const p1 = Math.min(P, p0 + chunk);
    im2col(x, g, p0, p1, col);
    blas.sgemm(false, false, p1 - p0, co, K, 1, col, 0, K, w, 0, co, 0, y, p0 * co, co);
  }
  return y;
}

/**
 * Gradient of the convolution with respect to its input.
 * @param blas loaded OpenBLAS
 * @param dy output gradient [N, D', H', W', Co]
 * @param w filter [fd, fh, fw, Ci, Co]
 * @param g geometry
 * @returns dx [N, D, H, W, Ci]
 */
export function convBackpropInput(blas: OpenBlas, dy: Float32Array, w: Float32Array, g: ConvGeometry): Float32Array {
  const P = positions(g), K = patchSize(g), co = g.co;
  const shifted = P === 0 || K === 0 || isPointwise(g) ? null : shiftedPlan(g);
  if (shifted) return shiftedBackpropInput(blas, dy, w, g, shifted);
  const dx = zerosF32(g.batch * g.inD * g.inH * g.inW * g.ci); // col2im accumulates
  if (P === 0 || K === 0) return dx;
  if (isPointwise(g)) {
    blas.sgemm(false, true, P, K, co, 1, dy, 0, co, w, 0, co, 0, dx, 0, K);
    return dx;
  }
  const chunk = rowsPerChunk(g);
  const col = scratchOf(chunk * K);
  for (let p0 = 0; p0 < P; p0 += chunk) {
    const p1 = Math.min(P, p0 + chunk);
    blas.sgemm(false, true, p1 - p0, K, co, 1, dy, p0 * co, co, w, 0, co, 0, col, 0, K);
    col2im(col, g, p0, p1, dx);
  }
  return dx;
}

/**
 * Gradient of the convolution with respect to its filter.
 * @param blas loaded OpenBLAS
 * @param x input [N, D, H, W, Ci]
 * @param dy output gradient [N, D', H', W', Co]
 * @param g geometry
 * @returns dw [fd, fh, fw, Ci, Co]
 */
export function convBackpropFilter(blas: OpenBlas, x: Float32Array, dy: Float32Array, g: ConvGeometry): Float32Array {
  const P = positions(g), K = patchSize(g), co = g.co;
  if (P === 0 || K === 0 || co === 0) return new Float32Array(K * co);
  const shifted = isPointwise(g) ? null : shiftedPlan(g);
  if (shifted) return shiftedBackpropFilter(blas, x, dy, g, shifted);
  const dw = newF32(K * co); // the first chunk's sgemm has beta = 0
  if (isPointwise(g)) {
    blas.sgemm(true, false, K, co, P, 1, x, 0, K, dy, 0, co, 0, dw, 0, co);
    return dw;
  }
  const chunk = rowsPerChunk(g);
  const col = scratchOf(chunk * K);
  for (let p0 = 0; p0 < P; p0 += chunk) {
    const p1 = Math.min(P, p0 + chunk);
    im2col(x, g, p0, p1, col);
    blas.sgemm(true, false, K, co, p1 - p0, 1, col, 0, K, dy, p0 * co, co, p0 === 0 ? 0 : 1, dw, 0, co);
  }
  return dw;
}

let blasLib: OpenBlas | null = null;

/** Binds the conv kernels to a loaded OpenBLAS (called once at registration). */
export function bindConvBlas(blas: OpenBlas) {
  blasLib = blas;
}

function lib(): OpenBlas {
  if (!blasLib) throw new Error("Cannot run the blas conv kernels before registerBlasBackend()");
  return blasLib;
}

const NHWC_FROM_NCHW = [0, 2, 3, 1];
const NCHW_FROM_NHWC = [0, 3, 1, 2];

/** Values of a 4-D tensor in NHWC order (transposed when the data format is NCHW). */
function nhwc(values: Float32Array, shape: number[], nchw: boolean): Float32Array {
  return nchw ? transposeValues(values, shape, NHWC_FROM_NCHW) : values;
}

/** Returns a temporary NHWC copy (see nhwc) to the pool. */
function done(temp: Float32Array, original: Float32Array) {
  if (temp !== original) noteReleased(temp);
}

/** NHWC result values in the requested layout (the NHWC temporary goes back to the pool). */
function toFormat(values: Float32Array, nhwcShape: number[], nchw: boolean): Float32Array {
  if (!nchw) return values;
  const t = transposeValues(values, nhwcShape, NCHW_FROM_NHWC);
  noteReleased(values);
  return t;
}

/** Conv2D geometry from TF.js's attributes (data format and rounding included). */
function conv2dInfo(
  xShape: Shape4,
  filterShape: Shape4,
  a: Conv2DAttrs,
  dilations: Conv2DAttrs["dilations"],
): backend_util.Conv2DInfo {
  return backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    a.strides,
    dilations,
    a.pad,
    a.dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(a.dataFormat),
  );
}

/** The 2-D forward shared by Conv2D and FusedConv2D: NHWC output values. */
function forward2d(backend: KernelArgs["backend"], x: TensorInfo, filter: TensorInfo, g: ConvGeometry, nchw: boolean) {
  const xv = f32(backend, x), xn = nhwc(xv, x.shape, nchw);
  const y = convForward(lib(), xn, f32(backend, filter), g);
  done(xn, xv);
  return y;
}

function conv2dKernel(args: KernelArgs) {
  const { x, filter } = args.inputs;
  if (!allFloat32(x, filter)) return cpuKernel(Conv2D)(args);
  const a = args.attrs as unknown as Conv2DAttrs;
  const { backend } = args;
  const info = conv2dInfo(x.shape as Shape4, filter.shape as Shape4, a, a.dilations);
  const nchw = a.dataFormat === "NCHW";
  const g = convGeometry(info);
  const y = forward2d(backend, x, filter, g, nchw);
  return out(backend, info.outShape, toFormat(y, [g.batch, g.outH, g.outW, g.co], nchw));
}

function fusedConv2dKernel(args: KernelArgs) {
  const { x, filter, bias, preluActivationWeights } = args.inputs;
  if (!allFloat32(x, filter, bias, preluActivationWeights)) return cpuKernel(FusedConv2D)(args);
  const a = args.attrs as unknown as Conv2DAttrs & { activation?: string; leakyreluAlpha?: number };
  const { backend } = args;
  const info = conv2dInfo(x.shape as Shape4, filter.shape as Shape4, a, a.dilations);
  const nchw = a.dataFormat === "NCHW";
  const g = convGeometry(info);
  const nhwcShape = [g.batch, g.outH, g.outW, g.co];
  // In NHWC a 1-D bias / prelu weight lines up with the channels, as the cpu
  // kernel's NCHW reshape to [C, 1, 1] does; other NCHW ranks use the cpu kernel.
  if (nchw && [bias, preluActivationWeights].some((t) => t && t.shape.length > 1)) {
    return cpuKernel(FusedConv2D)(args);
  }
  const asValues = (t?: TensorInfo) => t && { values: f32(backend, t), shape: t.shape };
  const y = forward2d(backend, x, filter, g, nchw);
  const r = biasActivation({ values: y, shape: nhwcShape }, {
    bias: asValues(bias),
    activation: a.activation,
    prelu: asValues(preluActivationWeights),
    leakyreluAlpha: a.leakyreluAlpha,
  });
  if (r.values !== y) noteReleased(y);
  return out(backend, info.outShape, toFormat(r.values, nhwcShape, nchw));
}

function conv2dBackpropInputKernel(args: KernelArgs) {
  const { dy, filter } = args.inputs;
  if (!allFloat32(dy, filter)) return cpuKernel(Conv2DBackpropInput)(args);
  const a = args.attrs as unknown as Conv2DAttrs & { inputShape: Shape4 };
  const { backend } = args;
  const info = conv2dInfo(a.inputShape, filter.shape as Shape4, a, 1);
  const nchw = a.dataFormat === "NCHW";
  const g = convGeometry(info);
  const dyv = f32(backend, dy), dyn = nhwc(dyv, dy.shape, nchw);
  const dx = convBackpropInput(lib(), dyn, f32(backend, filter), g);
  done(dyn, dyv);
  return out(backend, a.inputShape, toFormat(dx, [g.batch, g.inH, g.inW, g.ci], nchw));
}

function conv2dBackpropFilterKernel(args: KernelArgs) {
  const { x, dy } = args.inputs;
  if (!allFloat32(x, dy)) return cpuKernel(Conv2DBackpropFilter)(args);
  const a = args.attrs as unknown as Conv2DAttrs & { filterShape: Shape4 };
  const { backend } = args;
  const info = conv2dInfo(x.shape as Shape4, a.filterShape, a, 1);
  const nchw = a.dataFormat === "NCHW";
  const g = convGeometry(info);
  const xv = f32(backend, x), xn = nhwc(xv, x.shape, nchw);
  const dyv = f32(backend, dy), dyn = nhwc(dyv, dy.shape, nchw);
  const dw = convBackpropFilter(lib(), xn, dyn, g);
  done(xn, xv);
  done(dyn, dyv);
  return out(backend, a.filterShape, dw);
}

function conv3dKernel(args: KernelArgs) {
  const { x, filter } = args.inputs;
  const a = args.attrs as unknown as Conv3DAttrs;
  if (!allFloat32(x, filter) || (a.dataFormat && a.dataFormat !== "NDHWC")) return cpuKernel(Conv3D)(args);
  const info = backend_util.computeConv3DInfo(x.shape as Shape5, filter.shape as Shape5, a.strides, a.dilations, a.pad);
  const y = convForward(lib(), f32(args.backend, x), f32(args.backend, filter), convGeometry(info));
  return out(args.backend, info.outShape, y);
}

function conv3dBackpropInputKernel(args: KernelArgs) {
  const { dy, filter } = args.inputs;
  if (!allFloat32(dy, filter)) return cpuKernel(Conv3DBackpropInputV2)(args);
  const a = args.attrs as unknown as Conv3DAttrs & { inputShape: Shape5 };
  const info = backend_util.computeConv3DInfo(a.inputShape, filter.shape as Shape5, a.strides, 1, a.pad);
  const dx = convBackpropInput(lib(), f32(args.backend, dy), f32(args.backend, filter), convGeometry(info));
  return out(args.backend, a.inputShape, dx);
}

function conv3dBackpropFilterKernel(args: KernelArgs) {
  const { x, dy } = args.inputs;
  if (!allFloat32(x, dy)) return cpuKernel(Conv3DBackpropFilterV2)(args);
  const a = args.attrs as unknown as Conv3DAttrs & { filterShape: Shape5 };
  const info = backend_util.computeConv3DInfo(x.shape as Shape5, a.filterShape, a.strides, 1, a.pad);
  const dw = convBackpropFilter(lib(), f32(args.backend, x), f32(args.backend, dy), convGeometry(info));
  return out(args.backend, a.filterShape, dw);
}

type Shape4 = [number, number, number, number];
type Shape5 = [number, number, number, number, number];
interface Conv2DAttrs {
  strides: number | [number, number];
  pad: "valid" | "same" | number | backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dilations: number | [number, number];
  dimRoundingMode?: "floor" | "round" | "ceil";
}
interface Conv3DAttrs {
  strides: number | [number, number, number];
  pad: "valid" | "same";
  dataFormat?: "NDHWC" | "NCDHW";
  dilations: number | [number, number, number];
}

/** Kernel configs of this file. */
export const convConfigs = [
  blasConfig(Conv2D, conv2dKernel),
  blasConfig(FusedConv2D, fusedConv2dKernel),
  blasConfig(Conv2DBackpropInput, conv2dBackpropInputKernel),
  blasConfig(Conv2DBackpropFilter, conv2dBackpropFilterKernel),
  blasConfig(Conv3D, conv3dKernel),
  blasConfig(Conv3DBackpropInputV2, conv3dBackpropInputKernel),
  blasConfig(Conv3DBackpropFilterV2, conv3dBackpropFilterKernel),
];
