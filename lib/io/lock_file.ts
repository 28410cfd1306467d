/**
 * A lock file that works between processes on one machine and between
 * machines on a shared filesystem (NFS between Slurm nodes): no `flock`, only
 * operations that are atomic there too.
 *
 * - Taking the lock creates the file with its whole content at once: the JSON
 *   is written to a private temporary file, then hard-linked to the lock's
 *   name; `link` fails when the name exists (the NFS-safe form of `O_EXCL`).
 * - The file holds the holder's host, pid, the pid's start time (so a reused
 *   pid is not mistaken for the holder), when it was taken, its lease
 *   (`refreshed_at`, renewed every `refreshS` seconds) and the lease's timeout.
 * - A lock is stale when its process is gone (same host: the pid is not alive,
 *   or is another process now) or, on another host, when its lease was not
 *   renewed within its timeout. A stale lock is taken over by renaming a new
 *   lock file over it.
 * - Renewing, taking over and releasing each run under a short-lived guard
 *   file (`<lock>.guard`, created exclusively), so a holder renewing its lease
 *   and another process taking the lock over cannot interleave.
 *
 * All operations are synchronous: they take milliseconds, and nothing else of
 * the process runs in between (a signal handler can release every lock).
 *
 * What it does not do: clocks of different hosts must agree to well within the
 * timeout; a holder that stops renewing for longer than the timeout (a step
 * that blocks the process that long, a suspended machine) loses the lock to
 * the next process and finds out at its next renewal ({@link LockFile.lost}).
 *
 * References: the `link()` lock of open(2) "O_EXCL … on NFS"; proper-lockfile's
 * lease (mtime refresh, stale timeout).
 *
 * @module
 */

/** What a lock file holds. */
export interface LockInfo {
  /** Unique per acquisition. */
  token: string;
  host: string;
  pid: number;
  /** The pid's start time (clock ticks since boot, /proc/<pid>/stat), null where unknown. */
  pid_start: number | null;
  started_at: string;
  /** The lease: renewed every refresh_s seconds while the holder lives. */
  refreshed_at: string;
  refresh_s: number;
  /** Another host takes the lock over once the lease is older than this. */
  stale_after_s: number;
  /** The caller's facts (the command, a Slurm job id…). */
  details: Record<string, string | number | null>;
}

/** A lock as another process sees it. */
export interface LockView {
  path: string;
  /** null when the file cannot be parsed (written by something else, or corrupted). */
  info: LockInfo | null;
  stale: boolean;
  /** Why it counts as stale, or as held. */
  reason: string;
  /** Seconds since the lease was renewed (file age when unparsable). */
  leaseAgeS: number;
}

/** Options of {@link LockFile.acquire}. */
export interface LockFileOptions {
  /** Seconds between lease renewals (default 30). */
  refreshS?: number;
  /** Seconds without renewal after which another host takes the lock over (default 600). */
  staleAfterS?: number;
  /** Facts stored in the lock for whoever finds it. */
  details?: Record<string, string | number | null>;
  /** This host's name (default `Deno.hostname()`). */
  host?: string;
}

/** What {@link LockFile.acquire} returns. */
export type LockAcquisition =
  | { lock: LockFile; tookOver: LockView | null }
  | { lock: null; holder: LockView };

const GUARD_STALE_MS = 60_000;
/** A lock file this module cannot parse is left alone for this long (it may be another tool's). */
const UNREADABLE_STALE_S = 600;

/** A held lock file (see the module documentation). */
export class LockFile {
  static #held = new Set<LockFile>();
  #timer: ReturnType<typeof setInterval>;
  #lost: string | null = null;

  private constructor(readonly path: string, public info: LockInfo) {
    LockFile.#held.add(this);
    this.#timer = setInterval(() => this.refresh(), info.refresh_s * 1000);
    // The lease never keeps a process alive.
    Deno.unrefTimer(this.#timer);
  }

  /**
   * Takes the lock at `path`, taking over a stale one.
   * @param path the lock file (its folder must exist)
   * @param options lease timing, details, host name
   * @returns the held lock (and the stale lock it replaced), or the live holder
   * @example
   * ```ts
   * import { LockFile } from "./lock_file.ts";
   * const dir = await Deno.makeTempDir();
   * const got = LockFile.acquire(`${dir}/lock.json`, { details: { command: "demo" } });
   * if (got.lock) got.lock.release();
   * ```
   */
  static acquire(path: string, options: LockFileOptions = {}): LockAcquisition {
    const refreshS = options.refreshS ?? 30;
    const staleAfterS = options.staleAfterS ?? 600;
    if (!(refreshS > 0) || !(staleAfterS > refreshS)) {
      throw new RangeError(
        `Cannot lock ${path} as the lease timeout must exceed the refresh interval (both > 0 s): received refresh ${refreshS} s, timeout ${staleAfterS} s`,
      );
    }
    const now = new Date().toISOString();
    const info: LockInfo = {
      token: crypto.randomUUID(),
      host: options.host ?? Deno.hostname(),
      pid: Deno.pid,
      pid_start: processStart(Deno.pid),
      started_at: now,
      refreshed_at: now,
      refresh_s: refreshS,
      stale_after_s: staleAfterS,
      details: options.details ?? {},
    };
    const text = JSON.stringify(info, null, 2) + "\n";
    // A few rounds: the holder may release, or another process take over, between our look and our move.
    for (let round = 0; round < 3; round++) {
      if (createExclusive(path, text)) return { lock: new LockFile(path, info), tookOver: null };
      const raw = readText(path);
      if (raw === null) continue;
      const view = judge(path, raw, info.host);
      if (!view.stale) return { lock: null, holder: view };
      const moved = withGuard(path, () => {
        if (readText(path) !== raw) return false;
        replace(path, text);
        return true;
      });
      if (moved === null) return { lock: null, holder: { ...view, stale: false, reason: `being taken over by another process (${view.reason})` } };
      if (moved) return { lock: new LockFile(path, info), tookOver: view };
    }
    const raw = readText(path);
    if (raw === null) throw new Error(`Cannot lock ${path}: it keeps appearing and disappearing`);
    return { lock: null, holder: judge(path, raw, info.host) };
  }

  /**
   * @param path a lock file
   * @param host this host's name (default `Deno.hostname()`)
   * @returns how the lock looks from here (held or stale, and why), or null when there is none
   * @example
   * ```ts
   * import { LockFile } from "./lock_file.ts";
   * LockFile.inspect("/nonexistent/lock.json"); // null
   * ```
   */
  static inspect(path: string, host: string = Deno.hostname()): LockView | null {
    const raw = readText(path);
    return raw === null ? null : judge(path, raw, host);
  }

  /**
   * Releases every lock this process holds (for a signal handler that exits right after).
   * @returns the paths released
   */
  static releaseAll(): string[] {
    const paths = [...LockFile.#held].map((l) => l.path);
    for (const l of [...LockFile.#held]) l.release();
    return paths;
  }

  /** Why this process no longer holds the lock (taken over, removed), or null while it does. */
  get lost(): string | null {
    return this.#lost;
  }

  /**
   * Renews the lease now (the timer does it every refresh interval). Finding
   * the lock taken over or removed marks it {@link LockFile.lost}; a busy guard
   * or an I/O error leaves it for the next renewal.
   */
  refresh(): void {
    if (this.#lost) return;
    try {
      withGuard(this.path, () => {
        const raw = readText(this.path);
        const cur = raw === null ? null : parse(raw);
        if (cur?.token !== this.info.token) {
          this.#lose(
            cur ? `taken over by pid ${cur.pid} on ${cur.host} at ${cur.started_at}` : raw === null ? "its lock file was removed" : "its lock file was overwritten",
          );
          return;
        }
        const next = { ...this.info, refreshed_at: new Date().toISOString() };
        replace(this.path, JSON.stringify(next, null, 2) + "\n");
        this.info = next;
      });
    } catch {
      // A full disk or a flaky share: the lease ages; the next renewal tries again.
    }
  }

  /** Removes the lock file if this process still holds it, and stops renewing. */
  release(): void {
    if (this.#lost) return;
    // Guards live for milliseconds: wait a little for a busy one rather than leave the lock behind.
    for (let i = 0; i < 100; i++) {
      const done = withGuard(this.path, () => {
        if (parse(readText(this.path) ?? "")?.token === this.info.token) Deno.removeSync(this.path);
      });
      if (done !== null) break;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
    this.#lose("released");
  }

  #lose(why: string): void {
    this.#lost = why;
    clearInterval(this.#timer);
    LockFile.#held.delete(this);
  }
}

/** Judges a lock's content as seen from `host`. */
function judge(path: string, raw: string, host: string): LockView {
  const info = parse(raw);
  if (!info) {
    // Not written by this module: only its age tells whether anyone still cares.
    const ageS = ageOf(path);
    const stale = ageS > UNREADABLE_STALE_S;
    return {
      path,
      info,
      stale,
      leaseAgeS: ageS,
      reason: `unreadable lock file, ${Math.round(ageS)} s old${stale ? "" : ` (taken over after ${UNREADABLE_STALE_S} s)`}`,
    };
  }
  const leaseAgeS = Math.max(0, (Date.now() - Date.parse(info.refreshed_at)) / 1000);
  if (info.host === host) {
    const alive = processAlive(info.pid, info.pid_start);
    return {
      path,
      info,
      leaseAgeS,
      stale: !alive,
      reason: alive ? `pid ${info.pid} on ${host} is running` : `process ${info.pid} on ${host} is gone`,
    };
  }
  const stale = leaseAgeS > info.stale_after_s;
  return {
    path,
    info,
    leaseAgeS,
    stale,
    reason: stale
      ? `its lease on ${info.host} was last renewed ${Math.round(leaseAgeS)} s ago (timeout ${info.stale_after_s} s)`
      : `pid ${info.pid} on ${info.host} renewed its lease ${Math.round(leaseAgeS)} s ago`,
  };
}

function parse(raw: string): LockInfo | null {
  try {
    const v = JSON.parse(raw);
    return typeof v?.token === "string" && typeof v.host === "string" && Number.isInteger(v.pid) ? v as LockInfo : null;
  } catch {
    return null;
  }
}

function readText(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

function ageOf(path: string): number {
  try {
    const m = Deno.statSync(path).mtime?.getTime();
    return m === undefined ? 0 : Math.max(0, (Date.now() - m) / 1000);
  } catch {
    return 0;
  }
}

/** Creates `path` holding `text`, whole, unless it exists: link() of a private temporary file. */
function createExclusive(path: string, text: string): boolean {
  const tmp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    Deno.writeTextFileSync(tmp, text, { createNew: true });
    Deno.linkSync(tmp, path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) return false;
    throw e;
  } finally {
    removeIfThere(tmp);
  }
}

/** Puts `text` at `path` in one rename (over whatever is there). */
function replace(path: string, text: string): void {
  const tmp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    Deno.writeTextFileSync(tmp, text, { createNew: true });
    Deno.renameSync(tmp, path);
  } catch (e) {
    removeIfThere(tmp);
    throw e;
  }
}

function removeIfThere(path: string): void {
  try {
    Deno.removeSync(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

/**
 * Runs `fn` holding `<path>.guard`.
 * @returns fn's result, or null when another process holds the guard (a guard
 *   older than a minute was left by a process killed inside it: removed, and
 *   the next call gets it)
 */
function withGuard<T>(path: string, fn: () => T): T | null {
  const guard = `${path}.guard`;
  if (!createExclusive(guard, `${Deno.hostname()} ${Deno.pid} ${new Date().toISOString()}\n`)) {
    if (ageOf(guard) * 1000 > GUARD_STALE_MS) removeIfThere(guard);
    return null;
  }
  try {
    return fn();
  } finally {
    removeIfThere(guard);
  }
}

/** @returns field 22 of /proc/<pid>/stat (start time in clock ticks since boot), or null where there is no /proc */
function processStart(pid: number): number | null {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ")".
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
  } catch {
    return null;
  }
}

/** Whether `pid` runs on this host and is the process that took the lock (same start time). */
function processAlive(pid: number, start: number | null): boolean {
  let stat: string;
  try {
    stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) return true;
    // No such pid, or no /proc at all (macOS): ask kill -0.
    if (Deno.build.os === "linux") return false;
    try {
      return new Deno.Command("kill", { args: ["-0", String(pid)], stdout: "null", stderr: "null" }).outputSync().success;
    } catch {
      return true;
    }
  }
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  if (fields[0] === "Z" || fields[0] === "X") return false;
  return start === null || Number(fields[19]) === start;
}
