/**
 * Runs one Slurm client command (sbatch, squeue, sacct, scontrol, scancel,
 * sinfo) and returns its output; a missing command becomes a clear error
 * (private to lib/workbench/slurm).
 */

/** The output of a Slurm client command. */
export interface SlurmCommandResult {
  ok: boolean;
  code: number;
  stdout: string;
  stderr: string;
}

/** Thrown when the Slurm client commands are not installed or no controller answers. */
export class SlurmUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SlurmUnavailableError";
  }
}

/**
 * The environment for Slurm commands: this process's, plus `extra` (e.g.
 * SLURM_CONF of a test cluster). Inside a job (SLURM_JOB_ID set: the
 * follow-up job submitting the next array) the SLURM_* variables Slurm set for
 * that job are left out, so that its SLURM_JOB_ID, SLURM_MEM_PER_NODE… do not
 * leak into the new jobs; SLURM_CONF and the user's SBATCH_* defaults stay.
 * @param extra variables to add
 * @returns the complete environment
 */
export function slurmEnv(extra: Record<string, string> = {}): Record<string, string> {
  const all = Deno.env.toObject();
  const inJob = "SLURM_JOB_ID" in all;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) {
    if (inJob && k.startsWith("SLURM_") && k !== "SLURM_CONF") continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

/**
 * @param cmd e.g. "sbatch"
 * @param args its arguments
 * @param options environment additions and stdin text
 * @returns exit status and output (never throws for a non-zero exit)
 */
export async function slurmCommand(
  cmd: string,
  args: readonly string[],
  options: { env?: Record<string, string>; stdin?: string } = {},
): Promise<SlurmCommandResult> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(cmd, {
      args: [...args],
      env: slurmEnv(options.env),
      clearEnv: true,
      stdin: options.stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new SlurmUnavailableError(
        `Cannot use the Slurm executor as "${cmd}" is not on PATH: it needs the Slurm client commands ` +
          `(sbatch, squeue, scontrol, scancel; Debian package slurm-client) on the machine you submit from`,
      );
    }
    throw e;
  }
  if (options.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(options.stdin));
    await w.close();
  }
  const out = await child.output();
  return {
    ok: out.success,
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr).trim(),
  };
}

/**
 * Checks that the controller answers (`scontrol ping`).
 * @param env environment additions
 * @throws SlurmUnavailableError naming the command's answer
 */
export async function checkController(env?: Record<string, string>): Promise<void> {
  const r = await slurmCommand("scontrol", ["ping"], { env });
  if (!r.ok || !/\bUP\b/.test(r.stdout)) {
    const said = (r.stdout + "\n" + r.stderr).split("\n").map((l) => l.trim()).filter((l) => /[a-z]/i.test(l))
      .slice(0, 2).join(" / ");
    throw new SlurmUnavailableError(
      `Cannot submit to Slurm as no controller answers \`scontrol ping\` (exit ${r.code}): ${said || "no output"}. ` +
        `Check SLURM_CONF and that slurmctld is running.`,
    );
  }
}
