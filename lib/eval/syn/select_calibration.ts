/**
 * Picks the calibration entry for a clip size.
 *
 * References: classical_calibration.ts.
 */
import type { CalibrationEntry, ClassicalCalibration } from "./classical_calibration.ts";

/** The chosen entry; `exact` is false when only H×W match (the frame count differs). */
export interface SelectedCalibration {
  key: string;
  entry: CalibrationEntry;
  exact: boolean;
}

/**
 * The entry of size F×H×W if calibrated, else the one with the same H×W and
 * the nearest frame count (the threshold is per pair and VBench's count rule
 * scales with F), else null: another resolution changes what Lucas–Kanade
 * recovers, so no entry is stretched to it.
 *
 * @param calibration the calibration file's contents
 * @param size the videos' frames, height and width
 * @returns the entry and whether it matches exactly, or null
 * @example
 * ```ts
 * import { selectCalibration } from "./select_calibration.ts";
 * const entry = { size: { frames: 9, height: 32, width: 32 } } as never;
 * const cal = { sizes: { "9x32x32": entry } } as never;
 * console.log(selectCalibration(cal, { frames: 5, height: 32, width: 32 })?.key); // "9x32x32"
 * ```
 */
export function selectCalibration(
  calibration: ClassicalCalibration,
  size: { frames: number; height: number; width: number },
): SelectedCalibration | null {
  const exactKey = `${size.frames}x${size.height}x${size.width}`;
  const sizes = calibration?.sizes ?? {};
  if (sizes[exactKey]) return { key: exactKey, entry: sizes[exactKey], exact: true };
  let best: SelectedCalibration | null = null;
  for (const [key, entry] of Object.entries(sizes)) {
    if (entry.size.height !== size.height || entry.size.width !== size.width) continue;
    if (!best || Math.abs(entry.size.frames - size.frames) < Math.abs(best.entry.size.frames - size.frames)) {
      best = { key, entry, exact: false };
    }
  }
  return best;
}
