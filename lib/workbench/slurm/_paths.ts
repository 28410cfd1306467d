/**
 * Path helpers (no @std/path here): absolute, normalised paths for what a
 * job on another node must find (private to lib/workbench/slurm).
 */

/**
 * @param path absolute or relative to the current directory
 * @returns the absolute path with "." and ".." segments resolved lexically
 */
export function absolutePath(path: string): string {
  const full = path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
  const out: string[] = [];
  for (const seg of full.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  return "/" + out.join("/");
}

/**
 * @param date a time
 * @returns a file-name-safe UTC timestamp, e.g. "2026-01-31T12-00-59Z"
 */
export function fileStamp(date = new Date()): string {
  return date.toISOString().slice(0, 19).replaceAll(":", "-") + "Z";
}
