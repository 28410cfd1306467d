/**
 * At what fine-tuning scale do the designs animate? Part fine-tune (the
 * RealisDance-DiT design) and the light Reference Net, fine-tuned from the
 * adopted foundation far longer than the ablations' 300 steps, on eight times
 * their training clips, with checkpoints kept along the way. Every kept step
 * is scored on the held-out clips against the ground truth and against the
 * VAE's own reconstruction of the same clips (the ceiling a sample decoded by
 * that VAE can reach): PSNR / SSIM, PSNR on the background pixels and I2V
 * Background-syn (is the reference's background kept?), MoveNet keypoints
 * found and their error against the driving pose (is the pose followed?),
 * with strips at each step (`samples/step-<N>/`).
 *
 * Recipe: `finetune-scale` (`FINETUNE_SCALE`, experiments/_recipes.ts): the ablations'
 * fine-tuning with 2,048 training clips instead of 256 and 4,800 steps
 * instead of 300, checkpoints kept at 300, 600, 1,200, 2,400 and 4,800. The "animates" threshold it is judged by is
 * stated in results/JOURNAL.md.
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "part fine-tune and light Reference Net learning curves to 4,800 steps on 2,048 clips, scored against the VAE's reconstruction",
  recipe: "finetune-scale",
  overrides: {},
  axes: { "model.design": ["part-finetune", "light-reference-net"], seed: [0] },
});
