/**
 * A minimal WebAssembly assembler for the SIMD loops of _wasm_simd.ts: LEB128
 * immediates, the few scalar and SIMD128 instructions they use, structured
 * loops over byte offsets, hoisted v128 constants, a four-lane exp, and the
 * module layout (one type per function, one memory, exports). It emits bytes
 * directly, so the engine needs no toolchain and carries no binary blob.
 *
 * exp(x): x clamped to [−87.3, 88] (e^x is then a normal float32), n =
 * nearest(x·log₂e) (by the 1.5·2²³ rounding trick), r = x − n·ln2 in two parts
 * (Cody–Waite), e^r by the degree-7 polynomial of Cephes `expf` (relative
 * error ≈ 1e-7), times 2ⁿ built in the exponent bits.
 *
 * References: WebAssembly core specification, binary format (sections, LEB128,
 * instructions) and SIMD128 (final opcodes, BinarySIMD.md); Cody & Waite 1980
 * (argument reduction); Moshier, Cephes Math Library `expf.c` (polynomial
 * coefficients, reduction constants).
 */

/** 1.5·2²³: adding it rounds a float32 of magnitude < 2²² to an integer held in the low mantissa bits. */
const MAGIC = 12582912;
const MAGIC_BITS = 0x4b400000;

/** Value types. */
export const I32 = 0x7f, F32 = 0x7d, V128 = 0x7b;

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
export const S = {
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
export class Body {
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
  f32(v: number) {
    this.code.push(0x43, ...f32Bytes(v));
    return this;
  }
  /** Pushes the f32 sum of the four lanes of v128 local `v`. */
  hsum(v: number) {
    this.get(v).simd(S.f32x4ExtractLane, 0).get(v).simd(S.f32x4ExtractLane, 1).op(0x92);
    this.get(v).simd(S.f32x4ExtractLane, 2).get(v).simd(S.f32x4ExtractLane, 3).op(0x92);
    return this.op(0x92);
  }
  /** Pushes the v128 at address local `base` + offset local `o`. */
  at(base: number, o: number) {
    return this.get(base).get(o).i32Add().load();
  }
  /** if (i32 on the stack) { then } else { otherwise }, no result. */
  ifElse(then: () => void, otherwise?: () => void) {
    this.code.push(0x04, 0x40);
    then();
    if (otherwise) {
      this.code.push(0x05);
      otherwise();
    }
    this.code.push(0x0b);
    return this;
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

export interface FnDef {
  name: string;
  body: Body;
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

export function assemble(fns: FnDef[]): Uint8Array<ArrayBuffer> {
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
