/**
 * T5's bidirectional relative-position buckets for an L×L attention map:
 * half the buckets per direction; |Δ| < nb/4 exact, larger distances
 * log-spaced up to max_dist, the rest in the last bucket.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/t5.py`
 * (`T5RelativeEmbedding._relative_position_bucket`, bidirectional=True).
 *
 * @module
 */

/** @returns Int32Array [L·L], entry (i, j) the bucket of key j for query i. */
export function relativePositionBuckets(len: number, numBuckets: number, maxDist: number): Int32Array {
  const half = Math.floor(numBuckets / 2);
  const maxExact = Math.floor(half / 2);
  const out = new Int32Array(len * len);
  for (let i = 0; i < len; i++) {
    for (let j = 0; j < len; j++) {
      const rel = j - i;
      let bucket = rel > 0 ? half : 0;
      const dist = Math.abs(rel);
      if (dist < maxExact) {
        bucket += dist;
      } else {
        const large = maxExact +
          Math.trunc((Math.log(dist / maxExact) / Math.log(maxDist / maxExact)) * (half - maxExact));
        bucket += Math.min(large, half - 1);
      }
      out[i * len + j] = bucket;
    }
  }
  return out;
}
