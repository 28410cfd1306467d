/**
 * Refuses a (partial) config whose keys its task does not have: an unknown
 * key gets a "did you mean", a key of another task says which task it belongs
 * to. Union values (objects with a `kind`) are checked by their own checkers.
 */
import { didYouMean } from "./_did_you_mean.ts";
import { isPlainObject, isUnionValue } from "./_merge_config.ts";
import { RUN_DEFAULTS } from "./run_defaults.ts";
import type { Task } from "./run_config.ts";

/**
 * @param obj the config or partial config
 * @param task its task (whose defaults hold every key it may have)
 * @param where context for messages
 * @throws {TypeError} naming the key, where it is, and the keys expected there
 * @example
 * ```ts
 * import { checkConfigKeys } from "./_check_config_keys.ts";
import type { Task } from "./run_config.ts";
 * checkConfigKeys({ train: { steps: 3 } }, "pretrain", "demo"); // passes
 * ```
 */
export function checkConfigKeys(obj: unknown, task: Task, where: string): void {
  if (!Object.hasOwn(RUN_DEFAULTS, task)) {
    const near = didYouMean(String(task), Object.keys(RUN_DEFAULTS));
    throw new RangeError(
      `In ${where}: task must be one of ${Object.keys(RUN_DEFAULTS).map((t) => JSON.stringify(t)).join(", ")}${near ? ` (did you mean "${near}"?)` : ""}, received ${JSON.stringify(task)}`,
    );
  }
  walk(obj, RUN_DEFAULTS[task], { task, where }, "");
}

function walk(obj: unknown, ref: unknown, o: { task: Task; where: string }, prefix: string): void {
  const where = o.where;
  if (!isPlainObject(obj)) {
    throw new TypeError(`In ${where}: "${prefix || "(root)"}" must be an object, received ${JSON.stringify(obj)}`);
  }
  const r = ref as Record<string, unknown>;
  for (const [k, v] of Object.entries(obj)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (!(k in r)) {
      const owners = Object.values(RUN_DEFAULTS).filter((d) => hasPath(d, path)).map((d) => d.task);
      const known = Object.keys(r);
      const near = didYouMean(k, known);
      throw new TypeError(
        `In ${where}: ${owners.length ? "misplaced" : "unknown"} config key "${path}"` +
          (owners.length ? ` (not a key of task ${JSON.stringify(o.task)}: a key of task ${owners.map((t) => JSON.stringify(t)).join(", ")})` : "") +
          (near ? ` (did you mean "${prefix ? prefix + "." : ""}${near}"?)` : "") +
          `; known keys here: ${known.join(", ")}`,
      );
    }
    if (isPlainObject(r[k]) && !isUnionValue(r[k]) && !isUnionValue(v)) walk(v, r[k], o, path);
  }
}

function hasPath(obj: unknown, path: string): boolean {
  let cur = obj;
  for (const p of path.split(".")) {
    if (!isPlainObject(cur) || !(p in cur)) return false;
    cur = cur[p];
  }
  return true;
}
