/**
 * A terminal progress bar for one long phase (training, sampling, scoring):
 * step, loss, steps/s, ETA. It lives in lib/io so that every layer can show one.
 * On a TTY it redraws one line; otherwise (CI logs, notebooks) it prints a
 * line at every 10% so logs stay short.
 *
 * @example
 * ```ts
 * import { ProgressBar } from "./progress_bar.ts";
 * const bar = new ProgressBar("run 1/2 dit", 100, { write: () => {} });
 * bar.update(10, { loss: 0.5 });
 * bar.done();
 * ```
 */

/** Options of {@link ProgressBar}. */
export interface ProgressBarOptions {
  /** Where text goes (default: stderr). */
  write?: (text: string) => void;
  /** Redraw in place (default: stderr is a terminal). */
  tty?: boolean;
  /** Bar width in characters. */
  width?: number;
  /** Step at which this session started (a resumed run): rates count from here. */
  startStep?: number;
}

const enc = new TextEncoder();

/** One bar; call `update` after each step and `done` at the end. */
export class ProgressBar {
  #label: string;
  #total: number;
  #write: (text: string) => void;
  #tty: boolean;
  #width: number;
  #t0 = performance.now();
  #start: number;
  #lastDecile = -1;

  /**
   * @param label shown before the bar
   * @param total number of steps
   * @param options output and layout
   */
  constructor(label: string, total: number, options: ProgressBarOptions = {}) {
    if (!Number.isInteger(total) || total < 1) {
      throw new RangeError(`Cannot create a progress bar as total must be an integer >= 1: received ${total}`);
    }
    this.#label = label;
    this.#total = total;
    this.#write = options.write ?? ((t) => Deno.stderr.writeSync(enc.encode(t)));
    this.#tty = options.tty ?? Deno.stderr.isTerminal();
    this.#width = options.width ?? 24;
    this.#start = options.startStep ?? 0;
  }

  /**
   * Formats the line for a step (exposed for tests).
   * @param step steps done
   * @param fields e.g. { loss }
   * @returns the line without a newline
   */
  format(step: number, fields: Record<string, number> = {}): string {
    const frac = Math.min(1, step / this.#total);
    const filled = Math.round(frac * this.#width);
    const bar = "█".repeat(filled) + "░".repeat(this.#width - filled);
    const secs = (performance.now() - this.#t0) / 1000;
    const done = step - this.#start;
    const rate = secs > 0 && done > 0 ? done / secs : 0;
    const eta = rate > 0 ? (this.#total - step) / rate : NaN;
    const extra = Object.entries(fields).map(([k, v]) => `${k} ${fmt(v)}`).join(" ");
    return `${this.#label} ${bar} ${step}/${this.#total} ${extra} ${rate.toFixed(2)} step/s ETA ${fmtTime(eta)}`;
  }

  /**
   * @param step steps done
   * @param fields numbers shown after the count
   */
  update(step: number, fields: Record<string, number> = {}): void {
    const line = this.format(step, fields);
    if (this.#tty) {
      this.#write(`\r\x1b[2K${line}`);
      return;
    }
    const decile = Math.floor((10 * step) / this.#total);
    if (decile !== this.#lastDecile) {
      this.#lastDecile = decile;
      this.#write(line + "\n");
    }
  }

  /** Ends the line. */
  done(): void {
    if (this.#tty) this.#write("\n");
  }
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? v.toExponential(2) : v.toFixed(4);
}

function fmtTime(s: number): string {
  if (!Number.isFinite(s)) return "--";
  if (s < 60) return `${s.toFixed(0)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(Math.round(s % 60)).padStart(2, "0")}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}
