import * as tf from "@tensorflow/tfjs-core";
import { checkBeginIndex } from "./_check_begin_index.ts";
import { flowSigmas } from "./flow_sigmas.ts";
import type { Solver } from "./solver.ts";

/** Options of {@link FlowUniPCSolver}. */
export interface FlowUniPCSolverOptions {
  /** Training timesteps N (schedule starts at 1 − 1/N). */
  numTrainTimesteps?: number;
  /** Step indices after which the corrector is skipped (diffusers' `disable_corrector`). */
  disableCorrector?: readonly number[];
}

/** λ(σ) = log(α/σ) with α = 1 − σ: the half log-SNR of the flow path (+∞ at σ = 0). */
function lambda(sigma: number): number {
  return Math.log(1 - sigma) - Math.log(sigma);
}

/**
 * UniPC for flow matching exactly as Wan-2.1 configures it: B(h) = e^h − 1
 * ("bh2"), solver order 2, updates on the x0 prediction (x0 = x − σ·v),
 * lower-order start and final step, corrector (UniC) after every step but the
 * first. With σ_{N} = 0 the final step returns the x0 prediction.
 *
 * Per step i (σ_s = σ_i, σ_t = σ_{i+1}, α = 1 − σ, λ = log(α/σ), h = λ_t − λ_s):
 * - corrector (i > 0): re-solve the previous step with the new model output m_i
 *   as an extra point, x_i ← σ_i/σ_{i−1}·x_{i−1} − α_i(e^{−h}−1)·m_{i−1}
 *   − α_i·B(h)·(Σ_k ρ_k·D_k + ρ_last·(m_i − m_{i−1}));
 * - predictor: x_{i+1} = σ_t/σ_s·x_i − α_t(e^{−h}−1)·m_i − α_t·B(h)·½·D_1,
 *   D_1 = (m_{i−1} − m_i)/r_1, r_1 = (λ_{i−1} − λ_i)/h (order 2; order 1 drops the last term).
 *
 * References: Zhao et al. 2023 "UniPC" (NeurIPS), Alg. 2/3 with B(h) = e^h − 1;
 * Wan2.1 `wan/utils/fm_solvers_unipc.py` (FlowUniPCMultistepScheduler:
 * `multistep_uni_p_bh_update`, `multistep_uni_c_bh_update`, `step`), itself
 * from diffusers v0.31 `scheduling_unipc_multistep.py`.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { FlowUniPCSolver } from "./flow_unipc_solver.ts";
 * const solver = new FlowUniPCSolver();
 * solver.setTimesteps(3, { shift: 5 });
 * let x = tf.ones([1, 1, 1, 1, 1]);
 * for (let i = 0; i < 3; i++) x = solver.step(tf.mul(x, 0.5), x);
 * solver.dispose();
 * ```
 */
export class FlowUniPCSolver implements Solver {
  sigmas: Float64Array = new Float64Array(0);
  timesteps: Float64Array = new Float64Array(0);
  stepIndex = 0;
  readonly #numTrainTimesteps: number;
  readonly #disableCorrector: readonly number[];
  /** x0 predictions of the last two steps, oldest first. */
  #outputs: [tf.Tensor | null, tf.Tensor | null] = [null, null];
  /** The (corrected) sample the last predictor started from. */
  #lastSample: tf.Tensor | null = null;
  #lowerOrderNums = 0;
  #thisOrder = 1;

  /** @param options N and the corrector exclusions */
  constructor(options: FlowUniPCSolverOptions = {}) {
    this.#numTrainTimesteps = options.numTrainTimesteps ?? 1000;
    this.#disableCorrector = options.disableCorrector ?? [];
  }

  /**
   * @param steps number of steps, >= 1
   * @param options the shift
   */
  setTimesteps(steps: number, options: { shift?: number } = {}): void {
    ({ sigmas: this.sigmas, timesteps: this.timesteps } = flowSigmas(steps, {
      shift: options.shift,
      numTrainTimesteps: this.#numTrainTimesteps,
    }));
    this.dispose();
  }

  /**
   * @param v velocity at (x, σ_i)
   * @param x sample at σ_i (not disposed)
   * @returns sample at σ_{i+1}, owned by the caller
   */
  step(v: tf.Tensor, x: tf.Tensor): tf.Tensor {
    const i = this.stepIndex;
    const steps = this.timesteps.length;
    if (i >= steps) {
      throw new RangeError(
        `Cannot step the UniPC solver as all ${steps} steps are done (call setTimesteps first): step index ${i}`,
      );
    }
    const s = this.sigmas;
    return tf.tidy(() => {
      const m = tf.sub(x, tf.mul(v, s[i])); // x0 prediction
      let sample = x;
      if (i > 0 && this.#lastSample !== null && !this.#disableCorrector.includes(i - 1)) {
        sample = this.#correct(m, i);
      }
      const [dropped] = this.#outputs;
      this.#outputs = [this.#outputs[1], tf.keep(m)];
      dropped?.dispose();

      // lower_order_final: order 1 on the last step; warm-up: at most one more than the steps done.
      this.#thisOrder = Math.min(2, steps - i, this.#lowerOrderNums + 1);
      this.#lastSample?.dispose();
      this.#lastSample = tf.keep(sample === x ? tf.clone(x) : sample);
      const next = this.#predict(i);
      if (this.#lowerOrderNums < 2) this.#lowerOrderNums++;
      this.stepIndex++;
      return next;
    });
  }

  /** UniP-p, predict-x0, bh2 (p = this step's order). */
  #predict(i: number): tf.Tensor {
    const s = this.sigmas;
    const [mPrev, m0] = this.#outputs as [tf.Tensor | null, tf.Tensor];
    const x = this.#lastSample!;
    const sigmaT = s[i + 1], sigmaS = s[i];
    const alphaT = 1 - sigmaT;
    const h = lambda(sigmaT) - lambda(sigmaS); // +∞ when σ_t = 0
    const hPhi1 = Math.expm1(-h); // = B(h) for bh2
    let out = tf.sub(tf.mul(x, sigmaT / sigmaS), tf.mul(m0, alphaT * hPhi1));
    if (this.#thisOrder === 2) {
      const rk = (lambda(s[i - 1]) - lambda(sigmaS)) / h;
      const d1 = tf.div(tf.sub(mPrev!, m0), rk);
      out = tf.sub(out, tf.mul(d1, alphaT * hPhi1 * 0.5)); // ρ_p = ½ for order 2
    }
    return out;
  }

  /** UniC-p at step i with the new x0 prediction m (p = the previous step's order). */
  #correct(m: tf.Tensor, i: number): tf.Tensor {
    const s = this.sigmas;
    const [mPrev, m0] = this.#outputs as [tf.Tensor | null, tf.Tensor];
    const x = this.#lastSample!;
    const order = this.#thisOrder;
    const sigmaT = s[i], sigmaS = s[i - 1];
    const alphaT = 1 - sigmaT;
    const h = lambda(sigmaT) - lambda(sigmaS);
    const hh = -h;
    const hPhi1 = Math.expm1(hh);
    const bH = hPhi1;
    let rhoD: number, rk = 0;
    let rhoLast: number;
    if (order === 1) {
      rhoD = 0;
      rhoLast = 0.5;
    } else {
      // b_k = k!·φ_{k+1}(hh)·… / B(h) recursion of the reference, then solve [[1, 1], [r_1, 1]]·ρ = b.
      let hPhiK = hPhi1 / hh - 1;
      const b1 = hPhiK / bH;
      hPhiK = hPhiK / hh - 1 / 2;
      const b2 = (hPhiK * 2) / bH;
      rk = (lambda(s[i - 2]) - lambda(sigmaS)) / h;
      rhoD = (b1 - b2) / (1 - rk);
      rhoLast = b1 - rhoD;
    }
    return tf.tidy(() => {
      let res = tf.mul(tf.sub(m, m0), rhoLast);
      if (order === 2) res = tf.add(res, tf.mul(tf.div(tf.sub(mPrev!, m0), rk), rhoD));
      return tf.sub(tf.sub(tf.mul(x, sigmaT / sigmaS), tf.mul(m0, alphaT * hPhi1)), tf.mul(res, alphaT * bH));
    });
  }

  /**
   * Makes schedule entry `index` the next step, with an empty history: the first step is
   * first-order and uncorrected, as after setTimesteps.
   * @param index in 0..steps−1
   * @throws {RangeError} when index is not an integer in that range
   */
  setBeginIndex(index: number): void {
    checkBeginIndex("UniPC", index, this.timesteps.length);
    this.dispose();
    this.stepIndex = index;
  }

  /** Frees the history and rewinds to step 0 (the schedule is kept). */
  dispose(): void {
    tf.dispose(
      [...this.#outputs.filter((t) => t !== null), ...(this.#lastSample ? [this.#lastSample] : [])] as tf.Tensor[],
    );
    this.#outputs = [null, null];
    this.#lastSample = null;
    this.#lowerOrderNums = 0;
    this.#thisOrder = 1;
    this.stepIndex = 0;
  }
}
