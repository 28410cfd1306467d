import assert from "node:assert/strict";
import { DiskFullError } from "../../lib/io/disk_full_error.ts";
import { MetricsLog, readJsonl } from "../../lib/train/metrics_log.ts";
import { smallDiskUnavailable, withSmallDisk } from "../io/_small_disk.ts";

if (smallDiskUnavailable) console.log(`metrics_log_test: the full-disk test is skipped: ${smallDiskUnavailable}`);

const rec = (phase: string, step: number) => JSON.stringify({ phase, step, loss: step / 10 });

Deno.test("truncateAfter() drops a torn last line, reports it, and the next append starts a line of its own", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/metrics.jsonl`;
  await Deno.writeTextFile(path, `${rec("dit", 1)}\n${rec("dit", 2)}\n{"phase":"dit","step":3,"lo`);
  const log = new MetricsLog(path);
  const cut = await log.truncateAfter("dit", 2);
  assert.deepEqual(cut, { pastCheckpoint: 0, unparsable: ['{"phase":"dit","step":3,"lo'] });
  await log.append({ phase: "dit", step: 3, loss: 0.3 });
  assert.deepEqual((await readJsonl(path))!.map((r) => r?.step), [1, 2, 3]);
});

Deno.test("truncateAfter() keeps a whole last record that lost only its newline, and the next append is not glued to it", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/metrics.jsonl`;
  await Deno.writeTextFile(path, `${rec("dit", 1)}\n${rec("dit", 2)}`);
  const log = new MetricsLog(path);
  assert.deepEqual(await log.truncateAfter("dit", 2), { pastCheckpoint: 0, unparsable: [] });
  await log.append({ phase: "dit", step: 3, loss: 0.3 });
  assert.deepEqual((await readJsonl(path))!.map((r) => r?.step), [1, 2, 3]);
});

Deno.test("truncateAfter() drops the phase's records past the checkpoint and keeps other phases'", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/metrics.jsonl`;
  await Deno.writeTextFile(path, [rec("vae", 1), rec("vae", 2), rec("dit", 1), rec("dit", 2), rec("dit", 3), "null", ""].join("\n"));
  const cut = await new MetricsLog(path).truncateAfter("dit", 1);
  assert.deepEqual(cut, { pastCheckpoint: 2, unparsable: ["null"] });
  assert.deepEqual((await readJsonl(path))!.map((r) => `${r?.phase}${r?.step}`), ["vae1", "vae2", "dit1"]);
  // Nothing to drop: the file is left as it is.
  const before = (await Deno.stat(path)).mtime;
  assert.deepEqual(await new MetricsLog(path).truncateAfter("dit", 1), { pastCheckpoint: 0, unparsable: [] });
  assert.deepEqual((await Deno.stat(path)).mtime, before);
});

Deno.test("readJsonl() reads a line that is not an object as null", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/m.jsonl`, `${rec("dit", 1)}\n7\n{"torn`);
  assert.deepEqual((await readJsonl(`${dir}/m.jsonl`))!.map((r) => r?.step ?? null), [1, null, null]);
  assert.equal(await readJsonl(`${dir}/missing.jsonl`), null);
});

Deno.test({ name: "append() on a full disk throws a DiskFullError naming the log and 0 B free", ignore: smallDiskUnavailable !== null }, async () => {
  await withSmallDisk(64, async (disk) => {
    const log = new MetricsLog(`${disk.dir}/metrics.jsonl`);
    disk.fill();
    await assert.rejects(log.append({ phase: "dit", step: 1 }), (e: unknown) => {
      assert.ok(e instanceof DiskFullError);
      assert.equal(e.path, log.path);
      assert.match(e.message, new RegExp(`^Cannot write ${log.path}: no space left on the device \\(0 B free\\)`));
      return true;
    });
    disk.free();
    await log.append({ phase: "dit", step: 1 });
    assert.deepEqual((await readJsonl(log.path))!.map((r) => r?.step), [1]);
  });
});
