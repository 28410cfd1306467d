/**
 * A seeded, serialisable pseudo-random number generator (xoshiro128**).
 *
 * Every stochastic function of the workbench takes a `Prng`; nothing reads a
 * global random state. The state is four uint32 words, saved in checkpoints so
 * that a resumed run draws exactly the numbers an uninterrupted one would.
 *
 * References: Blackman & Vigna, "Scrambled linear pseudorandom number
 * generators" (2018), xoshiro128** 1.1; seeding by SplitMix32.
 *
 * @example
 * ```ts
 * import { Prng } from "./prng.ts";
 * const a = new Prng(42), b = new Prng(42);
 * if (a.uniform() !== b.uniform()) throw new Error("not deterministic");
 * ```
 */
export class Prng {
  #s: Uint32Array;
  /** A cached second normal deviate from the Box–Muller pair (null when empty). */
  #spare: number | null = null;

  /**
   * @param seed an integer seed (any finite number; it is folded to 32 bits)
   */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) {
      throw new RangeError(`Cannot seed Prng: seed must be a finite number, received ${seed}`);
    }
    this.#s = new Uint32Array(4);
    let z = (Math.trunc(seed) >>> 0) ^ 0x9e3779b9;
    for (let i = 0; i < 4; i++) {
      // SplitMix32
      z = (z + 0x9e3779b9) >>> 0;
      let t = z;
      t = Math.imul(t ^ (t >>> 16), 0x85ebca6b) >>> 0;
      t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35) >>> 0;
      this.#s[i] = (t ^ (t >>> 16)) >>> 0;
    }
    if (this.#s.every((v) => v === 0)) this.#s[0] = 1;
  }

  /**
   * Restores a generator from `state()`.
   * @param state the array returned by `state()`
   * @returns a generator that continues the saved sequence
   * @example
   * ```ts
   * import { Prng } from "./prng.ts";
   * const a = new Prng(1); a.uniform();
   * const b = Prng.fromState(a.state());
   * if (a.uniform() !== b.uniform()) throw new Error("state not restored");
   * ```
   */
  static fromState(state: readonly number[]): Prng {
    if (!Array.isArray(state) || (state.length !== 4 && state.length !== 5)) {
      throw new TypeError(
        `Cannot restore Prng: state must be an array of 4 or 5 numbers, received ${JSON.stringify(state)}`,
      );
    }
    const p = new Prng(0);
    for (let i = 0; i < 4; i++) p.#s[i] = state[i] >>> 0;
    p.#spare = state.length === 5 && state[4] !== null ? Number(state[4]) : null;
    return p;
  }

  /** @returns the full state (4 words, plus the cached normal if any), JSON-safe. */
  state(): number[] {
    const s = Array.from(this.#s);
    if (this.#spare !== null) s.push(this.#spare);
    return s;
  }

  /** @returns the next uint32. */
  nextUint32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** @returns a uniform double in [0, 1) with 32 bits of randomness. */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /**
   * @param n exclusive upper bound, a positive integer
   * @returns a uniform integer in [0, n)
   */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) {
      throw new RangeError(`Cannot draw Prng.int(n): n must be a positive integer, received ${n}`);
    }
    return Math.floor(this.uniform() * n);
  }

  /** @returns a standard normal deviate (Box–Muller, both deviates used). */
  normal(): number {
    if (this.#spare !== null) {
      const v = this.#spare;
      this.#spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /**
   * Fills a new Float32Array with standard normal deviates.
   * @param size number of values
   * @returns the array
   */
  normals(size: number): Float32Array {
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) out[i] = this.normal();
    return out;
  }

  /**
   * Derives an independent child generator (for a sub-stream such as one data
   * worker), advancing this one by one draw.
   * @param salt distinguishes several children derived at the same point
   * @returns the child generator
   */
  fork(salt = 0): Prng {
    return new Prng((this.nextUint32() ^ Math.imul(salt + 1, 0x27d4eb2d)) >>> 0);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
