/**
 * The training loop: micro-batches accumulated into one optimizer step,
 * AdamW, learning-rate schedule, global-norm clipping, optional EMA, metrics
 * per step, validation every K steps, atomic checkpoints every K steps, exact
 * resume, a clean stop on request, and a hard stop on non-finite values.
 *
 * The loop knows nothing of models, schedules or data formats: it takes a
 * loss function and a data source that is a pure function of its position.
 *
 * References: nanoGPT `train.py` (flat loop, accumulation); PyTorch
 * `clip_grad_norm_` (global L2 norm, scale by max_norm/(norm+1e-6)).
 */
import * as tf from "@tensorflow/tfjs-core";
import { Prng } from "../random/prng.ts";
import { sumOfSquares } from "../engine/sum_of_squares.ts";
import { AdamW } from "./adamw.ts";
import { type LrSchedule, lrAt } from "./lr_schedule.ts";
import { disposeCheckpoint, loadCheckpoint, saveCheckpoint } from "./checkpoint.ts";
import { MetricsLog } from "./metrics_log.ts";

/** Data as a deterministic function of the stream position (samples consumed so far). */
export interface DataSource<B> {
  /** Number of distinct samples (for validation of the micro-batch size). */
  size: number;
  /** The micro-batch of `count` samples starting at stream `position`. */
  batch(position: number, count: number): B | Promise<B>;
  /** Frees a batch's tensors. */
  dispose?(batch: B): void;
}

/** What a loss function returns; `aux` tensors are read after the step. */
export interface LossResult {
  loss: tf.Scalar;
  /** Per-sample loss [b] and noise level s [b], for the loss-by-timestep-bucket log. */
  perSample?: { loss: tf.Tensor1D; s: tf.Tensor1D };
  /**
   * Tensors the loss made that outlive the gradient tape's scope (kept ones,
   * e.g. conditions a helper returns as the caller's): disposed after the
   * backward pass, which still reads them.
   */
  release?: tf.Tensor[];
}

/** Options of {@link trainLoop}. */
export interface TrainLoopOptions<B> {
  /** Every parameter of the model (saved in checkpoints). */
  params: Record<string, tf.Variable>;
  /** The names that train; the others get no gradient and no optimizer state. */
  trainable: readonly string[];
  /** The loss of one micro-batch. Called inside the gradient tape. */
  loss: (batch: B, ctx: { prng: Prng; step: number }) => LossResult;
  data: DataSource<B>;
  steps: number;
  microBatch: number;
  accumulation: number;
  lr: number;
  schedule: LrSchedule;
  weightDecay: number;
  /** Global-norm clip (0 = off). */
  clipNorm: number;
  /** EMA decay of the trainable weights (0 = off). */
  emaDecay: number;
  prng: Prng;
  /** Run folder: metrics.jsonl and checkpoints/<name>.safetensors go here. */
  dir: string;
  /** Checkpoint file stem inside `dir/checkpoints/` (one per training phase). */
  name: string;
  checkpointEvery: number;
  /** Extra snapshot steps kept as `<name>-step<N>.safetensors`. */
  keepSteps?: readonly number[];
  /** Validation every K steps (0 = off); returns named numbers merged into the log. */
  validate?: { every: number; fn: (step: number) => Promise<Record<string, number>> };
  /** Number of equal-width s buckets for loss-by-timestep logging. */
  buckets?: number;
  /** Asked after each step; true stops after checkpointing. */
  shouldStop?: () => boolean;
  /** Called after each step (progress bars). */
  onStep?: (info: { step: number; steps: number; loss: number; samplesPerSec: number }) => void;
  /** Extra fields for every log record (e.g. the phase name). */
  logFields?: Record<string, unknown>;
  /** Parameter names without weight decay. */
  noDecay?: (name: string) => boolean;
  /** Where resume notes go (log lines dropped past the checkpoint, a torn last line); default console.error. */
  note?: (line: string) => void;
}

/** What {@link trainLoop} returns. */
export interface TrainResult {
  step: number;
  interrupted: boolean;
  resumedFrom: number;
  lastLoss: number;
  wallMs: number;
  /** The EMA weights (when enabled), owned by the caller. */
  ema?: Record<string, tf.Tensor>;
}

/** Thrown when a loss or gradient is NaN/Inf; the last good checkpoint stays in place. */
export class NonFiniteError extends Error {
  constructor(readonly step: number, readonly tensor: string) {
    super(`Training stopped at step ${step}: non-finite value in ${tensor}; the last good checkpoint is kept`);
    this.name = "NonFiniteError";
  }
}

/**
 * @param options see {@link TrainLoopOptions}
 * @returns the final step, whether it was interrupted, and timing
 * @example
 * ```ts ignore
 * const res = await trainLoop({ params, trainable: Object.keys(params), loss, data, steps: 10, ... });
 * ```
 */
export async function trainLoop<B>(options: TrainLoopOptions<B>): Promise<TrainResult> {
  const o = options;
  validateOptions(o);
  const ckptDir = `${o.dir}/checkpoints`;
  await Deno.mkdir(ckptDir, { recursive: true });
  const ckptPath = `${ckptDir}/${o.name}.safetensors`;
  const trainableVars: Record<string, tf.Variable> = {};
  for (const n of o.trainable) trainableVars[n] = o.params[n];
  const opt = new AdamW(trainableVars, { lr: o.lr, weightDecay: o.weightDecay, noDecay: o.noDecay });
  let ema: Record<string, tf.Variable> | undefined;
  if (o.emaDecay > 0) {
    ema = {};
    for (const n of o.trainable) ema[n] = tf.tidy(() => tf.variable(tf.clone(o.params[n]), false));
  }
  let prng = o.prng;
  let step = 0, position = 0;
  const log = new MetricsLog(`${o.dir}/metrics.jsonl`);

  const saved = await loadCheckpoint(ckptPath);
  if (saved) {
    for (const [n, t] of Object.entries(saved.params)) {
      if (!o.params[n]) throw new TypeError(`Cannot resume from ${ckptPath}: unknown parameter "${n}"`);
      o.params[n].assign(t);
    }
    if (saved.optimizer) opt.setState(saved.optimizer);
    if (ema && saved.ema) for (const [n, t] of Object.entries(saved.ema)) ema[n].assign(t);
    step = saved.state.step;
    position = saved.state.dataPosition;
    prng = Prng.fromState(saved.state.rng);
    disposeCheckpoint(saved);
  }
  const resumedFrom = step;
  // Log lines past the checkpoint were written by an interrupted run, a torn last line by one killed mid-write: drop them.
  const cut = await log.truncateAfter(o.name, step);
  const note = o.note ?? ((l: string) => console.error(l));
  if (cut.pastCheckpoint) {
    note(`note: ${log.path}: dropped ${cut.pastCheckpoint} record(s) of ${o.name} logged after its checkpoint at step ${step}; they are trained again`);
  }
  for (const line of cut.unparsable) {
    note(`note: ${log.path}: dropped a line that is not a whole record (a process stopped mid-write): ${JSON.stringify(line.slice(0, 80))}`);
  }

  const save = async (path: string) => {
    const st = opt.getState();
    try {
      await saveCheckpoint(path, {
        params: o.params,
        optimizer: st,
        ema,
        state: { step, rng: prng.state(), dataPosition: position },
      });
    } finally {
      for (const t of [...Object.values(st.m), ...Object.values(st.v)]) t.dispose();
    }
  };

  const varList = o.trainable.map((n) => o.params[n]);
  const t0 = performance.now();
  let lastLoss = NaN;
  let interrupted = false;
  while (step < o.steps) {
    const stepStart = performance.now();
    const lr = lrAt(o.schedule, { lr: o.lr, step, totalSteps: o.steps });
    let acc: Record<string, tf.Tensor> | null = null;
    let lossSum = 0;
    const bucketSum = new Float64Array(o.buckets ?? 0), bucketCount = new Float64Array(o.buckets ?? 0);
    for (let k = 0; k < o.accumulation; k++) {
      const batch = await o.data.batch(position, o.microBatch);
      position += o.microBatch;
      let perSample: LossResult["perSample"];
      let release: tf.Tensor[] = [];
      const { value, grads } = tf.variableGrads(() => {
        const r = o.loss(batch, { prng, step });
        if (r.perSample) perSample = { loss: tf.keep(r.perSample.loss), s: tf.keep(r.perSample.s) };
        release = r.release ?? [];
        return r.loss;
      }, varList);
      tf.dispose(release);
      o.data.dispose?.(batch);
      const lv = (await value.data())[0];
      value.dispose();
      if (!Number.isFinite(lv)) {
        disposeAll(grads);
        acc && disposeAll(acc);
        throw new NonFiniteError(step + 1, "loss");
      }
      lossSum += lv;
      if (perSample && o.buckets) {
        const [l, s] = [await perSample.loss.data(), await perSample.s.data()];
        for (let i = 0; i < l.length; i++) {
          const b = Math.min(o.buckets - 1, Math.floor(s[i] * o.buckets));
          bucketSum[b] += l[i];
          bucketCount[b]++;
        }
      }
      if (perSample) tf.dispose([perSample.loss, perSample.s]);
      const named: Record<string, tf.Tensor> = {};
      for (const n of o.trainable) {
        const g = grads[o.params[n].name];
        named[n] = g ?? tf.zerosLike(o.params[n]);
      }
      if (acc === null) acc = named;
      else {
        const prev: Record<string, tf.Tensor> = acc;
        acc = {};
        for (const n of o.trainable) acc[n] = tf.add(prev[n], named[n]);
        disposeAll(prev);
        disposeAll(named);
      }
    }
    const grads = acc!;
    // Global L2 norm of the mean gradient over micro-batches, then clipping.
    const norm = tf.tidy(() => tf.mul(tf.sqrt(sumOfSquares(o.trainable.map((n) => grads[n]))), 1 / o.accumulation));
    const gradNorm = (await norm.data())[0];
    norm.dispose();
    if (!Number.isFinite(gradNorm)) {
      const bad = await firstNonFinite(grads);
      disposeAll(grads);
      throw new NonFiniteError(step + 1, `gradient of ${bad}`);
    }
    const factor = (1 / o.accumulation) * (o.clipNorm > 0 && gradNorm > o.clipNorm ? o.clipNorm / (gradNorm + 1e-6) : 1);
    opt.step(grads, lr, { gradScale: factor }); // the update reads g·factor (as tf.mul(g, factor) rounds it)
    disposeAll(grads);
    if (ema) {
      for (const n of o.trainable) {
        const e = ema[n];
        tf.tidy(() => e.assign(tf.add(tf.mul(e, o.emaDecay), tf.mul(o.params[n], 1 - o.emaDecay))));
      }
    }
    step++;
    lastLoss = lossSum / o.accumulation;
    const dt = (performance.now() - stepStart) / 1000;
    const record: Record<string, unknown> = {
      ...o.logFields,
      phase: o.name,
      step,
      loss: lastLoss,
      grad_norm: gradNorm,
      lr,
      samples_per_s: (o.microBatch * o.accumulation) / dt,
      data_position: position,
    };
    for (let b = 0; b < (o.buckets ?? 0); b++) {
      record[`loss_s${b}`] = bucketCount[b] ? bucketSum[b] / bucketCount[b] : null;
    }
    if (o.validate && o.validate.every > 0 && (step % o.validate.every === 0 || step === o.steps)) {
      Object.assign(record, await o.validate.fn(step));
    }
    await log.append(record);
    o.onStep?.({ step, steps: o.steps, loss: lastLoss, samplesPerSec: record.samples_per_s as number });
    const stop = o.shouldStop?.() ?? false;
    if (step % o.checkpointEvery === 0 || step === o.steps || stop) await save(ckptPath);
    if (o.keepSteps?.includes(step)) await save(`${ckptDir}/${o.name}-step${step}.safetensors`);
    if (stop && step < o.steps) {
      interrupted = true;
      break;
    }
  }
  opt.dispose();
  return {
    step,
    interrupted,
    resumedFrom,
    lastLoss,
    wallMs: performance.now() - t0,
    ema,
  };
}

function validateOptions<B>(o: TrainLoopOptions<B>): void {
  const ints: [string, number, number][] = [
    ["steps", o.steps, 1],
    ["microBatch", o.microBatch, 1],
    ["accumulation", o.accumulation, 1],
    ["checkpointEvery", o.checkpointEvery, 1],
  ];
  for (const [k, v, min] of ints) {
    if (!Number.isInteger(v) || v < min) {
      throw new RangeError(`Cannot train as ${k} must be an integer >= ${min}: received ${v}`);
    }
  }
  if (o.microBatch > o.data.size) {
    throw new RangeError(
      `Cannot train as microBatch (${o.microBatch}) is larger than the dataset (${o.data.size} samples)`,
    );
  }
  if (!(o.lr > 0)) throw new RangeError(`Cannot train as lr must be > 0: received ${o.lr}`);
  if (!(o.emaDecay >= 0 && o.emaDecay < 1)) {
    throw new RangeError(`Cannot train as emaDecay must be in [0, 1): received ${o.emaDecay}`);
  }
  if (o.trainable.length === 0) throw new RangeError("Cannot train as no parameter is trainable");
  for (const n of o.trainable) {
    if (!o.params[n]) throw new TypeError(`Cannot train as trainable parameter "${n}" does not exist`);
  }
}

async function firstNonFinite(grads: Record<string, tf.Tensor>): Promise<string> {
  for (const [n, g] of Object.entries(grads)) {
    const d = await g.data();
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return n;
  }
  return "(unknown)";
}

function disposeAll(g: Record<string, tf.Tensor>): void {
  for (const t of Object.values(g)) t.dispose();
}
