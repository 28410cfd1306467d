/**
 * The two things a Wan DiT is: its configuration and its parameters, keyed by
 * the exact PyTorch state-dict names in PyTorch layout.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (`WanModel.state_dict()` names).
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { WanConfig } from "./wan_config.ts";

/** Trainable parameters keyed by PyTorch state-dict names (Linear weight [out, in], Conv3d [out, in, kt, kh, kw]). */
export type Params = Record<string, tf.Variable>;

/** A configured DiT with its parameters. */
export interface WanModel {
  cfg: WanConfig;
  params: Params;
}
