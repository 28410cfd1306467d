/**
 * The error a task stops with, before any work, when the machine lacks
 * something it needs (a Debian package, a Jupyter kernelspec) and it cannot
 * set it up itself: the message names what is missing and the exact command
 * that provides it.
 *
 * @module
 */

/**
 * Thrown when set-up needs a command the task cannot run itself.
 *
 * @example
 * ```ts
 * import { SetupError } from "./setup_error.ts";
 * const e = new SetupError("Executing notebooks needs jupyter-nbconvert: run as root `apt-get install -y jupyter-nbconvert`");
 * console.log(e.name); // "SetupError"
 * ```
 */
export class SetupError extends Error {
  /**
   * @param message what is missing and the command that provides it
   * @param options the original error as `cause`
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SetupError";
  }
}
