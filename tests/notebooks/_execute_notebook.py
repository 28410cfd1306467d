"""Executes a notebook with the Deno kernel and keeps every output of every cell.

    /usr/bin/python3 tests/notebooks/_execute_notebook.py IN.ipynb OUT.ipynb [--timeout S]

Why not plain `jupyter nbconvert --execute`: Deno's kernel can report a cell
idle before all of the cell's outputs are on IOPub. Console output goes through
a separate stdio task that the kernel gives 5 ms to flush, and the execute
result and unawaited `Deno.jupyter.display` calls are broadcast from JavaScript
without being awaited (denoland/deno cli/tools/jupyter/server.rs). nbclient
stops reading a cell's outputs at its idle status and drops what comes later.
On a loaded machine that lost the last output of a cell: 1 notebook run in 4
here when four ran at once, and twice in one CI run.

So after each code cell this client runs a silent barrier request (a short
wait in the kernel) and files every output that arrives for the cell or for the
barrier under the cell; console output that arrives late is stamped with the
barrier's id, since the kernel stamps it with the latest request. Barriers
repeat until one collects nothing.

Run by tests/notebooks/execute_notebook.ts with the cwd set to notebooks/ and
the kernel's environment in this process's environment.
"""

import argparse
import asyncio
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.util import ensure_async

# The IOPub message types that are outputs of a cell.
OUTPUT_TYPES = {"stream", "display_data", "execute_result", "update_display_data", "error", "clear_output"}
# Runs in the kernel after each cell; its value is undefined, so it has no output of its own.
BARRIER = "await new Promise((resolve) => setTimeout(resolve, 100));"
MAX_BARRIERS = 5


class SettlingClient(NotebookClient):
    """nbclient's client, plus a barrier after each cell that collects late outputs."""

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        self._cell_msg_id = parent_msg_id
        return await super()._async_poll_output_msg(parent_msg_id, cell, cell_index)

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        self._cell_msg_id = None
        cell = await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        if self._cell_msg_id is not None:
            await self._settle(cell, cell_index)
        return cell

    async def _settle(self, cell, cell_index):
        """Runs barriers until one collects no late output; files late outputs under the cell."""
        owners = {self._cell_msg_id}
        for _ in range(MAX_BARRIERS):
            barrier_id = await ensure_async(self.kc.execute(BARRIER, silent=True, store_history=False))
            owners.add(barrier_id)
            late = 0
            while True:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=self.iopub_timeout))
                parent = msg["parent_header"].get("msg_id")
                if parent == barrier_id and msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    break
                if parent in owners and msg["msg_type"] in OUTPUT_TYPES:
                    if msg["msg_type"] == "error" and parent == barrier_id:
                        raise RuntimeError(f"the barrier after cell {cell_index} failed: {msg['content'].get('evalue')}")
                    self.process_message(msg, cell, cell_index)
                    late += 1
            while True:
                reply = await ensure_async(self.kc.shell_channel.get_msg(timeout=self.iopub_timeout))
                if reply["parent_header"].get("msg_id") == barrier_id:
                    break
            if late:
                self.log.info("cell %d: %d output(s) arrived after its idle status", cell_index, late)
            else:
                return


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--timeout", type=int, default=1200, help="seconds per cell")
    ap.add_argument("--kernel", default="deno")
    args = ap.parse_args()
    nb = nbformat.read(args.src, as_version=4)
    client = SettlingClient(
        nb,
        kernel_name=args.kernel,
        timeout=args.timeout,
        iopub_timeout=120,
        resources={"metadata": {"path": "."}},
    )
    try:
        asyncio.run(client.async_execute())
    except Exception as e:  # noqa: BLE001 — report any failure with the notebook's name
        print(f"{args.src}: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    nbformat.write(nb, args.dst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
