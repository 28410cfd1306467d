/**
 * Captions for synthetic clips from a small template grammar over a fixed
 * vocabulary: who (style, build, hair, clothes), what (action, held object),
 * where (scene), lighting, camera motion and the ball. Deterministic: the
 * wording choices come from `spec.captionVariant`.
 *
 * @module
 */

import type { ClipSpec, PersonSpec, Style } from "./clip_spec.ts";
import type { MotionKind } from "./motion.ts";
import { COLOR_NAMES, HAIR_COLORS, WALL_COLORS } from "./palette.ts";

/** The word each style is introduced with (every caption contains it). */
export const STYLE_WORDS: Readonly<Record<Style, string>> = {
  realistic: "realistic",
  cartoon: "cartoon",
  silhouette: "silhouetted",
};

const ACTIONS: Record<MotionKind, (side: string) => string> = {
  sway: () => "sways from side to side",
  wave: (s) => `waves the ${s} hand`,
  squat: () => "does squats",
  step: () => "steps from side to side",
  march: () => "marches in place",
  spin: () => "spins around",
  dance: () => "dances",
  tree: () => "holds a tree yoga pose",
  warrior: () => "holds a warrior yoga pose",
  handstand: () => "does a handstand",
  kick: (s) => `kicks high with the ${s} leg`,
  splits: () => "does the splits",
  backbend: () => "bends far backwards",
  "standing-split": () => "does a standing split",
};

const NOUNS = ["person", "character", "dancer", "figure"];
const COUNT_WORDS = ["", "one", "two", "three"];
const POSITIONS = [["", ""], ["on the left", "on the right"], ["on the left", "in the middle", "on the right"]];

/**
 * Every word a caption may contain (lower case, punctuation stripped).
 */
export const CAPTION_VOCABULARY: ReadonlySet<string> = new Set([
  ...Object.values(STYLE_WORDS),
  ...COLOR_NAMES,
  ...Object.keys(HAIR_COLORS),
  ...Object.keys(WALL_COLORS),
  ...NOUNS,
  ...COUNT_WORDS.filter(Boolean),
  "characters",
  ...Object.values(ACTIONS).flatMap((f) => f("left").split(" ")),
  "right",
  ..."a an the and with in on of to from is who while holding hand".split(" "),
  ..."chibi tall short slender stocky bald long hair bun wearing".split(" "),
  ..."striped checked t-shirt long-sleeved shirt trousers shorts".split(" "),
  ..."dumbbell broom paddle".split(" "),
  ..."studio backdrop room wall floor checkered wooden plain outdoors grass sand stone paving under sky sunset".split(
    " ",
  ),
  ..."left middle right soft warm cool light comes front casts shadow back towards camera moves sweeping across".split(
    " ",
  ),
  ..."is still pans zooms out ball bounces next behind them empty scene".split(" "),
]);

/**
 * Writes the caption of a clip.
 *
 * @param spec the clip spec
 * @returns one paragraph of 3–6 sentences (a clip without persons is "An empty scene ...")
 * @example
 * ```ts
 * import { captionClip } from "./caption_clip.ts";
 * import { sampleClipSpec } from "./sample_clip_spec.ts";
 * console.log(captionClip(sampleClipSpec(3)));
 * ```
 */
export function captionClip(spec: ClipSpec): string {
  const v = spec.captionVariant;
  const styleWord = STYLE_WORDS[spec.style];
  const scene = sceneClause(spec);
  const n = spec.persons.length;
  const sentences: string[] = [];
  const order = spec.persons.map((p, i) => [p.place[0], i] as const).sort((a, b) => a[0] - b[0]).map(([, i]) => i);
  if (n === 0) {
    sentences.push(`An empty scene ${scene}`);
  } else if (n === 1) {
    const p = spec.persons[0];
    const noun = NOUNS[v[0] % NOUNS.length];
    sentences.push(`${cap(article(styleWord))} ${styleWord} ${who(p, spec.style, noun)} ${doing(p)} ${scene}`);
  } else {
    sentences.push(`${cap(COUNT_WORDS[n])} ${styleWord} characters ${scene}`);
    order.forEach((pi, rank) => {
      const p = spec.persons[pi];
      const noun = NOUNS[(v[0] + pi) % NOUNS.length];
      const d = who(p, spec.style, noun);
      sentences.push(`${cap(POSITIONS[n - 1][rank])}, ${article(d)} ${d} ${doing(p)}`);
    });
  }
  sentences.push(lightSentence(spec));
  sentences.push(cameraSentence(spec));
  if (spec.ball) {
    const z = spec.ball.p0[2];
    const rel = z > 0.4 ? "in front of" : z < -0.4 ? "behind" : "next to";
    const target = n === 1 ? `the ${NOUNS[v[0] % NOUNS.length]}` : "them";
    sentences.push(`${cap(article(spec.ball.color))} ${spec.ball.color} ball bounces ${rel} ${target}`);
  }
  return sentences.map((s) => s.replace(/\s+/g, " ").trim() + ".").join(" ");
}

/** Build, noun, hair and clothes of a person ("tall person with short black hair, wearing ..."). */
function who(p: PersonSpec, style: Style, noun: string): string {
  const c = p.character;
  const s = c.shape;
  const build = s.chibi >= 0.5
    ? "chibi"
    : s.height > 1.8
    ? "tall"
    : s.height < 1.6
    ? "short"
    : s.build < 0.3
    ? "slender"
    : s.build > 0.7
    ? "stocky"
    : "";
  if (style === "silhouette") return `${build} ${noun}`;
  const hair = c.hair.style === "bald"
    ? "who is bald"
    : c.hair.style === "bun"
    ? `with ${c.hair.color} hair in a bun`
    : `with ${c.hair.style} ${c.hair.color} hair`;
  const pattern = c.top.pattern === "stripes" ? "striped " : c.top.pattern === "checks" ? "checked " : "";
  const top = c.top.sleeves === "long" ? "long-sleeved shirt" : "t-shirt";
  return `${build} ${noun} ${hair}, wearing ${
    article(c.top.color)
  } ${c.top.color} ${pattern}${top} and ${c.bottom.color} ${c.bottom.kind},`;
}

/** Action and held object ("waves the left hand while holding a red broom in the right hand"). */
function doing(p: PersonSpec): string {
  const act = ACTIONS[p.motion.kind](p.motion.side);
  if (!p.object) return act;
  const o = p.object;
  return `${act} while holding ${article(o.color)} ${o.color} ${o.kind} in the ${o.hand} hand`;
}

function sceneClause(spec: ClipSpec): string {
  const bg = spec.background;
  if (bg.kind === "studio") return `in a studio with ${article(bg.wallColor)} ${bg.wallColor} backdrop`;
  if (bg.kind === "room") {
    return `in a room with ${article(bg.wallColor)} ${bg.wallColor} wall and a ${bg.floor.kind} floor`;
  }
  const ground = bg.floor.kind === "stone" ? "stone paving" : bg.floor.kind;
  return `outdoors on ${ground} under a ${bg.sky} sky`;
}

function lightSentence(spec: ClipSpec): string {
  const l = spec.light;
  const tint = l.tint === "white" ? "soft" : l.tint;
  const fromRight = Math.sin(l.azimuth) > 0;
  switch (l.kind) {
    case "front":
      return `The ${tint} light comes from the front`;
    case "side":
      return `A ${tint} light from the ${fromRight ? "right" : "left"} casts a shadow on the floor`;
    case "back":
      return `A ${tint} back light casts a shadow towards the camera`;
    case "moving": {
      const [a, b] = l.azimuthRate > 0 ? ["left", "right"] : ["right", "left"];
      return `A ${tint} light moves from the ${a} to the ${b}, sweeping the shadow across the floor`;
    }
  }
}

function cameraSentence(spec: ClipSpec): string {
  const c = spec.camera;
  const pan = `pans to the ${c.panSpeed > 0 ? "right" : "left"}`;
  const zoom = `zooms ${c.zoomRate > 0 ? "in" : "out"}`;
  switch (c.kind) {
    case "static":
      return "The camera is still";
    case "pan":
      return `The camera ${pan}`;
    case "zoom":
      return `The camera ${zoom}`;
    case "pan-zoom":
      return `The camera ${pan} and ${zoom}`;
  }
}

function article(word: string): string {
  return /^[aeiou]/i.test(word.trim()) ? "an" : "a";
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
