/**
 * Running a system command for set-up: its output as text, and a missing
 * program reported as a failure instead of thrown.
 */

/** What a command printed and whether it succeeded. */
export interface CommandResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/**
 * @param cmd the program
 * @param args its arguments
 * @param env extra environment variables
 * @returns success and the decoded output; a program that cannot start gives ok false and the reason in stderr
 */
export async function runCommand(cmd: string, args: readonly string[], env?: Record<string, string>): Promise<CommandResult> {
  try {
    const out = await new Deno.Command(cmd, { args: [...args], env, stdout: "piped", stderr: "piped" }).output();
    const dec = new TextDecoder();
    return { ok: out.success, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  } catch (e) {
    return { ok: false, stdout: "", stderr: (e as Error).message };
  }
}
