/** Input checks shared by the metrics (private to lib/eval). */
import type { Video } from "./video.ts";

/** Throws unless two videos have the same shape. */
export function assertSameShape(pred: Video, ref: Video, what: string): void {
  if (pred.shape.some((s, i) => s !== ref.shape[i])) {
    throw new RangeError(
      `Cannot compute ${what} as pred and ref must have the same shape: received pred [${pred.shape}] and ref [${ref.shape}]`,
    );
  }
}
