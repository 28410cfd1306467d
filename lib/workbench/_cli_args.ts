/**
 * Option values of the workbench's command lines (`deno task ablate`,
 * `deno task foundation:score`), with the same messages in both.
 */

/**
 * @param argv the arguments
 * @param i the index of the option whose value follows it
 * @param flag the option, for the message
 * @returns the value after the option
 * @throws {TypeError} when the option is last or followed by another option
 * @example
 * ```ts
 * import { optionValue } from "./_cli_args.ts";
 * console.log(optionValue(["--clips", "16"], 0, "--clips")); // 16
 * ```
 */
export function optionValue(argv: readonly string[], i: number, flag: string): string {
  const v = argv[i + 1];
  if (v === undefined || v.startsWith("--")) throw new TypeError(`Option ${flag} needs a value`);
  return v;
}

/**
 * @param v the option's value
 * @param flag the option, for the message
 * @returns the value as an integer >= 0
 * @throws {RangeError} when it is not one
 * @example
 * ```ts
 * import { nonNegativeInteger } from "./_cli_args.ts";
 * console.log(nonNegativeInteger("3", "--seed")); // 3
 * ```
 */
export function nonNegativeInteger(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`Option ${flag} must be an integer >= 0, received "${v}"`);
  return n;
}

/**
 * @param v the option's value
 * @param flag the option, for the message
 * @returns the value as a finite number
 * @throws {RangeError} when it is not one
 * @example
 * ```ts
 * import { finiteNumber } from "./_cli_args.ts";
 * console.log(finiteNumber("4.5", "--guidance")); // 4.5
 * ```
 */
export function finiteNumber(v: string, flag: string): number {
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n)) throw new RangeError(`Option ${flag} must be a finite number, received "${v}"`);
  return n;
}
