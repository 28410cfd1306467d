/**
 * JSON with object keys sorted at every depth: two configs are the same
 * config exactly when their canonical JSON is equal, whatever order their
 * keys were written or merged in.
 *
 * @param value a JSON value
 * @returns its canonical JSON text
 * @example
 * ```ts
 * import { canonicalJson } from "./_canonical_json.ts";
 * console.log(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })); // {"a":[{"c":3,"d":2}],"b":1}
 * ```
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sorted(value));
}

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (typeof v !== "object" || v === null) return v;
  const o = v as Record<string, unknown>;
  return Object.fromEntries(Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => [k, sorted(o[k])]));
}
