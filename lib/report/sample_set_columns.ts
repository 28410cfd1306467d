/**
 * The columns every table of sample sets shares: keypoints found in the
 * samples with its standard error, the paired difference from a baseline set
 * of the same clips clip by clip (mean ± standard error, clips ahead /
 * behind; empty for the baseline itself), FID-syn and FVD-syn.
 *
 * References: lib/report/paired_difference.ts; lib/eval/keypoints_found.ts.
 */
import type { SampleSetRecord } from "./load_sample_sets.ts";
import { pairedDifference } from "./paired_difference.ts";

/**
 * @param set a scored sample set
 * @param baseline the set it is compared with (e.g. the run's own sampler), or undefined
 * @returns the shared columns, named as the tables show them
 * @example
 * ```ts ignore
 * rows.push({ foundation: s.foundation, guidance: 3, ...sampleSetColumns(s, own) });
 * ```
 */
export function sampleSetColumns(set: SampleSetRecord, baseline?: SampleSetRecord): Record<string, number | string | null> {
  const s = set.score.samples!;
  const d = baseline && baseline !== set ? pairedDifference(s.keypoints_found_per_clip, baseline.score.samples!.keypoints_found_per_clip) : null;
  return {
    "keypoints found: samples": s.keypoints_found,
    "± SE": s.keypoints_found_se,
    "vs the run's own (paired)": d?.mean ?? null,
    "± SE (paired)": d?.se ?? null,
    "clips ahead / behind": d ? `${d.ahead} / ${d.behind}` : "",
    "FID-syn": s.fid_syn,
    "FVD-syn": s.fvd_syn,
  };
}
