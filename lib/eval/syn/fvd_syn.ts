/**
 * `FVD-syn`: the Fréchet distance of the `-syn` video encoder's embeddings
 * of two video sets (I3D's role in FVD).
 *
 * References: Unterthiner et al. (2018); StyleGAN-V's FVD (biased
 * covariances); lib/eval fvd.
 */
import type { FeatureNetwork } from "../feature_network.ts";
import { fvd } from "../fvd.ts";
import { toVideo, type Video, type VideoLike } from "../video.ts";
import { requireSyn } from "./_embed_frames.ts";

/** Options of {@link fvdSyn}. */
export interface FvdSynOptions {
  /** The `-syn` video encoder. */
  network: FeatureNetwork;
}

/**
 * Videos of F = (T − 1)·k + 1 frames (T the network's clipLength, 9) are
 * subsampled to every k-th frame first: synthetic clips of any 4k + 1 length
 * span the same seconds, so this keeps the frame rate the network was
 * trained at (17 → 9 frames). Other lengths are refused.
 *
 * @param pred videos [N, F, H, W, C] in [0, 1], N >= 2
 * @param ref videos [M, G, H', W', C'], M >= 2
 * @param options the `-syn` video network
 * @returns the Fréchet distance of the clip embeddings (biased covariances)
 * @example
 * ```ts ignore
 * import { fvdSyn, loadSynNetworks } from "../mod.ts";
 * const nets = await loadSynNetworks();
 * console.log(await fvdSyn(pred, ref, { network: nets.video }));
 * ```
 */
export async function fvdSyn(pred: VideoLike, ref: VideoLike, options: FvdSynOptions): Promise<number> {
  const { network } = options;
  requireSyn(network, "FVD-syn");
  if (network.kind !== "video") {
    throw new TypeError(
      `Cannot compute FVD-syn: it needs a video network, received ${network.name} of kind ${network.kind}`,
    );
  }
  const t = network.clipLength ?? 16;
  return await fvd(atClipRate(toVideo(pred, "pred"), t), atClipRate(toVideo(ref, "ref"), t), {
    network,
    clips: "first",
  });
}

/** Every k-th frame of videos with (t − 1)·k + 1 frames. */
function atClipRate(v: Video, t: number): Video {
  const [n, f, h, w, c] = v.shape;
  if (f === t) return v;
  const k = (f - 1) / (t - 1);
  if (!Number.isInteger(k) || k < 1) {
    throw new RangeError(
      `Cannot compute FVD-syn on ${f}-frame videos: the -syn video network takes ${t} frames, so videos need (${t} − 1)·k + 1 frames (${t}, ${
        2 * t - 1
      }, ${4 * t - 3}, …); received shape [${v.shape}]`,
    );
  }
  const size = h * w * c;
  const data = new (v.data.constructor as Float32ArrayConstructor | Uint8ArrayConstructor)(n * t * size);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < t; j++) {
      data.set(v.data.subarray((i * f + j * k) * size, (i * f + j * k + 1) * size), (i * t + j) * size);
    }
  }
  return { data, shape: [n, t, h, w, c] } as Video;
}
