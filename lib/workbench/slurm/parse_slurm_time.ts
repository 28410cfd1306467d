/**
 * Parses a Slurm time limit (`--time`) into seconds, accepting exactly the
 * forms sbatch accepts: "minutes", "minutes:seconds", "hours:minutes:seconds",
 * "days-hours", "days-hours:minutes", "days-hours:minutes:seconds", and
 * "INFINITE" / "UNLIMITED".
 *
 * References: sbatch(1), option --time.
 *
 * @param text the time limit, e.g. "01:30:00" or "2-00:00:00"
 * @returns seconds (Infinity for INFINITE / UNLIMITED)
 * @example
 * ```ts
 * import { parseSlurmTime } from "./parse_slurm_time.ts";
 * parseSlurmTime("01:30:00"); // 5400
 * parseSlurmTime("2-12"); // 216000
 * parseSlurmTime("90"); // 5400
 * ```
 */
export function parseSlurmTime(text: string): number {
  const bad = () =>
    new RangeError(
      `Cannot use "${text}" as a Slurm time limit: expected minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS ` +
        `(e.g. "02:00:00"), or INFINITE`,
    );
  const t = text.trim();
  if (/^(INFINITE|UNLIMITED)$/i.test(t)) return Infinity;
  let days = 0;
  let rest = t;
  const dash = /^(\d+)-(.+)$/.exec(t);
  if (dash) {
    days = Number(dash[1]);
    rest = dash[2];
  }
  if (!/^\d+(:\d+){0,2}$/.test(rest)) throw bad();
  const parts = rest.split(":").map(Number);
  let seconds: number;
  if (dash) {
    // days-hours[:minutes[:seconds]]
    const [h, m = 0, s = 0] = parts;
    if (m >= 60 || s >= 60) throw bad();
    seconds = ((days * 24 + h) * 60 + m) * 60 + s;
  } else if (parts.length === 1) {
    seconds = parts[0] * 60;
  } else if (parts.length === 2) {
    if (parts[1] >= 60) throw bad();
    seconds = parts[0] * 60 + parts[1];
  } else {
    if (parts[1] >= 60 || parts[2] >= 60) throw bad();
    seconds = (parts[0] * 60 + parts[1]) * 60 + parts[2];
  }
  if (seconds <= 0) {
    throw new RangeError(`Cannot use "${text}" as a Slurm time limit as it must be longer than 0 s (INFINITE for none)`);
  }
  return seconds;
}
