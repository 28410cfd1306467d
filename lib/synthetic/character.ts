/**
 * Identity of a synthetic character: body proportions and appearance (skin,
 * hair, clothing colours and patterns). Plain JSON; the same identity is used
 * for every frame of a clip and for its reference image.
 *
 * @module
 */

import type { Prng } from "../random/mod.ts";
import type { BodyShapeParams } from "./body_shape.ts";
import { COLOR_NAMES, type ColorName, type HairColorName, SKIN_TONES } from "./palette.ts";

/** Clothing patterns. */
export const PATTERNS = ["solid", "stripes", "checks"] as const;
/** A clothing pattern. */
export type Pattern = typeof PATTERNS[number];
/** Hair styles. */
export const HAIR_STYLES = ["short", "long", "bun", "bald"] as const;
/** A hair style. */
export type HairStyle = typeof HAIR_STYLES[number];

/** A character's identity (plain JSON). */
export interface CharacterSpec {
  shape: BodyShapeParams;
  /** Index into `SKIN_TONES`. */
  skin: number;
  hair: { style: HairStyle; color: HairColorName };
  top: { color: ColorName; color2: ColorName; pattern: Pattern; sleeves: "short" | "long"; period: number };
  bottom: { color: ColorName; kind: "trousers" | "shorts" };
  shoes: ColorName;
}

/** Options of `sampleCharacter`. */
export interface SampleCharacterOptions {
  /** Big-head, short-limb proportions. */
  chibi: boolean;
  /** Allow fantasy hair colours (cartoon style). */
  fantasyHair: boolean;
}

/**
 * Draws a random character identity.
 *
 * @param prng the random stream (advanced)
 * @param options chibi proportions, fantasy hair colours
 * @returns the character spec
 * @example
 * ```ts
 * import { Prng } from "../random/mod.ts";
 * import { sampleCharacter } from "./character.ts";
 * const c = sampleCharacter(new Prng(5), { chibi: false, fantasyHair: false });
 * console.log(c.top.pattern);
 * ```
 */
export function sampleCharacter(prng: Prng, options: SampleCharacterOptions): CharacterSpec {
  const u = (a: number, b: number) => a + (b - a) * prng.uniform();
  const pick = <T>(xs: readonly T[]): T => xs[prng.int(xs.length)];
  const shape: BodyShapeParams = options.chibi
    ? { height: u(1.0, 1.4), chibi: u(0.75, 1), build: u(0.2, 1), legRatio: u(0.9, 1.1) }
    : { height: u(1.5, 1.92), chibi: u(0, 0.12), build: u(0, 1), legRatio: u(0.9, 1.1) };
  const hairColors: HairColorName[] = ["black", "brown", "blonde", "red", "grey"];
  if (options.fantasyHair) hairColors.push("blue", "pink", "green");
  const top = pick(COLOR_NAMES);
  let color2 = pick(COLOR_NAMES);
  if (color2 === top) color2 = COLOR_NAMES[(COLOR_NAMES.indexOf(top) + 5) % COLOR_NAMES.length];
  let bottom = pick(COLOR_NAMES);
  if (bottom === top) bottom = COLOR_NAMES[(COLOR_NAMES.indexOf(top) + 3) % COLOR_NAMES.length];
  const r = prng.uniform();
  return {
    shape,
    skin: prng.int(SKIN_TONES.length),
    hair: { style: pick(["short", "short", "long", "long", "bun", "bald"] as const), color: pick(hairColors) },
    top: {
      color: top,
      color2,
      pattern: r < 0.45 ? "solid" : r < 0.75 ? "stripes" : "checks",
      sleeves: prng.uniform() < 0.5 ? "short" : "long",
      period: u(0.05, 0.1),
    },
    bottom: { color: bottom, kind: prng.uniform() < 0.75 ? "trousers" : "shorts" },
    shoes: pick(["black", "white", "brown", "grey", "red", "blue"] as const),
  };
}
