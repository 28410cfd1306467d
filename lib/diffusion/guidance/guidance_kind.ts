/**
 * The contract every guidance kind's file fulfils, so that `sample()` runs any
 * of them the same way: a config (plain data, recorded verbatim) is checked
 * before anything is computed, then turned into the velocity a guided step
 * takes from the conditional one.
 *
 * References: Ho & Salimans 2022 (classifier-free guidance); Karras et al.
 * 2024 (autoguidance): both combine the model's velocity with a second branch.
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { Cond, ModelFn } from "../types.ts";

/** Evaluates a model at the current step's (x, t) on a Cond; throws unless it returns the sample's shape. */
export type Evaluate = (model: ModelFn, cond: Cond) => tf.Tensor;

/**
 * The velocity a guided step takes, given the conditional velocity `vCond` and the step's evaluator; called inside
 * the step's `tf.tidy`.
 */
export type GuidedVelocity = (vCond: tf.Tensor, evaluate: Evaluate) => tf.Tensor;

/** What a guidance kind is given besides its config. */
export interface GuidanceContext<I> {
  /** The guided model. */
  model: ModelFn;
  /** Its conditioning (the conditional branch). */
  cond: Cond;
  /** What the config names but cannot hold (tensors, other models), or undefined when the caller gave none. */
  inputs: I | undefined;
}

/**
 * One guidance kind: `C` its config (a member of `GuidanceConfig`), `I` its run-time inputs.
 *
 * @example
 * ```ts
 * import type { GuidanceKind } from "./guidance_kind.ts";
 * const plain: GuidanceKind<{ kind: "none" }, undefined> = { fields: [], check() {}, prepare: () => null };
 * console.log(plain.prepare({ kind: "none" }, { model: (x) => x, cond: {}, inputs: undefined })); // null
 * ```
 */
export interface GuidanceKind<C extends { kind: string }, I> {
  /** The config's fields besides `kind` (a config with any other is refused). */
  fields: readonly (keyof C & string)[];
  /**
   * @param config the config to check
   * @throws {RangeError} naming the field, the value received and what was expected
   */
  check(config: C): void;
  /**
   * @param config a checked config
   * @param context the model, its conditioning and the kind's inputs
   * @returns the guided velocity, or null when the step takes the conditional velocity as it is (e.g. scale 1)
   * @throws {RangeError} when an input the config needs is missing
   */
  prepare(config: C, context: GuidanceContext<I>): GuidedVelocity | null;
}
