/** Frame features [N, F, D] of a video batch through an image network (private to lib/eval/syn). */
import { embedVideos } from "../embed_videos.ts";
import type { FeatureNetwork } from "../feature_network.ts";
import type { FrameFeatures } from "../features.ts";
import type { Video } from "../video.ts";

export async function embedFrames(v: Video, network: FeatureNetwork, metric: string): Promise<FrameFeatures> {
  if (network?.kind !== "image") {
    throw new TypeError(
      `Cannot compute ${metric}: it needs an image network, received ${network?.name} of kind ${network?.kind}`,
    );
  }
  const f = await embedVideos(v, network);
  return { data: f.data, shape: [v.shape[0], v.shape[1], f.shape[1]] };
}

/** Throws unless the network is one of the workbench's `-syn` networks (so -syn columns never hold standard numbers). */
export function requireSyn(network: FeatureNetwork, metric: string): void {
  if (!network?.name?.endsWith("-syn")) {
    throw new TypeError(
      `Cannot compute ${metric} with network ${
        JSON.stringify(network?.name)
      }: ${metric} is defined by a "-syn" network (use the standard metric function for a standard network)`,
    );
  }
}
