/**
 * How a test file skips tests, so that `deno task test` can say what did not
 * run and why: `skipWhen(reason)` returns whether to skip (pass it as the
 * tests' `ignore`), prints the reason, and records it for the test file being
 * run (`Deno.mainModule`) in the log named by `WORKBENCH_SKIP_LOG`, which the
 * test task lists above its closing `N passed, N failed, N skipped` line.
 *
 * A dependency the test task installs itself (OpenBLAS, Jupyter, and as root
 * lavapipe and Slurm) is no reason to skip there: with `installedByTestTask`,
 * a missing one under the test task adds one failing test that names it, and
 * the tests that need it are skipped.
 *
 * @example
 * ```ts ignore
 * import { skipWhen } from "../_skip.ts";
 * const ignore = skipWhen(haveGit ? null : "git is not installed");
 * Deno.test({ name: "…", ignore }, () => {});
 * ```
 */

/** The environment variable naming the skip log (JSON lines `{ file, reason }`), set by tests/_run_all.ts. */
export const SKIP_LOG_ENV = "WORKBENCH_SKIP_LOG";

/** One line of the skip log. */
export interface SkipRecord {
  /** The test module that skipped (a file: URL). */
  file: string;
  /** Why. */
  reason: string;
}

/** Options of {@link skipWhen}. */
export interface SkipWhenOptions {
  /** What is missing, for the failing test's name (e.g. "OpenBLAS"). */
  dependency?: string;
  /** Whether `deno task test` installs the dependency, so that missing it there is a failure. */
  installedByTestTask?: boolean;
}

/**
 * @param reason why the tests cannot run here, or null when they can
 * @param options what is missing and whether the test task provides it
 * @returns whether to skip (true exactly when `reason` is not null)
 */
export function skipWhen(reason: string | null, options: SkipWhenOptions = {}): boolean {
  if (reason === null) return false;
  const log = Deno.env.get(SKIP_LOG_ENV);
  const file = Deno.mainModule;
  if (log && options.installedByTestTask) {
    const what = options.dependency ?? "a dependency";
    Deno.test(`${what} is available (deno task test installs it)`, () => {
      throw new Error(`${what} should have been set up by deno task test, but: ${reason}`);
    });
    reason = `${what} is missing (see the failing test "${what} is available"): ${reason}`;
  }
  console.warn(`${relative(file)}: skipping tests: ${reason}`);
  if (log) Deno.writeTextFileSync(log, JSON.stringify({ file, reason } satisfies SkipRecord) + "\n", { append: true });
  return true;
}

function relative(file: string): string {
  const root = new URL("../", import.meta.url).href;
  return file.startsWith(root) ? file.slice(root.length) : file;
}
