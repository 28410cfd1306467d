/**
 * "Did you mean": the known name closest to a mistyped one, for the messages
 * of unknown config keys and unknown experiment names.
 *
 * References: Levenshtein distance (Wagner–Fischer dynamic programme).
 */

/**
 * @param received the name that was not found
 * @param known the names that exist
 * @param maxDistance the largest edit distance still suggested (default 2)
 * @returns the known name equal to `received` up to case, else the one with
 * the smallest edit distance (first on ties) if it is within `maxDistance`,
 * else undefined
 * @example
 * ```ts
 * import { didYouMean } from "./_did_you_mean.ts";
 * console.log(didYouMean("smok", ["batch_iterations", "smoke"])); // "smoke"
 * console.log(didYouMean("zzz", ["smoke"])); // undefined
 * ```
 */
export function didYouMean(received: string, known: readonly string[], maxDistance = 2): string | undefined {
  const sameCase = known.find((k) => k.toLowerCase() === received.toLowerCase());
  if (sameCase !== undefined) return sameCase;
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const k of known) {
    const d = editDistance(k, received);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

/** Insertions, deletions and substitutions turning `a` into `b`. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}
