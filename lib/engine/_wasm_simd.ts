/**
 * Four-lane (WebAssembly SIMD128) loops for the transcendental hot spots of
 * the blas backend, where scalar JavaScript is the limit (≈ 5 ns per exp,
 * 8 ns per GELU element): the row-wise softmax exponentials of attention and
 * GELU(tanh) forward and backward. The module is assembled here from
 * instruction bytes (no toolchain, no binary blob), compiled once, and works
 * on copies of the operands in its own memory.
 *
 * exp(x): x clamped to [−87.3, 88] (e^x is then a normal float32), n =
 * nearest(x·log₂e), r = x − n·ln2 in two parts (Cody–Waite), e^r by the
 * degree-7 polynomial of Cephes `expf` (relative error ≈ 1e-7), times 2ⁿ built
 * in the exponent bits. GELU(tanh)(x) = x·σ(2u), u = √(2/π)(x + 0.044715x³),
 * σ(z) = 1/(1 + e^(−z)); its derivative σ + x·σ(1 − σ)·2u′, u′ = √(2/π)(1 + 3·0.044715x²).
 *
 * References: WebAssembly SIMD128 (final opcodes, BinarySIMD.md); Cody &
 * Waite 1980 (argument reduction); Moshier, Cephes Math Library `expf.c`
 * (polynomial coefficients, reduction constants); Hendrycks & Gimpel 2016
 * (GELU, tanh form).
 */

/** 1.5·2²³: adding it rounds a float32 of magnitude < 2²² to an integer held in the low mantissa bits. */
const MAGIC = 12582912;
const MAGIC_BITS = 0x4b400000;

// ── A minimal assembler ─────────────────────────────────────────────────────
const I32 = 0x7f, V128 = 0x7b;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function f32Bytes(v: number): number[] {
  return [...new Uint8Array(new Float32Array([v]).buffer)];
}

/** SIMD opcodes used here (0xfd prefix). */
const S = {
  load: 0x00,
  store: 0x0b,
  const: 0x0c,
  f32x4Splat: 0x13,
  f32x4ExtractLane: 0x1f,
  f32x4ReplaceLane: 0x20,
  nearest: 0x6a,
  i32x4Shl: 0xab,
  i32x4Add: 0xae,
  add: 0xe4,
  sub: 0xe5,
  mul: 0xe6,
  div: 0xe7,
  min: 0xe8,
  max: 0xe9,
  pmin: 0xea,
  pmax: 0xeb,
  i32x4Sub: 0xb1,
} as const;

/** One function body under construction. */
class Body {
  readonly code: number[] = [];
  /** Code that runs first: the hoisted constants of {@link Body.k}. */
  readonly prologue: number[] = [];
  readonly #consts = new Map<string, number>();
  constructor(readonly params: number[], readonly locals: number[]) {}
  /**
   * Pushes a v128 constant (v in four f32 lanes, or four i32 lanes) kept in a
   * local set once at function entry, so hot loops do not rebuild it.
   */
  k(v: number, lanes: "f32" | "i32" = "f32") {
    const key = `${lanes}:${v}`;
    let idx = this.#consts.get(key);
    if (idx === undefined) {
      idx = this.params.length + this.locals.length;
      this.locals.push(V128);
      this.#consts.set(key, idx);
      const b = lanes === "f32" ? f32Bytes(v) : [...new Uint8Array(new Int32Array([v]).buffer)];
      this.prologue.push(0xfd, ...uleb(S.const), ...b, ...b, ...b, ...b, 0x21, ...uleb(idx));
    }
    return this.get(idx);
  }
  get(i: number) {
    this.code.push(0x20, ...uleb(i));
    return this;
  }
  set(i: number) {
    this.code.push(0x21, ...uleb(i));
    return this;
  }
  tee(i: number) {
    this.code.push(0x22, ...uleb(i));
    return this;
  }
  i32(v: number) {
    this.code.push(0x41, ...sleb(v));
    return this;
  }
  /** A v128 constant with v in all four f32 lanes. */
  splat(v: number) {
    const b = f32Bytes(v);
    this.code.push(0xfd, ...uleb(S.const), ...b, ...b, ...b, ...b);
    return this;
  }
  /** A v128 constant with four i32 lanes. */
  splatI32(v: number) {
    const b = [...new Uint8Array(new Int32Array([v]).buffer)];
    this.code.push(0xfd, ...uleb(S.const), ...b, ...b, ...b, ...b);
    return this;
  }
  simd(op: number, ...imm: number[]) {
    this.code.push(0xfd, ...uleb(op), ...imm);
    return this;
  }
  /** v128.load at the i32 address on the stack (+ offset). */
  load(offset = 0) {
    return this.simd(S.load, 4, ...uleb(offset));
  }
  /** v128.store of (address, value) on the stack. */
  store(offset = 0) {
    return this.simd(S.store, 4, ...uleb(offset));
  }
  op(...bytes: number[]) {
    this.code.push(...bytes);
    return this;
  }
  i32Add() {
    return this.op(0x6a);
  }
  /** block … end / loop … end with no result. */
  block(inner: () => void) {
    this.code.push(0x02, 0x40);
    inner();
    this.code.push(0x0b);
    return this;
  }
  loop(inner: () => void) {
    this.code.push(0x03, 0x40);
    inner();
    this.code.push(0x0b);
    return this;
  }
  brIf(depth: number) {
    return this.op(0x0d, ...uleb(depth));
  }
  br(depth: number) {
    return this.op(0x0c, ...uleb(depth));
  }
  /**
   * `for (i = start; i < end; i += 16) inner()` over byte offsets held in
   * locals; inner runs with the loop counter in `i`.
   */
  forBytes(i: number, end: number, step: number, inner: () => void) {
    return this.block(() =>
      this.loop(() => {
        this.get(i).get(end).op(0x4f).brIf(1); // i >= end (unsigned) → exit
        inner();
        this.get(i).i32(step).i32Add().set(i);
        this.br(0);
      })
    );
  }
  /**
   * Pushes e^x for the v128 in local `x`; uses locals `n`, `r` and `t` (v128).
   */
  exp(x: number, n: number, r: number, t: number) {
    // x ← clamp(x) (pmax/pmin: plain maxps/minps; a NaN x stays NaN); t ← x·log2e + 1.5·2²³,
    // whose low mantissa bits hold nearest(x·log2e); n ← t − 1.5·2²³
    this.get(x).k(-87.33654).simd(S.pmax).k(88).simd(S.pmin).tee(x);
    this.k(Math.LOG2E).simd(S.mul).k(MAGIC).simd(S.add).tee(t);
    this.k(MAGIC).simd(S.sub).set(n);
    // r ← (x − n·C1) − n·C2
    this.get(x).get(n).k(0.693359375).simd(S.mul).simd(S.sub);
    this.get(n).k(-2.12194440e-4).simd(S.mul).simd(S.sub).set(r);
    // p(r) = ((((((P0·r + P1)·r + P2)·r + P3)·r + P4)·r + P5)·r² + r + 1
    this.get(r).k(1.9875691500e-4).simd(S.mul).k(1.3981999507e-3).simd(S.add);
    for (const c of [8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1]) {
      this.get(r).simd(S.mul).k(c).simd(S.add);
    }
    this.get(r).simd(S.mul).get(r).simd(S.mul).get(r).simd(S.add).k(1).simd(S.add);
    // · 2ⁿ: (bits(t) − bits(1.5·2²³) + 127) << 23 read as float32 lanes
    this.get(t).k(MAGIC_BITS - 127, "i32").simd(S.i32x4Sub).i32(23).simd(S.i32x4Shl);
    return this.simd(S.mul);
  }
}

interface FnDef {
  name: string;
  body: Body;
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function assemble(fns: FnDef[]): Uint8Array<ArrayBuffer> {
  const types = fns.map((f) => [0x60, ...vec(f.body.params.map((p) => [p])), 0x00]);
  const name = (s: string) => [...uleb(s.length), ...new TextEncoder().encode(s)];
  const exportsSec = [
    ...fns.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]),
    [...name("memory"), 0x02, 0x00],
  ];
  const codes = fns.map((f) => {
    const locals = f.body.locals.length ? vec(f.body.locals.map((t) => [1, t])) : [0];
    const body = [...locals, ...f.body.prologue, ...f.body.code, 0x0b];
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(3, vec(fns.map((_, i) => uleb(i)))),
    ...section(5, vec([[0x00, ...uleb(1)]])),
    ...section(7, vec(exportsSec)),
    ...section(10, vec(codes)),
  ]);
}

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

// ── Instance, memory and the JS entry points ────────────────────────────────
interface Exports {
  memory: WebAssembly.Memory;
  expRows(ptr: number, rows: number, rowBytes: number, sums: number): void;
  gelu(src: number, dst: number, gate: number, bytes: number): void;
  geluGrad(dy: number, x: number, gate: number, dx: number, bytes: number): void;
}

let instance: Exports | null | undefined;

/** The compiled module, or null where WebAssembly SIMD is unavailable. */
function simd(): Exports | null {
  if (instance !== undefined) return instance;
  try {
    const bytes = assemble([expRowsFn(), geluFn(), geluGradFn()]);
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

/** A Float32Array view of at least `floats` floats of the module memory (grown as needed). */
function heap(e: Exports, floats: number): Float32Array {
  const bytes = floats * 4;
  const have = e.memory.buffer.byteLength;
  if (have < bytes) e.memory.grow(Math.ceil((bytes - have) / 65536));
  return new Float32Array(e.memory.buffer);
}

const round4 = (n: number) => (n + 3) & ~3;

/**
 * E = exp(S − rowmax) in place on an m×n block of `s` at `off`, row sums into
 * `sums` at `sOff` (the softmax numerators of attention).
 * @returns false (nothing done) when SIMD is unavailable or n is not a multiple of 4
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
  if (!e) return false;
  const n = x.length, n4 = round4(n);
  const mem = heap(e, 3 * n4);
  mem.set(x, 0);
  if (n4 > n) mem.fill(0, n, n4);
  e.gelu(0, 4 * n4, gate ? 8 * n4 : 0, 4 * n4);
  y.set(mem.subarray(n4, n4 + n));
  if (gate) gate.set(mem.subarray(2 * n4, 2 * n4 + n));
  return true;
}

/**
 * dx ← dy · GELU(tanh)′(x), from the kept gate σ(2u).
 * @returns false (nothing done) when SIMD is unavailable
 */
export function geluGradSimd(dy: Float32Array, x: Float32Array, gate: Float32Array, dx: Float32Array): boolean {
  const e = simd();
  if (!e) return false;
  const n = x.length, n4 = round4(n);
  const mem = heap(e, 4 * n4);
  mem.set(dy, 0);
  mem.set(x, n4);
  mem.set(gate, 2 * n4);
  if (n4 > n) { for (let k = 0; k < 3; k++) mem.fill(0, k * n4 + n, (k + 1) * n4); }
  e.geluGrad(0, 4 * n4, 8 * n4, 12 * n4, 4 * n4);
  dx.set(mem.subarray(3 * n4, 3 * n4 + n));
  return true;
}
