/**
 * Four-lane (WebAssembly SIMD128) loops for the transcendental hot spots of
 * the blas backend, where scalar JavaScript is the limit (≈ 5 ns per exp,
 * 8 ns per GELU element): the row-wise softmax exponentials of attention and
 * GELU(tanh) forward and backward, the LayerNorm/RMSNorm rows with their
 * scale and shift (forward and backward), and the softmax gradient rows. The
 * module is assembled from instruction bytes by _wasm_asm.ts, compiled once,
 * and works on chunks of the operands copied into its own memory (or, for
 * attention, on blocks that sgemm reads and writes there).
 *
 * GELU(tanh)(x) = x·σ(2u), u = √(2/π)(x + 0.044715x³), σ(z) = 1/(1 + e^(−z));
 * its derivative σ + x·σ(1 − σ)·2u′, u′ = √(2/π)(1 + 3·0.044715x²).
 *
 * References: Hendrycks & Gimpel 2016 (GELU, tanh form); Ba et al. 2016 §3
 * and Zhang & Sennrich 2019 §3 (norm gradients); Dao et al. 2022 Appendix B.2
 * (softmax gradient); _wasm_asm.ts for the exp.
 */
import { assemble, Body, F32, type FnDef, I32, S, V128 } from "./_wasm_asm.ts";

// ── The kernels ─────────────────────────────────────────────────────────────
const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_A = 0.044715;

/**
 * expRows(ptr, rows, rowBytes, sums): each row of floats at ptr (rowBytes a
 * multiple of 16) becomes exp(x − rowmax) in place; row sums go to sums.
 */
function expRowsFn(): FnDef {
  // params: 0 ptr, 1 rows, 2 rowBytes, 3 sums; locals: 4 row end, 5 i, 6 x, 7 n, 8 r, 9 acc, 10 end,
  // 11 f32 scratch, 12 row max, 13 exp scratch
  const b = new Body([I32, I32, I32, I32], [I32, I32, V128, V128, V128, V128, I32, 0x7d, V128, V128]);
  // end ← ptr + rows·rowBytes
  b.get(0).get(1).get(2).op(0x6c).i32Add().set(10);
  b.forBytes(0, 10, 0, () => {
    b.get(0).get(2).i32Add().set(4);
    // row max over four lanes, then across lanes
    b.splat(-Infinity).set(9);
    b.get(0).set(5);
    b.forBytes(5, 4, 16, () => {
      b.get(9).get(5).load().simd(S.max).set(9);
    });
    for (let lane = 1; lane < 4; lane++) {
      b.get(9).simd(S.f32x4ExtractLane, 0).get(9).simd(S.f32x4ExtractLane, lane).op(0x97); // f32.max
      b.set(11);
      b.get(9).get(11).simd(S.f32x4ReplaceLane, 0).set(9);
    }
    b.get(9).simd(S.f32x4ExtractLane, 0).simd(S.f32x4Splat).set(12); // the row max in four lanes
    // exp(x − max) in place, summed in acc
    b.splat(0).set(9);
    b.get(0).set(5);
    b.forBytes(5, 4, 16, () => {
      b.get(5).load().get(12).simd(S.sub).set(6);
      b.get(5).exp(6, 7, 8, 13).tee(6).store();
      b.get(9).get(6).simd(S.add).set(9);
    });
    // sums[row] ← acc lanes summed
    b.get(3);
    b.get(9).simd(S.f32x4ExtractLane, 0).get(9).simd(S.f32x4ExtractLane, 1).op(0x92);
    b.get(9).simd(S.f32x4ExtractLane, 2).get(9).simd(S.f32x4ExtractLane, 3).op(0x92).op(0x92);
    b.op(0x38, 2, 0); // f32.store
    b.get(3).i32(4).i32Add().set(3);
    b.get(4).set(0); // next row
  });
  return { name: "expRows", body: b };
}

/** gelu(src, dst, gate, bytes): dst ← GELU(tanh)(src); gate ← σ(2u) when gate ≠ 0. */
function geluFn(): FnDef {
  // params 0 src, 1 dst, 2 gate, 3 bytes; locals 4 i, 5 x, 6 s, 7 n, 8 r, 9 z, 10 t
  const b = new Body([I32, I32, I32, I32], [I32, V128, V128, V128, V128, V128, V128]);
  b.forBytes(4, 3, 16, () => {
    b.get(4).get(0).i32Add().load().tee(5);
    // z = −2c·(x + a·x³)
    b.get(5).get(5).simd(S.mul).get(5).simd(S.mul).k(GELU_A).simd(S.mul).simd(S.add);
    b.k(-2 * GELU_C).simd(S.mul).set(9);
    // s = 1 / (1 + e^z)
    b.k(1).k(1).exp(9, 7, 8, 10).simd(S.add).simd(S.div).set(6);
    b.get(4).get(1).i32Add().get(5).get(6).simd(S.mul).store();
    b.block(() => {
      b.get(2).op(0x45).brIf(0); // gate == 0 → skip
      b.get(4).get(2).i32Add().get(6).store();
    });
  });
  return { name: "gelu", body: b };
}

/** geluGrad(dy, x, gate, dx, bytes): dx ← dy·(s + x·s·(1 − s)·2c·(1 + 3a·x²)). */
function geluGradFn(): FnDef {
  // params 0 dy, 1 x, 2 gate, 3 dx, 4 bytes; locals 5 i, 6 x, 7 s
  const b = new Body([I32, I32, I32, I32, I32], [I32, V128, V128]);
  b.forBytes(5, 4, 16, () => {
    b.get(5).get(1).i32Add().load().set(6);
    b.get(5).get(2).i32Add().load().set(7);
    b.get(5).get(3).i32Add();
    b.get(5).get(0).i32Add().load(); // dy
    // s + x·s·(1 − s)·2c·(1 + 3a·x²)
    b.get(7);
    b.get(6).get(7).simd(S.mul).k(1).get(7).simd(S.sub).simd(S.mul);
    b.get(6).get(6).simd(S.mul).k(3 * GELU_A).simd(S.mul).k(1).simd(S.add).k(2 * GELU_C).simd(S.mul);
    b.simd(S.mul).simd(S.add);
    b.simd(S.mul).store();
  });
  return { name: "geluGrad", body: b };
}

/**
 * normRows(x, y, s, t, mean, rstd, rows, nBytes, center, eps): per row of n
 * floats, mean (0 unless center), rstd = 1/√(mean((x − mean)²) + eps), and
 * y = (x − mean)·rstd·s + t (t skipped when 0); s, t one row shared by all rows.
 */
function normRowsFn(): FnDef {
  // params 0 x, 1 y, 2 s, 3 t, 4 mean, 5 rstd, 6 rows, 7 nBytes, 8 center, 9 eps
  // locals 10 o, 11 row, 12 acc, 13 muV, 14 rsV, 15 mu, 16 rs, 17 nf, 18 d
  const b = new Body([I32, I32, I32, I32, I32, I32, I32, I32, I32, F32], [
    I32,
    I32,
    V128,
    V128,
    V128,
    F32,
    F32,
    F32,
    V128,
  ]);
  b.get(7).i32(2).op(0x76).op(0xb2).set(17); // nf ← f32(nBytes >> 2)
  b.i32(0).set(11);
  b.forBytes(11, 6, 1, () => {
    // mean
    b.splat(0).set(12).i32(0).set(10);
    b.forBytes(10, 7, 16, () => b.get(12).at(0, 10).simd(S.add).set(12));
    b.hsum(12).get(17).op(0x95).f32(0).get(8).op(0x1b).tee(15).simd(S.f32x4Splat).set(13);
    // rstd
    b.splat(0).set(12).i32(0).set(10);
    b.forBytes(10, 7, 16, () => {
      b.at(0, 10).get(13).simd(S.sub).tee(18).get(18).simd(S.mul).get(12).simd(S.add).set(12);
    });
    b.f32(1).hsum(12).get(17).op(0x95).get(9).op(0x92).op(0x91).op(0x95).tee(16).simd(S.f32x4Splat).set(14);
    // y
    b.i32(0).set(10);
    b.get(3).ifElse(() => {
      b.forBytes(10, 7, 16, () => {
        b.get(1).get(10).i32Add();
        b.at(0, 10).get(13).simd(S.sub).get(14).simd(S.mul).at(2, 10).simd(S.mul).at(3, 10).simd(S.add).store();
      });
    }, () => {
      b.forBytes(10, 7, 16, () => {
        b.get(1).get(10).i32Add();
        b.at(0, 10).get(13).simd(S.sub).get(14).simd(S.mul).at(2, 10).simd(S.mul).store();
      });
    });
    b.get(4).get(15).op(0x38, 2, 0).get(5).get(16).op(0x38, 2, 0);
    for (const [ptr, step] of [[0, 7], [1, 7]]) b.get(ptr).get(step).i32Add().set(ptr);
    for (const ptr of [4, 5]) b.get(ptr).i32(4).i32Add().set(ptr);
  });
  return { name: "normRows", body: b };
}

/**
 * normRowsGrad(dy, x, mean, rstd, s, ds, dt, dx, rows, nBytes, center): dx per
 * row, g = dy·s: rstd·(g − mean(g) − x̂·mean(g·x̂)) (no mean(g) unless center);
 * ds += Σ dy·x̂ and (dt ≠ 0) dt += Σ dy over the rows.
 */
function normRowsGradFn(): FnDef {
  // params 0 dy, 1 x, 2 mean, 3 rstd, 4 s, 5 ds, 6 dt, 7 dx, 8 rows, 9 nBytes, 10 center
  // locals 11 o, 12 row, 13 accG, 14 accGX, 15 muV, 16 rsV, 17 d, 18 xh, 19 gs, 20 aV, 21 bV, 22 nf
  const b = new Body([I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32], [
    I32,
    I32,
    V128,
    V128,
    V128,
    V128,
    V128,
    V128,
    V128,
    V128,
    V128,
    F32,
  ]);
  b.get(9).i32(2).op(0x76).op(0xb2).set(22);
  b.i32(0).set(12);
  b.forBytes(12, 8, 1, () => {
    b.get(2).op(0x2a, 2, 0).simd(S.f32x4Splat).set(15);
    b.get(3).op(0x2a, 2, 0).simd(S.f32x4Splat).set(16);
    b.splat(0).set(13).splat(0).set(14).i32(0).set(11);
    b.forBytes(11, 9, 16, () => {
      b.at(0, 11).set(17);
      b.at(1, 11).get(15).simd(S.sub).get(16).simd(S.mul).set(18);
      b.get(17).at(4, 11).simd(S.mul).tee(19).get(13).simd(S.add).set(13);
      b.get(19).get(18).simd(S.mul).get(14).simd(S.add).set(14);
      b.get(5).get(11).i32Add().at(5, 11).get(17).get(18).simd(S.mul).simd(S.add).store();
      b.get(6).ifElse(() => {
        b.get(6).get(11).i32Add().at(6, 11).get(17).simd(S.add).store();
      });
    });
    b.hsum(13).get(22).op(0x95).f32(0).get(10).op(0x1b).simd(S.f32x4Splat).set(20);
    b.hsum(14).get(22).op(0x95).simd(S.f32x4Splat).set(21);
    b.i32(0).set(11);
    b.forBytes(11, 9, 16, () => {
      b.get(7).get(11).i32Add();
      b.at(0, 11).at(4, 11).simd(S.mul).get(20).simd(S.sub);
      b.at(1, 11).get(15).simd(S.sub).get(16).simd(S.mul).get(21).simd(S.mul).simd(S.sub);
      b.get(16).simd(S.mul).store();
    });
    for (const ptr of [0, 1, 7]) b.get(ptr).get(9).i32Add().set(ptr);
    for (const ptr of [2, 3]) b.get(ptr).i32(4).i32Add().set(ptr);
  });
  return { name: "normRowsGrad", body: b };
}

/**
 * softmaxGradRows(ds, e, sums, rows, nBytes): with P = E / rowsum and ds
 * holding dP on entry, ds ← P ∘ (dP − Σ_row dP ∘ P) in place.
 */
function softmaxGradRowsFn(): FnDef {
  // params 0 ds, 1 e, 2 sums, 3 rows, 4 nBytes; locals 5 o, 6 row, 7 acc, 8 invV, 9 sV, 10 inv
  const b = new Body([I32, I32, I32, I32, I32], [I32, I32, V128, V128, V128, F32]);
  b.i32(0).set(6);
  b.forBytes(6, 3, 1, () => {
    b.f32(1).get(2).op(0x2a, 2, 0).op(0x95).tee(10).simd(S.f32x4Splat).set(8);
    b.splat(0).set(7).i32(0).set(5);
    b.forBytes(5, 4, 16, () => b.at(0, 5).at(1, 5).simd(S.mul).get(7).simd(S.add).set(7));
    b.hsum(7).get(10).op(0x94).simd(S.f32x4Splat).set(9);
    b.i32(0).set(5);
    b.forBytes(5, 4, 16, () => {
      b.get(0).get(5).i32Add();
      b.at(1, 5).get(8).simd(S.mul).at(0, 5).get(9).simd(S.sub).simd(S.mul).store();
    });
    for (const ptr of [0, 1]) b.get(ptr).get(4).i32Add().set(ptr);
    b.get(2).i32(4).i32Add().set(2);
  });
  return { name: "softmaxGradRows", body: b };
}

// ── Instance, memory and the JS entry points ────────────────────────────────
interface Exports {
  memory: WebAssembly.Memory;
  expRows(ptr: number, rows: number, rowBytes: number, sums: number): void;
  gelu(src: number, dst: number, gate: number, bytes: number): void;
  geluGrad(dy: number, x: number, gate: number, dx: number, bytes: number): void;
  normRows(...args: number[]): void;
  normRowsGrad(...args: number[]): void;
  softmaxGradRows(ds: number, e: number, sums: number, rows: number, nBytes: number): void;
}

let instance: Exports | null | undefined;

/** The compiled module, or null where WebAssembly SIMD is unavailable. */
function simd(): Exports | null {
  if (instance !== undefined) return instance;
  try {
    const bytes = assemble([expRowsFn(), geluFn(), geluGradFn(), normRowsFn(), normRowsGradFn(), softmaxGradRowsFn()]);
    const module = new WebAssembly.Module(bytes);
    instance = new WebAssembly.Instance(module).exports as unknown as Exports;
  } catch {
    instance = null;
  }
  return instance;
}

/** @returns true when the SIMD loops can run here. */
export function simdAvailable(): boolean {
  return simd() !== null;
}

/** Largest module memory the kernels ask for (64 MiB); bigger work is chunked or left to the scalar loops. */
const MAX_FLOATS = 1 << 24;
/** Floats per chunk of the element-wise loops: operands stay in cache between the copies and the loop. */
const CHUNK = 1 << 14;

/** A Float32Array view of at least `floats` floats of the module memory (grown as needed), or null past the cap. */
function heap(e: Exports, floats: number): Float32Array | null {
  if (floats > MAX_FLOATS) return null;
  const bytes = floats * 4;
  const have = e.memory.buffer.byteLength;
  if (have < bytes) e.memory.grow(Math.ceil((bytes - have) / 65536));
  return new Float32Array(e.memory.buffer);
}

const round4 = (n: number) => (n + 3) & ~3;

/**
 * E = exp(S − rowmax) in place on an m×n block of `s` at `off`, row sums into
 * `sums` at `sOff` (the softmax numerators of attention).
 * @returns false (nothing done) when SIMD is unavailable, n is not a multiple of 4 or the block is too large
 */
export function expRowsSimd(
  s: Float32Array,
  off: number,
  m: number,
  n: number,
  sums: Float32Array,
  sOff: number,
): boolean {
  const e = simd();
  if (!e || n % 4 !== 0 || m === 0) return false;
  const size = m * n;
  const mem = heap(e, size + round4(m));
  if (!mem) return false;
  mem.set(s.subarray(off, off + size), 0);
  e.expRows(0, m, n * 4, size * 4);
  s.set(mem.subarray(0, size), off);
  sums.set(mem.subarray(size, size + m), sOff);
  return true;
}

/**
 * y ← GELU(tanh)(x); gate ← σ(2u) when given (the backward pass needs it).
 * @returns false (nothing done) when SIMD is unavailable
 */
export function geluSimd(x: Float32Array, y: Float32Array, gate: Float32Array | null): boolean {
  const e = simd();
  const mem = e && heap(e, 3 * CHUNK);
  if (!e || !mem) return false;
  for (let c = 0; c < x.length; c += CHUNK) {
    const n = Math.min(CHUNK, x.length - c), n4 = round4(n);
    mem.set(x.subarray(c, c + n), 0);
    if (n4 > n) mem.fill(0, n, n4);
    e.gelu(0, 4 * CHUNK, gate ? 8 * CHUNK : 0, 4 * n4);
    y.set(mem.subarray(CHUNK, CHUNK + n), c);
    if (gate) gate.set(mem.subarray(2 * CHUNK, 2 * CHUNK + n), c);
  }
  return true;
}

/**
 * dx ← dy · GELU(tanh)′(x), from the kept gate σ(2u).
 * @returns false (nothing done) when SIMD is unavailable
 */
export function geluGradSimd(dy: Float32Array, x: Float32Array, gate: Float32Array, dx: Float32Array): boolean {
  const e = simd();
  const mem = e && heap(e, 4 * CHUNK);
  if (!e || !mem) return false;
  for (let c = 0; c < x.length; c += CHUNK) {
    const n = Math.min(CHUNK, x.length - c), n4 = round4(n);
    mem.set(dy.subarray(c, c + n), 0);
    mem.set(x.subarray(c, c + n), CHUNK);
    mem.set(gate.subarray(c, c + n), 2 * CHUNK);
    if (n4 > n) { for (let k = 0; k < 3; k++) mem.fill(0, k * CHUNK + n, k * CHUNK + n4); }
    e.geluGrad(0, 4 * CHUNK, 8 * CHUNK, 12 * CHUNK, 4 * n4);
    dx.set(mem.subarray(3 * CHUNK, 3 * CHUNK + n), c);
  }
  return true;
}

/** Lays out float regions of the given lengths (each 16-byte aligned) in module memory. */
function regions(e: Exports, lengths: number[]): { mem: Float32Array; at: number[] } | null {
  const at: number[] = [];
  let total = 0;
  for (const n of lengths) {
    at.push(total);
    total += round4(n);
  }
  const mem = heap(e, total);
  return mem && { mem, at };
}

/** Rows per chunk for rows of n floats (at least one). */
const rowsPerChunk = (n: number) => Math.max(1, Math.floor(CHUNK / n));

/**
 * Row norms with a per-group scale and shift: y = (x − mean)·rstd·s + t over
 * rows of n floats, `groups` consecutive blocks of rows each using its own
 * row of s (and t), plus the per-row mean and rstd.
 * @returns false (nothing done) when SIMD is unavailable, n is not a multiple of 4 or a row is too long
 */
export function normRowsSimd(
  x: Float32Array,
  o: { n: number; groups: number; center: boolean; eps: number; scale: Float32Array; shift: Float32Array | null },
  y: Float32Array,
  stats: { mean: Float32Array; rstd: Float32Array },
): boolean {
  const e = simd();
  const { n, groups } = o;
  if (!e || n % 4 !== 0 || n === 0) return false;
  const rows = x.length / n, perGroup = rows / groups, chunk = rowsPerChunk(n);
  const r = regions(e, [chunk * n, chunk * n, n, n, chunk, chunk]);
  if (!r) return false;
  const { mem, at: [ax, ay, as, at_, am, ar] } = r;
  for (let g = 0; g < groups; g++) {
    mem.set(o.scale.subarray(g * n, (g + 1) * n), as);
    if (o.shift) mem.set(o.shift.subarray(g * n, (g + 1) * n), at_);
    for (let r0 = g * perGroup; r0 < (g + 1) * perGroup; r0 += chunk) {
      const m = Math.min(chunk, (g + 1) * perGroup - r0);
      mem.set(x.subarray(r0 * n, (r0 + m) * n), ax);
      e.normRows(4 * ax, 4 * ay, 4 * as, o.shift ? 4 * at_ : 0, 4 * am, 4 * ar, m, 4 * n, o.center ? 1 : 0, o.eps);
      y.set(mem.subarray(ay, ay + m * n), r0 * n);
      stats.mean.set(mem.subarray(am, am + m), r0);
      stats.rstd.set(mem.subarray(ar, ar + m), r0);
    }
  }
  return true;
}

/**
 * Gradients of {@link normRowsSimd}: dx, and ds (and dt when given) summed
 * over each group's rows, as [groups, n].
 * @returns false (nothing done) when SIMD is unavailable, n is not a multiple of 4 or a row is too long
 */
export function normRowsGradSimd(
  dy: Float32Array,
  x: Float32Array,
  o: { n: number; groups: number; center: boolean; scale: Float32Array; mean: Float32Array; rstd: Float32Array },
  grads: { dx: Float32Array; ds: Float32Array; dt: Float32Array | null },
): boolean {
  const e = simd();
  const { n, groups } = o;
  if (!e || n % 4 !== 0 || n === 0) return false;
  const rows = x.length / n, perGroup = rows / groups, chunk = rowsPerChunk(n);
  const r = regions(e, [chunk * n, chunk * n, chunk, chunk, n, n, n, chunk * n]);
  if (!r) return false;
  const { mem, at: [ady, ax, am, ar, as, ads, adt, adx] } = r;
  for (let g = 0; g < groups; g++) {
    mem.set(o.scale.subarray(g * n, (g + 1) * n), as);
    mem.fill(0, ads, ads + n);
    mem.fill(0, adt, adt + n);
    for (let r0 = g * perGroup; r0 < (g + 1) * perGroup; r0 += chunk) {
      const m = Math.min(chunk, (g + 1) * perGroup - r0);
      mem.set(dy.subarray(r0 * n, (r0 + m) * n), ady);
      mem.set(x.subarray(r0 * n, (r0 + m) * n), ax);
      mem.set(o.mean.subarray(r0, r0 + m), am);
      mem.set(o.rstd.subarray(r0, r0 + m), ar);
      const dt = grads.dt ? 4 * adt : 0;
      e.normRowsGrad(4 * ady, 4 * ax, 4 * am, 4 * ar, 4 * as, 4 * ads, dt, 4 * adx, m, 4 * n, o.center ? 1 : 0);
      grads.dx.set(mem.subarray(adx, adx + m * n), r0 * n);
    }
    grads.ds.set(mem.subarray(ads, ads + n), g * n);
    if (grads.dt) grads.dt.set(mem.subarray(adt, adt + n), g * n);
  }
  return true;
}

/**
 * Row-wise softmax loops working in place on the module's own memory, for
 * kernels that let sgemm read and write that memory directly (no copies):
 * `view` is valid until the next call that may grow the memory.
 */
export interface SoftmaxScratch {
  /** The module memory as floats (at least the requested size). */
  view: Float32Array;
  /** E = exp(x − rowmax) in place on rows × n floats at float offset `at`; row sums to float offset `sums`. */
  expRows(at: number, rows: number, n: number, sums: number): void;
  /** ds ← P ∘ (dP − Σ dP ∘ P), P = E / sums, on rows × n floats at `ds` (holding dP), E at `e`, sums at `sums`. */
  softmaxGradRows(ds: number, e: number, sums: number, rows: number, n: number): void;
}

/**
 * @param floats floats of scratch memory needed
 * @returns the scratch, or null when SIMD is unavailable or `floats` is past the cap (64 MiB)
 */
export function softmaxScratch(floats: number): SoftmaxScratch | null {
  const e = simd();
  const view = e && heap(e, floats);
  if (!e || !view) return null;
  return {
    view,
    expRows: (at, rows, n, sums) => e.expRows(4 * at, rows, 4 * n, 4 * sums),
    softmaxGradRows: (ds, ep, sums, rows, n) => e.softmaxGradRows(4 * ds, 4 * ep, 4 * sums, rows, 4 * n),
  };
}
