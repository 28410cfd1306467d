/**
 * Parameter names and shapes of the `-syn` networks, PyTorch layout
 * (Conv2d [out, in, kh, kw], Conv3d [out, in, kt, kh, kw], Linear [out, in])
 * (private to lib/eval/syn).
 */
import type { SynNetConfig } from "./syn_net_config.ts";

/** One parameter: PyTorch state-dict name, shape, fan-in and init kind. */
export interface ParamShape {
  name: string;
  shape: number[];
  fanIn: number;
  /** "relu": He normal (a ReLU follows); "linear": LeCun normal; "zero": zeros (biases). */
  init: "relu" | "linear" | "zero";
}

/** Every parameter of a network, in a fixed order. */
export function paramShapes(config: SynNetConfig): ParamShape[] {
  checkConfig(config);
  const out: ParamShape[] = [];
  const conv = (name: string, cout: number, cin: number, kernel: number[]) => {
    const fanIn = cin * kernel.reduce((a, b) => a * b, 1);
    out.push({ name: `${name}.weight`, shape: [cout, cin, ...kernel], fanIn, init: "relu" });
    out.push({ name: `${name}.bias`, shape: [cout], fanIn, init: "zero" });
  };
  const linear = (name: string, cout: number, cin: number) => {
    out.push({ name: `${name}.weight`, shape: [cout, cin], fanIn: cin, init: "linear" });
    out.push({ name: `${name}.bias`, shape: [cout], fanIn: cin, init: "zero" });
  };
  const ch = config.channels;
  if (config.kind === "image") {
    conv("stem", ch[0], 3, [3, 3]);
    for (let s = 1; s < ch.length; s++) {
      conv(`stages.${s - 1}.down`, ch[s], ch[s - 1], [3, 3]);
      conv(`stages.${s - 1}.conv`, ch[s], ch[s], [3, 3]);
    }
  } else {
    conv("stem.spatial", ch[0], 6, [1, 3, 3]); // RGB + frame difference
    conv("stem.temporal", ch[0], ch[0], [3, 1, 1]);
    for (let s = 1; s < ch.length; s++) {
      conv(`stages.${s - 1}.spatial`, ch[s], ch[s - 1], [1, 3, 3]);
      conv(`stages.${s - 1}.temporal`, ch[s], ch[s], [3, 1, 1]);
    }
  }
  linear("fc", config.features, ch[ch.length - 1]);
  for (const [head, classes] of Object.entries(config.heads)) linear(`heads.${head}`, classes, config.features);
  return out;
}

function checkConfig(config: SynNetConfig): void {
  if (config?.kind !== "image" && config?.kind !== "video") {
    throw new TypeError(
      `Cannot build a -syn network: kind must be "image" or "video", received ${
        JSON.stringify((config as { kind?: unknown })?.kind)
      }`,
    );
  }
  const positive = (v: unknown) => Number.isInteger(v) && (v as number) > 0;
  if (!Array.isArray(config.channels) || config.channels.length < 2 || !config.channels.every(positive)) {
    throw new RangeError(
      `Cannot build ${config.name}: channels must be >= 2 positive integers, received ${
        JSON.stringify(config.channels)
      }`,
    );
  }
  if (!positive(config.features)) {
    throw new RangeError(
      `Cannot build ${config.name}: features must be a positive integer, received ${config.features}`,
    );
  }
  if (!Array.isArray(config.inputSize) || config.inputSize.length !== 2 || !config.inputSize.every(positive)) {
    throw new RangeError(
      `Cannot build ${config.name}: inputSize must be [height, width], received ${JSON.stringify(config.inputSize)}`,
    );
  }
  for (const [head, classes] of Object.entries(config.heads ?? {})) {
    if (!positive(classes)) {
      throw new RangeError(
        `Cannot build ${config.name}: head "${head}" needs a positive class count, received ${classes}`,
      );
    }
  }
  if (config.kind === "video") {
    const g = config.normGroups;
    if (!Number.isInteger(g) || g < 0 || (g > 0 && config.channels.some((c) => c % g !== 0))) {
      throw new RangeError(
        `Cannot build ${config.name}: normGroups must be 0 or an integer dividing every channel count ${
          JSON.stringify(config.channels)
        }, received ${g}`,
      );
    }
    if (!positive(config.clipLength)) {
      throw new RangeError(
        `Cannot build ${config.name}: clipLength must be a positive integer, received ${config.clipLength}`,
      );
    }
    const ts = config.temporalStrides;
    if (!Array.isArray(ts) || ts.length !== config.channels.length - 1 || !ts.every(positive)) {
      throw new RangeError(
        `Cannot build ${config.name}: temporalStrides needs ${
          config.channels.length - 1
        } positive integers (one per stage), received ${JSON.stringify(ts)}`,
      );
    }
  }
}
