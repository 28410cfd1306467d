/**
 * The cross-attention keys and values of the text side, kept between forward
 * passes that see the same context and the same weights: a sampler calls the
 * DiT once per solver step (twice with guidance) on one caption batch, and
 * every call recomputed the text embedding and each block's K/V projections
 * (with RMSNorm on K) from the same context, which for `wan-toy` on 8 clips
 * of 9×32×32 is 18% of a forward pass's matrix-multiply FLOPs.
 *
 * Used only outside gradient computation (no tape recording, TF.js's
 * gradient depth 0): under a tape the forward pass computes the text side as
 * always, so gradients are unchanged whether or not a cache is passed. An
 * entry is reused when the context is the same tensor and every weight it
 * was computed from still holds the same data (a Variable's `assign` gives
 * it new data, so an optimizer step or loading weights invalidates it); any
 * other call replaces the entry. The cache owns its tensors: `dispose()`
 * frees them.
 *
 * This is a saving PyTorch's reference step (tools/bench) does not make: it
 * recomputes the K/V projections on every call, as Wan's code does.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py`
 * (`WanT2VCrossAttention.forward`: k = norm_k(k(context)), v = v(context));
 * the K/V caching of encoder-decoder inference (Vaswani et al. 2017 §3.2.3:
 * the keys and values of encoder-decoder attention come from the encoder).
 *
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { TextKVCache } from "./text_kv_cache.ts";
 * import { wanForward } from "./wan_forward.ts";
 * import { initWanParams } from "./init_wan_params.ts";
 * import { MODEL_PRESETS } from "./model_presets.ts";
 * import { Prng } from "../random/mod.ts";
 * const cfg = MODEL_PRESETS["wan-smoke"];
 * const model = { cfg, params: initWanParams(cfg, { prng: new Prng(0) }) };
 * const cache = new TextKVCache();
 * const context = tf.zeros([1, 3, 16]);
 * for (const t of [900, 500]) wanForward(model, { x: tf.zeros([1, 4, 2, 4, 4]), t: [t], context }, { textCache: cache });
 * console.log(cache.hits); // 1
 * cache.dispose();
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { KeyValue } from "./wan_self_attention.ts";

/** What a lookup is keyed on: the context tensor and the data of each weight used. */
interface Entry {
  contextId: number;
  dataIds: unknown[];
  kv: KeyValue[];
}

/** Per-block text K/V for repeated forward passes (see the module docs). */
export class TextKVCache {
  readonly capacity: number;
  /** Most recently used first. */
  #entries: Entry[] = [];
  /** Lookups answered from the cache. */
  hits = 0;
  /** Lookups that computed (and stored) the K/V. */
  misses = 0;

  /**
   * @param options how many contexts to keep (default 2: a guided sampler's conditional and empty prompts)
   */
  constructor(options: { capacity?: number } = {}) {
    const capacity = options.capacity ?? 2;
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`Cannot create a TextKVCache as capacity must be an integer >= 1: received ${capacity}`);
    }
    this.capacity = capacity;
  }

  /**
   * @param context the context tensor the K/V come from
   * @param weights every tensor the K/V depend on (text embedding, K/V projections, norms)
   * @param compute computes the per-block K/V (called on a miss)
   * @returns the per-block K/V (owned by the cache: do not dispose), or null under a gradient tape
   */
  lookup(context: tf.Tensor, weights: readonly tf.Tensor[], compute: () => KeyValue[]): KeyValue[] | null {
    if (gradientDepth() > 0) return null;
    const dataIds = weights.map((w) => w.dataId);
    const i = this.#entries.findIndex((e) =>
      e.contextId === context.id && e.dataIds.length === dataIds.length && e.dataIds.every((d, j) => d === dataIds[j])
    );
    if (i >= 0) {
      const [e] = this.#entries.splice(i, 1);
      this.#entries.unshift(e);
      this.hits++;
      return e.kv;
    }
    this.misses++;
    const flat = tf.tidy(() => compute().flatMap(({ k, v }) => [k, v]));
    const kv: KeyValue[] = [];
    for (let j = 0; j < flat.length; j += 2) kv.push({ k: tf.keep(flat[j]), v: tf.keep(flat[j + 1]) }); // past the caller's tidy
    // Entries computed from other weight data are stale (the weights were assigned since): drop them.
    const same = (e: Entry) => e.dataIds.length === dataIds.length && e.dataIds.every((d, j) => d === dataIds[j]);
    const stale = this.#entries.filter((e) => !same(e));
    this.#entries = this.#entries.filter(same);
    this.#entries.unshift({ contextId: context.id, dataIds, kv });
    for (const e of [...stale, ...this.#entries.splice(this.capacity)]) disposeEntry(e);
    return kv;
  }

  /** Frees the cached tensors (the cache stays usable). */
  dispose(): void {
    for (const e of this.#entries.splice(0)) disposeEntry(e);
  }
}

function disposeEntry(e: Entry): void {
  tf.dispose(e.kv.flatMap(({ k, v }) => [k, v]));
}

/** TF.js's gradient depth: > 0 while a gradient function records its forward pass. */
function gradientDepth(): number {
  return (tf.engine() as unknown as { state: { gradientDepth: number } }).state.gradientDepth;
}
