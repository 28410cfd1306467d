/**
 * A real photograph of a person for the pose tests: `assets/samples.jpg` of
 * the npm package `@vladmandic/human` (MIT), fetched once with `npm pack`
 * into the git-ignored cache and checked against the registry's integrity;
 * the crop x 540..640, y 0..160 shows one woman standing, full body, facing
 * the camera (right arm down holding a phone case, left hand raised).
 */

import { sha512Integrity } from "../../lib/pose/ensure_human_models.ts";
import { ensureFfmpeg } from "../../lib/data/ensure_ffmpeg.ts";

const PACKAGE = "@vladmandic/human@3.3.6";
const INTEGRITY = "sha512-Nr5mPfq1gQ+uKeXY5uM3Fj8UxvF5CEh2s6txM5wRThqaW0mF9huooOuZSrT8hhGho0hGaXLFdAwfD/2+teCv6A==";
const DIR = new URL("../../datasets/cache/npm/vladmandic-human-3.3.6/", import.meta.url).pathname;

/** The crop as RGB bytes [160, 100, 3]. */
export async function realPhoto(): Promise<{ width: number; height: number; data: Uint8Array }> {
  await ensureFfmpeg();
  const jpg = `${DIR}package/assets/samples.jpg`;
  try {
    await Deno.stat(jpg);
  } catch {
    await Deno.mkdir(DIR, { recursive: true });
    const tgz = `${DIR}vladmandic-human-3.3.6.tgz`;
    const pack = await new Deno.Command("npm", { args: ["pack", PACKAGE, "--pack-destination", DIR, "--silent"], stdout: "null", stderr: "piped" }).output();
    if (!pack.success) throw new Error(`npm pack ${PACKAGE} failed: ${new TextDecoder().decode(pack.stderr)}`);
    const got = await sha512Integrity(await Deno.readFile(tgz));
    if (got !== INTEGRITY) throw new Error(`${tgz}: integrity ${got}, expected ${INTEGRITY}`);
    const tar = await new Deno.Command("tar", { args: ["-xzf", tgz, "-C", DIR, "package/assets/samples.jpg", "package/LICENSE"] }).output();
    if (!tar.success) throw new Error(`cannot extract ${tgz}`);
  }
  const out = await new Deno.Command("ffmpeg", {
    args: ["-v", "error", "-i", jpg, "-vf", "crop=100:160:540:0", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
    stdout: "piped",
  }).output();
  return { width: 100, height: 160, data: out.stdout };
}
