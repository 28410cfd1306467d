/**
 * The paper's claims that the workbench's sweeps test, as data: for each,
 * the paper's words (as results/JOURNAL.md's claims table and notebooks
 * 01–03 give them; the paper numbers none of them), the sweep and measure
 * that answer it, the two arms compared by seed, the direction the paper
 * states, the smallest effect that matters and how the interval is made.
 * {@link computeClaims} turns each into an entry of
 * `results/ablations/claims.json`; nothing here holds a result.
 *
 * References: RealisDance-DiT (2025) §3–4 (model design, training strategies);
 * issue 31 (claims (h) and (j), beyond the paper's own ablations).
 */

/** One arm of a comparison: the runs of a sweep whose columns match (a dotted key reads into a JSON column). */
export interface ClaimArm {
  label: string;
  where: Readonly<Record<string, string | number | boolean>>;
}

/** What is measured on each run. */
export type ClaimMeasure =
  /** A column of the sweep's summary.parquet. */
  | { kind: "column"; column: string }
  /** A column minus another of the same run (a change along training). */
  | { kind: "change"; from: string; to: string }
  /** The run's measured training-step peak minus its memory budget (memory.json of the run folder: the summary keeps the budget only for runs over it). */
  | { kind: "over-budget" }
  /** Mean validation loss over [first evaluated step, τ] (area under the curve / τ), τ = the warmup's length or the run's last step; from metrics.jsonl. */
  | { kind: "curve-area"; key: string; to: "warmup" | "end" }
  /** The validation loss at the largest number of training samples seen that every run of both arms evaluated (interpolated linearly); from metrics.jsonl. */
  | { kind: "at-samples"; key: string };

/** The smallest effect that matters, for the verdict's bound and the seed estimate. */
export type EffectOfInterest =
  /** The paper's own relative difference between the two arms' published numbers, applied to arm B's mean here. */
  | { kind: "paper"; a: string; b: string; metric: "fid" | "fvd" }
  /** A relative size of arm B's mean (or of `from`'s mean for a change), where the paper gives no number: the workbench's choice, said why. */
  | { kind: "relative"; value: number; why: string };

/** How the 95% interval is made. */
export type ClaimInterval =
  | { kind: "paired-t" }
  /** A seeded paired percentile bootstrap from `minSeeds` seeds on (too narrow with fewer); the paired t interval below that. */
  | { kind: "bootstrap"; minSeeds: number; why: string };

/** One claim. */
export interface PaperClaim {
  id: string;
  /** The paper's words (or, beyond the paper, the question), its section and its number where it gives one. */
  claim: { text: string; section: string; number: string | null };
  experiment: string;
  measure: ClaimMeasure;
  /** Human-readable metric name with its direction. */
  metric: string;
  /** A alone (a change within runs) or A − B paired by seed. */
  arms: readonly [ClaimArm] | readonly [ClaimArm, ClaimArm];
  /** The paper's direction for the effect (A − B, or the change): "lower"/"higher", or "not-higher" (as good as: lower or within the bound). */
  expected: "lower" | "higher" | "not-higher";
  pairing: string;
  effectOfInterest: EffectOfInterest;
  interval: ClaimInterval;
}

const VAL_1PCT: EffectOfInterest = {
  kind: "relative",
  value: 0.01,
  why: "the paper gives no size; 1% of the baseline's validation loss, about the spread between designs' final validation losses (2-4%) divided by three",
};
const SAMPLE_5PCT: EffectOfInterest = {
  kind: "relative",
  value: 0.05,
  why: "the paper gives no size ('slightly'); 5% of the score at step 100",
};
const BY_SEED = "paired by seed: both arms trained from the same foundation on the same seed's clip order, noise and timestep draws (the designs' own new weights differ)";
const BY_SEED_SAMPLES = `${BY_SEED}; the benchmark samples each fine-tuning with the seed's evaluation noise`;
const BOOTSTRAP_FID: ClaimInterval = {
  kind: "bootstrap",
  minSeeds: 10,
  why: "FID-syn/FVD-syn over seeds has outliers (full fine-tune's seed 2), so no normal shape is assumed once there are enough seeds",
};
const design = (d: string): ClaimArm => ({ label: d, where: { "model.design": d } });
const kind = (k: string): ClaimArm => ({ label: k, where: { "diffusion.timesteps.kind": k } });
const batch = (b: number): ClaimArm => ({ label: `effective batch ${8 * b}`, where: { "train.accumulation": b } });
const MODEL_DESIGN = "RealisDance-DiT §4, model-design ablation";
const STRATEGY = "RealisDance-DiT §3–4, training strategies";

/** The claims, in the order of results/JOURNAL.md's claims table, then (h) and (j). */
export const PAPER_CLAIMS: readonly PaperClaim[] = [
  {
    id: "memory/reference-net-oom",
    claim: { text: "The Reference Net does not fit in memory (out of memory), while the light Reference Net and concat fit.", section: MODEL_DESIGN, number: null },
    experiment: "model_design",
    measure: { kind: "over-budget" },
    metric: "peak training-step memory minus the memory budget (bytes; > 0 is out of memory)",
    arms: [design("reference-net")],
    expected: "higher",
    pairing: "one arm: each seed's measured peak against the run's budget",
    effectOfInterest: { kind: "relative", value: 0.05, why: "the paper gives no size; 5% of the budget" },
    interval: { kind: "paired-t" },
  },
  {
    id: "memory/light-reference-net-fits",
    claim: { text: "The Reference Net does not fit in memory (out of memory), while the light Reference Net and concat fit.", section: MODEL_DESIGN, number: null },
    experiment: "model_design",
    measure: { kind: "over-budget" },
    metric: "peak training-step memory minus the memory budget (bytes; < 0 fits), the largest design that fits",
    arms: [design("light-reference-net")],
    expected: "lower",
    pairing: "one arm: each seed's measured peak against the run's budget",
    effectOfInterest: { kind: "relative", value: 0.05, why: "the paper gives no size; 5% of the budget" },
    interval: { kind: "paired-t" },
  },
  ...(["part-finetune", "full-finetune"] as const).flatMap((d) =>
    (["FID-syn", "FVD-syn"] as const).map((m): PaperClaim => ({
      id: `design/${d}-vs-light-reference-net/${m}`,
      claim: {
        text: "Concat + fine-tune beats the light Reference Net (FID 25.58 full / 24.79 part vs 31.01; FVD 519.22 / 563.28 vs 678.98).",
        section: MODEL_DESIGN,
        number: null,
      },
      experiment: "benchmark",
      measure: { kind: "column", column: m },
      metric: `${m} on realisdance-val-syn (100 clips; lower is better)`,
      arms: [design(d), design("light-reference-net")],
      expected: "lower",
      pairing: BY_SEED_SAMPLES,
      effectOfInterest: { kind: "paper", a: d, b: "light-reference-net", metric: m === "FID-syn" ? "fid" : "fvd" },
      interval: BOOTSTRAP_FID,
    }))
  ),
  {
    id: "design/part-vs-full-finetune/FID-syn",
    claim: {
      text: "Part fine-tune is as good as full fine-tune, with better FID and worse FVD (24.79 vs 25.58; 563.28 vs 519.22), training far fewer parameters.",
      section: MODEL_DESIGN,
      number: null,
    },
    experiment: "benchmark",
    measure: { kind: "column", column: "FID-syn" },
    metric: "FID-syn on realisdance-val-syn (100 clips; lower is better)",
    arms: [design("part-finetune"), design("full-finetune")],
    expected: "lower",
    pairing: BY_SEED_SAMPLES,
    effectOfInterest: { kind: "paper", a: "part-finetune", b: "full-finetune", metric: "fid" },
    interval: BOOTSTRAP_FID,
  },
  {
    id: "design/part-vs-full-finetune/FVD-syn",
    claim: {
      text: "Part fine-tune is as good as full fine-tune, with better FID and worse FVD (24.79 vs 25.58; 563.28 vs 519.22), training far fewer parameters.",
      section: MODEL_DESIGN,
      number: null,
    },
    experiment: "benchmark",
    measure: { kind: "column", column: "FVD-syn" },
    metric: "FVD-syn on realisdance-val-syn (100 clips; lower is better)",
    arms: [design("part-finetune"), design("full-finetune")],
    expected: "higher",
    pairing: BY_SEED_SAMPLES,
    effectOfInterest: { kind: "paper", a: "part-finetune", b: "full-finetune", metric: "fvd" },
    interval: BOOTSTRAP_FID,
  },
  {
    id: "design/part-vs-full-finetune/val-loss",
    claim: {
      text: "Part fine-tune is as good as full fine-tune, with better FID and worse FVD (24.79 vs 25.58; 563.28 vs 519.22), training far fewer parameters.",
      section: MODEL_DESIGN,
      number: null,
    },
    experiment: "model_design",
    measure: { kind: "column", column: "final_val_loss" },
    metric: "final validation loss at fixed σ (lower is better)",
    arms: [design("part-finetune"), design("full-finetune")],
    expected: "not-higher",
    pairing: BY_SEED,
    effectOfInterest: VAL_1PCT,
    interval: { kind: "paired-t" },
  },
  {
    id: "warmup/low-noise-vs-uniform",
    claim: { text: "A low-noise warmup of the timestep distribution converges faster than uniform.", section: STRATEGY, number: null },
    experiment: "timestep_warmup",
    measure: { kind: "curve-area", key: "val_loss", to: "warmup" },
    metric: "mean validation loss at fixed σ over the warmup's first τ steps (area under the curve / τ, span in `span`; lower converged faster)",
    arms: [kind("low-noise-warmup"), kind("uniform")],
    expected: "lower",
    pairing: BY_SEED,
    effectOfInterest: VAL_1PCT,
    interval: { kind: "paired-t" },
  },
  {
    id: "warmup/high-noise-vs-uniform",
    claim: { text: "A high-noise warmup converges slower than uniform.", section: STRATEGY, number: null },
    experiment: "timestep_warmup",
    measure: { kind: "curve-area", key: "val_loss", to: "warmup" },
    metric: "mean validation loss at fixed σ over the warmup's first τ steps (area under the curve / τ, span in `span`; higher converged slower)",
    arms: [kind("high-noise-warmup"), kind("uniform")],
    expected: "higher",
    pairing: BY_SEED,
    effectOfInterest: VAL_1PCT,
    interval: { kind: "paired-t" },
  },
  {
    id: "batch/32-vs-8-per-step",
    claim: { text: "Larger batches converge faster at the same learning rate (large batch, few iterations).", section: STRATEGY, number: null },
    experiment: "batch_iterations",
    measure: { kind: "curve-area", key: "val_loss", to: "end" },
    metric: "mean validation loss at fixed σ over every evaluated optimizer step (area under the curve per step, span in `span`; lower converged faster per iteration)",
    arms: [batch(4), batch(1)],
    expected: "lower",
    pairing: `${BY_SEED}; the larger batch takes 4 clips where the smaller takes 1`,
    effectOfInterest: VAL_1PCT,
    interval: { kind: "paired-t" },
  },
  {
    id: "batch/32-vs-8-per-sample",
    claim: { text: "Larger batches converge faster at the same learning rate (large batch, few iterations).", section: STRATEGY, number: null },
    experiment: "batch_iterations",
    measure: { kind: "at-samples", key: "val_loss" },
    metric: "validation loss at fixed σ at the same number of training samples seen, the most both arms reached (in `span`; lower converged faster per sample)",
    arms: [batch(4), batch(1)],
    expected: "lower",
    pairing: `${BY_SEED}; the same clips seen, in fewer, larger steps`,
    effectOfInterest: VAL_1PCT,
    interval: { kind: "paired-t" },
  },
  {
    id: "long-training/pose-error",
    claim: { text: "Long training improves pose control slightly.", section: STRATEGY, number: null },
    experiment: "batch_iterations",
    measure: { kind: "change", from: "pose_error@100", to: "pose_error@300" },
    metric: "pose error (MoveNet keypoint error of the found keypoints, of the height) at step 300 minus step 100, effective batch 8 (lower is better)",
    arms: [batch(1)],
    expected: "lower",
    pairing: "within run: the same run's kept checkpoints at steps 100 and 300, scored on the same clips and noise",
    effectOfInterest: SAMPLE_5PCT,
    interval: { kind: "paired-t" },
  },
  {
    id: "long-training/diversity",
    claim: { text: "Long training loses diversity.", section: STRATEGY, number: null },
    experiment: "batch_iterations",
    measure: { kind: "change", from: "diversity@100", to: "diversity@300" },
    metric: "diversity-syn (mean pairwise cosine distance between 3 noise seeds) at step 300 minus step 100, effective batch 8",
    arms: [batch(1)],
    expected: "lower",
    pairing: "within run: the same run's kept checkpoints at steps 100 and 300, scored on the same clips and noise",
    effectOfInterest: SAMPLE_5PCT,
    interval: { kind: "paired-t" },
  },
  {
    id: "long-training/background",
    claim: { text: "Long training loses background preservation.", section: STRATEGY, number: null },
    experiment: "batch_iterations",
    measure: { kind: "change", from: "background@100", to: "background@300" },
    metric: "I2V Background-syn against the reference at step 300 minus step 100, effective batch 8",
    arms: [batch(1)],
    expected: "lower",
    pairing: "within run: the same run's kept checkpoints at steps 100 and 300, scored on the same clips and noise",
    effectOfInterest: SAMPLE_5PCT,
    interval: { kind: "paired-t" },
  },
  {
    id: "rope/shifted-vs-unshifted",
    claim: {
      text: "The concat design gives the reference RoPE positions shifted spatially past the video grid, so that no reference token shares a position with a video token; tested as: shifted does better than unshifted (issue 31, claim (h)).",
      section: "RealisDance-DiT §3, shifted RoPE",
      number: "(h)",
    },
    experiment: "rope_shift",
    measure: { kind: "column", column: "final_val_loss" },
    metric: "final validation loss at fixed σ (lower is better)",
    arms: [
      { label: "spatially shifted", where: { "model.design": "part-finetune" } },
      { label: "unshifted", where: { "model.design": "concat-unshifted-part" } },
    ],
    expected: "lower",
    pairing: BY_SEED,
    effectOfInterest: VAL_1PCT,
    interval: { kind: "paired-t" },
  },
  {
    id: "rope/frame-shift-vs-shifted",
    claim: {
      text: "The paper's spatial shift against the frame-shift option (the reference spatially aligned, one frame past the last; issue 28's alternative): the paper's placement does better (issue 31, claim (h)).",
      section: "RealisDance-DiT §3, shifted RoPE",
      number: "(h)",
    },
    experiment: "rope_shift",
    measure: { kind: "column", column: "final_val_loss" },
    metric: "final validation loss at fixed σ (lower is better)",
    arms: [
      { label: "frame shift, spatially aligned", where: { "model.design": "part-finetune-frame-shift" } },
      { label: "spatially shifted", where: { "model.design": "part-finetune" } },
    ],
    expected: "higher",
    pairing: BY_SEED,
    effectOfInterest: VAL_1PCT,
    interval: { kind: "paired-t" },
  },
  {
    id: "lora/lora-vs-part-finetune",
    claim: {
      text: "Beyond the paper: LoRA adapters on the frozen foundation are as good as part fine-tuning, training fewer weights (the 'minimal modification' one step further; issue 31, claim (j)).",
      section: "beyond the paper (experiments/model_design.ts)",
      number: "(j)",
    },
    experiment: "model_design",
    measure: { kind: "column", column: "final_val_loss" },
    metric: "final validation loss at fixed σ (lower is better)",
    arms: [design("lora"), design("part-finetune")],
    expected: "not-higher",
    pairing: BY_SEED,
    effectOfInterest: VAL_1PCT,
    interval: { kind: "paired-t" },
  },
  ...(["FID-syn", "FVD-syn"] as const).map((m): PaperClaim => ({
    id: `lora/lora-vs-part-finetune/${m}`,
    claim: {
      text: "Beyond the paper: LoRA adapters on the frozen foundation are as good as part fine-tuning, within the difference the paper calls " +
        "'as good as' between part and full fine-tuning (issue 31, claim (j)).",
      section: "beyond the paper (experiments/model_design.ts)",
      number: "(j)",
    },
    experiment: "benchmark",
    measure: { kind: "column", column: m },
    metric: `${m} on realisdance-val-syn (100 clips; lower is better)`,
    arms: [design("lora"), design("part-finetune")],
    expected: "not-higher",
    pairing: BY_SEED_SAMPLES,
    effectOfInterest: { kind: "paper", a: "part-finetune", b: "full-finetune", metric: m === "FID-syn" ? "fid" : "fvd" },
    interval: BOOTSTRAP_FID,
  })),
  {
    id: "lora/lora-vs-full-finetune",
    claim: {
      text: "Beyond the paper: LoRA adapters on the frozen foundation are as good as full fine-tuning (issue 31, claim (j)).",
      section: "beyond the paper (experiments/model_design.ts)",
      number: "(j)",
    },
    experiment: "model_design",
    measure: { kind: "column", column: "final_val_loss" },
    metric: "final validation loss at fixed σ (lower is better)",
    arms: [design("lora"), design("full-finetune")],
    expected: "not-higher",
    pairing: BY_SEED,
    effectOfInterest: VAL_1PCT,
    interval: { kind: "paired-t" },
  },
];
