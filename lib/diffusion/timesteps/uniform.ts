import type { Prng } from "../../random/prng.ts";
import { checkCount } from "./_checks.ts";

/** Options of {@link uniform}. */
export interface UniformOptions {
  prng: Prng;
}

/**
 * Training noise levels s ~ U[0, 1).
 *
 * References: Lipman et al. 2023 §4 (t ~ U[0, 1]); Wan2.1 training practice.
 *
 * @param n number of samples
 * @param options the generator
 * @returns n noise levels in [0, 1)
 * @example
 * ```ts
 * import { Prng } from "../../random/prng.ts";
 * import { uniform } from "./uniform.ts";
 * console.log(uniform(3, { prng: new Prng(0) }).length); // 3
 * ```
 */
export function uniform(n: number, options: UniformOptions): Float32Array {
  checkCount(n);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = options.prng.uniform();
  return out;
}
