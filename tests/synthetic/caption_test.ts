import assert from "node:assert/strict";
import { CAPTION_VOCABULARY, captionClip, STYLE_WORDS } from "../../lib/synthetic/caption_clip.ts";
import { CATEGORIES, clipCategories } from "../../lib/synthetic/clip_spec.ts";
import { sampleClipSpec } from "../../lib/synthetic/sample_clip_spec.ts";

const words = (s: string) => s.toLowerCase().replace(/[.,]/g, " ").split(/\s+/).filter(Boolean);

Deno.test("captionClip() mentions the style and uses only the fixed vocabulary", () => {
  const unknown = new Set<string>();
  for (let seed = 0; seed < 300; seed++) {
    const spec = sampleClipSpec(seed, {
      rates: {
        interaction: 0.4,
        lighting: 0.4,
        "rare-pose": 0.4,
        stylized: 0.5,
        "multi-character": 0.4,
        "camera-motion": 0.4,
      },
    });
    const cap = captionClip(spec);
    assert.ok(
      words(cap).includes(STYLE_WORDS[spec.style]),
      `caption of seed ${seed} lacks "${STYLE_WORDS[spec.style]}": ${cap}`,
    );
    for (const w of words(cap)) if (!CAPTION_VOCABULARY.has(w)) unknown.add(w);
    assert.equal(cap, captionClip(spec), "deterministic");
  }
  assert.deepEqual([...unknown], []);
});

Deno.test("captionClip() states the action, held object, ball, light side and camera motion", () => {
  for (let seed = 0; seed < 120; seed++) {
    const spec = sampleClipSpec(seed, { require: ["interaction", "camera-motion"] });
    const cap = captionClip(spec);
    for (const p of spec.persons) {
      if (p.object) assert.ok(cap.includes(`${p.object.color} ${p.object.kind} in the ${p.object.hand} hand`), cap);
    }
    if (spec.ball) assert.ok(cap.includes(`${spec.ball.color} ball bounces`), cap);
    if (spec.camera.kind === "pan" || spec.camera.kind === "pan-zoom") {
      assert.ok(cap.includes(`pans to the ${spec.camera.panSpeed > 0 ? "right" : "left"}`), cap);
    }
    if (spec.camera.kind === "zoom" || spec.camera.kind === "pan-zoom") {
      assert.ok(cap.includes(`zooms ${spec.camera.zoomRate > 0 ? "in" : "out"}`), cap);
    }
    if (spec.persons.length > 1) assert.match(cap, /^(Two|Three) /);
  }
  const spec = sampleClipSpec(0, {
    rates: { interaction: 0, lighting: 0, "rare-pose": 0, stylized: 0, "multi-character": 0, "camera-motion": 0 },
  });
  assert.match(captionClip(spec), /^A realistic .* The camera is still\.$/);
});

Deno.test("sampleClipSpec() honours required categories and clipCategories() reports them", () => {
  for (const c of CATEGORIES) {
    for (let seed = 0; seed < 20; seed++) {
      assert.ok(clipCategories(sampleClipSpec(seed, { require: [c] })).includes(c), `${c} seed ${seed}`);
    }
  }
  const none = { interaction: 0, lighting: 0, "rare-pose": 0, stylized: 0, "multi-character": 0, "camera-motion": 0 };
  for (let seed = 0; seed < 20; seed++) assert.deepEqual(clipCategories(sampleClipSpec(seed, { rates: none })), []);
  assert.throws(() => sampleClipSpec(-1), /seed must be a non-negative integer: received -1/);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => sampleClipSpec(1, { require: ["dancing" as any] }), /Cannot require category "dancing"/);
});
