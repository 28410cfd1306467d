/**
 * Reduces a transpose to its simplest equivalent, so that rank-8 views such
 * as the Wan patch embedding's often become rank <= 6 ones the stock kernel
 * handles. Kept free of WebGPU imports so it can be tested anywhere.
 *
 * References: the usual transpose canonicalisation (drop size-1 axes, merge
 * axes that stay adjacent), as in XLA's and TVM's layout simplifiers.
 */

/**
 * The simplest equivalent transpose: unit axes dropped, then input axes that
 * stay consecutive in the output order merged into one.
 */
export function simplifyTranspose(
  shape: readonly number[],
  perm: readonly number[],
): { shape: number[]; perm: number[] } {
  const kept = shape.map((d, i) => (d !== 1 ? i : -1)).filter((i) => i >= 0); // non-unit input axes
  const compressed = new Map(kept.map((a, j) => [a, j]));
  const order = perm.filter((a) => shape[a] !== 1).map((a) => compressed.get(a)!); // output order
  const groups: number[][] = [];
  for (const a of order) {
    const last = groups.at(-1);
    if (last && a === last.at(-1)! + 1) last.push(a);
    else groups.push([a]);
  }
  const byInput = [...groups].sort((g, h) => g[0] - h[0]);
  const newShape = byInput.map((g) => g.reduce((s, a) => s * shape[kept[a]], 1));
  const newPerm = groups.map((g) => byInput.indexOf(g));
  return { shape: newShape, perm: newPerm };
}
