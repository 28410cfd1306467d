/**
 * Numbers the RealisDance-DiT paper reports, as published (their scale: real
 * video data, Wan-2.1 14B, A100s). Notebooks show them only in columns
 * labelled "paper", beside — never mixed into — the workbench's -syn numbers.
 *
 * References: RealisDance-DiT (2025), model-design ablation table.
 */

/** The four designs of the model-design ablation, in the paper's order, then LoRA (this workbench's fifth), with display names. */
export const DESIGN_LABELS: Readonly<Record<string, string>> = {
  "reference-net": "Reference Net",
  "light-reference-net": "light Reference Net",
  "full-finetune": "concat + full fine-tune",
  "part-finetune": "concat + part fine-tune",
  "part-finetune-frame-shift": "concat (aligned, frame shift) + part fine-tune",
  lora: "concat + LoRA (not in the paper)",
};

/** The paper's model-design results: FID and FVD (standard networks), or its out-of-memory outcome. */
export const PAPER_MODEL_DESIGN: Readonly<Record<string, { fid: number | null; fvd: number | null; outcome: string }>> = {
  "reference-net": { fid: null, fvd: null, outcome: "out of memory" },
  "light-reference-net": { fid: 31.01, fvd: 678.98, outcome: "trained" },
  "full-finetune": { fid: 25.58, fvd: 519.22, outcome: "trained" },
  "part-finetune": { fid: 24.79, fvd: 563.28, outcome: "trained" },
};
