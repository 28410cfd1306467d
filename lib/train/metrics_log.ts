/**
 * The run's `metrics.jsonl`: one JSON object per logged step, appended as it
 * happens. On resume, lines a killed run wrote past its last checkpoint (and a
 * torn last line) are dropped, so the log equals an uninterrupted run's.
 */
import { atomicWrite } from "../io/atomic_write.ts";

/** Appends records to a JSON-lines file. */
export class MetricsLog {
  /** @param path the .jsonl file (created on first append) */
  constructor(readonly path: string) {}

  /**
   * @param record one JSON-serialisable object
   * @returns resolves when appended
   */
  async append(record: Record<string, unknown>): Promise<void> {
    await Deno.writeTextFile(this.path, JSON.stringify(record) + "\n", { append: true });
  }

  /**
   * Removes the records of `phase` with step > `step`, and any unparsable line.
   * @param phase the training phase name (`phase` field)
   * @param step the checkpoint's step
   */
  async truncateAfter(phase: string, step: number): Promise<void> {
    const rows = await readJsonl(this.path);
    if (rows === null) return;
    const keep = rows.filter((r) => r !== null && !(r.phase === phase && (r.step as number) > step));
    if (keep.length === rows.length) return;
    await atomicWrite(this.path, keep.map((r) => JSON.stringify(r) + "\n").join(""));
  }
}

/**
 * @param path a JSON-lines file
 * @returns its records (null for an unparsable line), or null when the file does not exist
 */
export async function readJsonl(path: string): Promise<(Record<string, unknown> | null)[] | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  return text.split("\n").filter((l) => l.trim() !== "").map((l) => {
    try {
      return JSON.parse(l);
    } catch {
      return null;
    }
  });
}
