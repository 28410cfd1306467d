/**
 * The schedule that lets a noisy machine give a verdict: every configuration
 * of both sides runs once per round, the two sides interleaved (A/B/A/B…),
 * and every other round runs in the reverse order (A B … B A), so that a
 * drift of the machine's load over the run falls on both sides alike instead
 * of on whichever ran last.
 *
 * References: Chen & Revels 2016, "Robust benchmarking in noisy environments";
 * the ABBA design of crossover trials (order effects cancel).
 *
 * @module
 */

/** One configuration to time: which side, its name, and how to run one block of it. */
export interface BlockSpec<T> {
  side: "ours" | "torch";
  config: string;
  run(): Promise<T>;
}

/** One block as it ran. */
export interface BlockRecord<T> {
  round: number;
  side: "ours" | "torch";
  config: string;
  /** Milliseconds since the first block started. */
  start_ms: number;
  result: T;
}

/**
 * Alternates two lists: a0, b0, a1, b1, …, then what is left of the longer one.
 * @param a the first side's items
 * @param b the second side's items
 * @returns the interleaved list
 * @example
 * ```ts
 * import { interleave } from "./_alternate_rounds.ts";
 * console.log(interleave(["o1", "o2"], ["t1", "t2", "t1:free"])); // ["o1", "t1", "o2", "t2", "t1:free"]
 * ```
 */
export function interleave<T>(a: readonly T[], b: readonly T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i < a.length) out.push(a[i]);
    if (i < b.length) out.push(b[i]);
  }
  return out;
}

/**
 * Runs `rounds` rounds of the blocks, in the given order on even rounds and
 * reversed on odd ones, one block at a time.
 * @param blocks the configurations in the order of round 0 (see {@link interleave})
 * @param options how many rounds; a callback after each block (progress)
 * @returns every block in the order it ran
 * @example
 * ```ts
 * import { alternateRounds } from "./_alternate_rounds.ts";
 * const run = (v: number) => () => Promise.resolve(v);
 * const r = await alternateRounds([{ side: "ours", config: "1", run: run(1) }, { side: "torch", config: "1", run: run(2) }], { rounds: 2 });
 * console.log(r.map((b) => b.side)); // ["ours", "torch", "torch", "ours"]
 * ```
 */
export async function alternateRounds<T>(
  blocks: readonly BlockSpec<T>[],
  options: { rounds: number; onBlock?: (record: BlockRecord<T>) => void },
): Promise<BlockRecord<T>[]> {
  const { rounds } = options;
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new RangeError(`Cannot alternate rounds as rounds must be an integer >= 1: received ${rounds}`);
  }
  if (blocks.length === 0) throw new RangeError("Cannot alternate rounds as there are no blocks to run");
  const out: BlockRecord<T>[] = [];
  const t0 = performance.now();
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? blocks : [...blocks].reverse();
    for (const b of order) {
      const start = performance.now() - t0;
      const record = { round, side: b.side, config: b.config, start_ms: start, result: await b.run() };
      out.push(record);
      options.onBlock?.(record);
    }
  }
  return out;
}
