/**
 * Named colours of the synthetic world. Every colour a caption mentions comes
 * from here, so captions use a fixed vocabulary and always tell the truth
 * about the pixels (up to lighting).
 *
 * @module
 */

/** An RGB colour in [0, 1]. */
export type Rgb = [number, number, number];

/** Clothing and object colours, by caption name. */
export const COLORS = {
  red: [0.78, 0.12, 0.12],
  orange: [0.93, 0.48, 0.1],
  yellow: [0.95, 0.82, 0.18],
  green: [0.2, 0.58, 0.24],
  teal: [0.08, 0.55, 0.55],
  blue: [0.16, 0.36, 0.82],
  navy: [0.1, 0.14, 0.38],
  purple: [0.5, 0.2, 0.62],
  pink: [0.95, 0.55, 0.7],
  white: [0.93, 0.93, 0.9],
  grey: [0.5, 0.5, 0.52],
  black: [0.08, 0.08, 0.1],
  brown: [0.45, 0.28, 0.15],
  beige: [0.85, 0.76, 0.6],
} as const satisfies Record<string, Rgb>;
/** A clothing/object colour name. */
export type ColorName = keyof typeof COLORS;
/** All clothing/object colour names. */
export const COLOR_NAMES = Object.keys(COLORS) as ColorName[];

/** Hair colours, by caption name (the last three only for cartoon characters). */
export const HAIR_COLORS = {
  black: [0.06, 0.05, 0.05],
  brown: [0.32, 0.2, 0.1],
  blonde: [0.88, 0.74, 0.42],
  red: [0.62, 0.2, 0.08],
  grey: [0.62, 0.62, 0.62],
  blue: [0.2, 0.4, 0.9],
  pink: [0.98, 0.5, 0.72],
  green: [0.3, 0.75, 0.4],
} as const satisfies Record<string, Rgb>;
/** A hair colour name. */
export type HairColorName = keyof typeof HAIR_COLORS;

/** Skin tones from light to dark (not named in captions). */
export const SKIN_TONES: readonly Rgb[] = [
  [0.96, 0.8, 0.69],
  [0.9, 0.72, 0.58],
  [0.8, 0.6, 0.45],
  [0.66, 0.46, 0.32],
  [0.48, 0.32, 0.22],
  [0.33, 0.22, 0.15],
];

/** Wall/backdrop colours, by caption name. */
export const WALL_COLORS = {
  white: [0.88, 0.87, 0.84],
  beige: [0.86, 0.78, 0.64],
  grey: [0.6, 0.61, 0.63],
  blue: [0.55, 0.68, 0.85],
  green: [0.62, 0.78, 0.6],
  yellow: [0.93, 0.85, 0.55],
  pink: [0.92, 0.7, 0.75],
  orange: [0.95, 0.68, 0.42],
} as const satisfies Record<string, Rgb>;
/** A wall colour name. */
export type WallColorName = keyof typeof WALL_COLORS;
