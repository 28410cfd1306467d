/**
 * The verdict on a claim from the 95% interval of its effect (A − B, or a
 * change along training) and the smallest effect that matters, δ:
 *
 * - direction "lower" (or "higher"): `holds` when the interval lies wholly
 *   below (above) zero, `reversed` when wholly on the other side, `no effect
 *   larger than <bound>` when it holds zero and reaches no further than δ
 *   from it (the bound is its farther end), otherwise `inconclusive` with the
 *   interval;
 * - direction "not-higher" (as good as, lower is better): `holds` when the
 *   interval's upper end is at most δ, `reversed` when its lower end is above
 *   δ, otherwise `inconclusive`.
 *
 * References: confidence-interval inference with a smallest effect of
 * interest (equivalence and non-inferiority by intervals: Schuirmann 1987;
 * Lakens, "Equivalence tests", SPPS 2017).
 */

/**
 * @param low the interval's lower end
 * @param high the interval's upper end
 * @param options expected direction and δ (> 0)
 * @returns the verdict text
 * @throws {RangeError} when low > high or δ is not positive
 * @example
 * ```ts
 * import { claimVerdict } from "./claim_verdict.ts";
 * console.log(claimVerdict(-0.3, 0.2, { expected: "lower", delta: 0.5 })); // "no effect larger than 0.3"
 * ```
 */
export function claimVerdict(low: number, high: number, options: { expected: "lower" | "higher" | "not-higher"; delta: number }): string {
  const { expected, delta } = options;
  if (!(low <= high)) throw new RangeError(`Cannot judge an interval whose ends are out of order: received [${low}, ${high}]`);
  if (!(delta > 0)) throw new RangeError(`Cannot judge a claim as the smallest effect of interest must be > 0: current value is ${delta}`);
  const f = (v: number) => String(Number(v.toPrecision(3)));
  const inconclusive = `inconclusive: 95% CI [${f(low)}, ${f(high)}]`;
  if (expected === "not-higher") return high <= delta ? "holds" : low > delta ? "reversed" : inconclusive;
  const [agree, against] = expected === "lower" ? [high < 0, low > 0] : [low > 0, high < 0];
  if (agree) return "holds";
  if (against) return "reversed";
  const bound = Math.max(Math.abs(low), Math.abs(high));
  return bound <= delta ? `no effect larger than ${f(bound)}` : inconclusive;
}
