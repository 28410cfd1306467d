/**
 * The run's `metrics.jsonl`: one JSON object per logged step, appended as it
 * happens. On resume, lines a killed run wrote past its last checkpoint and a
 * torn last line (the process killed, or the disk full, mid-write) are
 * dropped, so the log equals an uninterrupted run's: no step twice, no line
 * glued to the next one.
 */
import { atomicWrite } from "../io/atomic_write.ts";
import { DiskFullError } from "../io/disk_full_error.ts";

/** What {@link MetricsLog.truncateAfter} removed. */
export interface Truncation {
  /** Records of the phase past the checkpoint's step. */
  pastCheckpoint: number;
  /** Lines that are not JSON objects: a torn last line, or a corrupted one. */
  unparsable: string[];
}

/** Appends records to a JSON-lines file. */
export class MetricsLog {
  /** @param path the .jsonl file (created on first append) */
  constructor(readonly path: string) {}

  /**
   * @param record one JSON-serialisable object
   * @returns resolves when appended
   * @throws DiskFullError when the disk is full (a torn line may be left: the next resume drops it)
   */
  async append(record: Record<string, unknown>): Promise<void> {
    try {
      await Deno.writeTextFile(this.path, JSON.stringify(record) + "\n", { append: true });
    } catch (e) {
      throw DiskFullError.isNoSpace(e) ? await DiskFullError.from(this.path, e) : e;
    }
  }

  /**
   * Removes the records of `phase` with step > `step` and every line that is
   * not a JSON object, and ends the file with a newline, so the next append
   * starts a line of its own.
   * @param phase the training phase name (`phase` field)
   * @param step the checkpoint's step
   * @returns what was removed (nothing when the file is missing)
   * @example
   * ```ts
   * import { MetricsLog } from "./metrics_log.ts";
   * const dir = await Deno.makeTempDir();
   * await Deno.writeTextFile(`${dir}/m.jsonl`, '{"phase":"dit","step":1}\n{"phase":"dit","st');
   * const cut = await new MetricsLog(`${dir}/m.jsonl`).truncateAfter("dit", 1);
   * console.log(cut.unparsable); // ['{"phase":"dit","st']
   * ```
   */
  async truncateAfter(phase: string, step: number): Promise<Truncation> {
    const out: Truncation = { pastCheckpoint: 0, unparsable: [] };
    const text = await readText(this.path);
    if (text === null) return out;
    const keep: string[] = [];
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      const r = parseRecord(line);
      if (r === null) out.unparsable.push(line);
      else if (r.phase === phase && (r.step as number) > step) out.pastCheckpoint++;
      else keep.push(line);
    }
    const dropped = out.pastCheckpoint + out.unparsable.length;
    if (dropped === 0 && (text === "" || text.endsWith("\n"))) return out;
    await atomicWrite(this.path, keep.map((l) => l + "\n").join(""));
    return out;
  }
}

/**
 * @param path a JSON-lines file
 * @returns its records (null for a line that is not a JSON object, e.g. a torn last line), or null when the file does not exist
 */
export async function readJsonl(path: string): Promise<(Record<string, unknown> | null)[] | null> {
  const text = await readText(path);
  if (text === null) return null;
  return text.split("\n").filter((l) => l.trim() !== "").map(parseRecord);
}

async function readText(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/** Only a JSON object is a record: a line holding `null`, a number or a string is not one either. */
function parseRecord(line: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(line);
    return v !== null && typeof v === "object" && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}
