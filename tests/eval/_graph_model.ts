// A tiny TF.js graph model written by hand, to exercise the graph-model loading path.

/**
 * A hand-written TF.js graph model: x [-1, -1, -1, 3] → mean over H, W → MatMul W [3, 2] → Relu.
 * W = [[1, -1], [2, 0], [0, 1]].
 */
export async function writeTinyGraphModel(dir: string): Promise<string> {
  const modelJson = {
    format: "graph-model",
    generatedBy: "tests/eval/_graph_model.ts",
    convertedBy: "hand",
    modelTopology: {
      node: [
        {
          name: "pixels",
          op: "Placeholder",
          attr: {
            dtype: { type: "DT_FLOAT" },
            shape: { shape: { dim: [{ size: "-1" }, { size: "-1" }, { size: "-1" }, { size: "3" }] } },
          },
        },
        {
          name: "axes",
          op: "Const",
          attr: {
            value: { tensor: { dtype: "DT_INT32", tensorShape: { dim: [{ size: "2" }] } } },
            dtype: { type: "DT_INT32" },
          },
        },
        {
          name: "w",
          op: "Const",
          attr: {
            value: { tensor: { dtype: "DT_FLOAT", tensorShape: { dim: [{ size: "3" }, { size: "2" }] } } },
            dtype: { type: "DT_FLOAT" },
          },
        },
        {
          name: "pooled",
          op: "Mean",
          input: ["pixels", "axes"],
          attr: { keep_dims: { b: false }, T: { type: "DT_FLOAT" }, Tidx: { type: "DT_INT32" } },
        },
        {
          name: "logits",
          op: "MatMul",
          input: ["pooled", "w"],
          attr: { transpose_a: { b: false }, transpose_b: { b: false }, T: { type: "DT_FLOAT" } },
        },
        { name: "features", op: "Relu", input: ["logits"], attr: { T: { type: "DT_FLOAT" } } },
      ],
      library: {},
      versions: { producer: 1 },
    },
    weightsManifest: [{
      paths: ["group1-shard1of1.bin"],
      weights: [{ name: "axes", shape: [2], dtype: "int32" }, { name: "w", shape: [3, 2], dtype: "float32" }],
    }],
  };
  const bin = new Uint8Array(8 + 24);
  new Int32Array(bin.buffer, 0, 2).set([1, 2]);
  new Float32Array(bin.buffer, 8, 6).set([1, -1, 2, 0, 0, 1]);
  await Deno.writeTextFile(`${dir}/model.json`, JSON.stringify(modelJson));
  await Deno.writeFile(`${dir}/group1-shard1of1.bin`, bin);
  return `${dir}/model.json`;
}
