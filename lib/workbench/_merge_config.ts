/**
 * Merges a partial config over a full one: plain objects key by key; arrays,
 * union values (objects with a `kind`: timesteps, schedules, guidance, data
 * sources, designs) and values over null replace whole.
 *
 * @param base the config merged into (not changed)
 * @param over the partial config
 * @returns a new merged config
 * @example
 * ```ts
 * import { mergeConfig } from "./_merge_config.ts";
 * mergeConfig({ a: { b: 1, c: 2 }, s: { kind: "x", p: 1 } }, { a: { c: 3 }, s: { kind: "y" } }); // { a: { b: 1, c: 3 }, s: { kind: "y" } }
 * ```
 */
export function mergeConfig(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over) || isUnionValue(base) || isUnionValue(over)) return structuredClone(over);
  const out: Record<string, unknown> = structuredClone(base);
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? mergeConfig(out[k], v) : structuredClone(v);
  return out;
}

/** A plain object (not an array, not null). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A member of a discriminated union: an object with a `kind`, compared and replaced whole. */
export function isUnionValue(v: unknown): boolean {
  return isPlainObject(v) && "kind" in v;
}
