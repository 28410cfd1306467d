"""PyTorch reference for the engine benchmark: the attention and MLP blocks of
lib/engine/bench/_blocks.ts, forward + backward (gradients for x and every
parameter): milliseconds per step as wall-clock minimum and median, and the
median process CPU time (steadier than wall time on a shared machine).

Usage:
  OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 lib/engine/bench/attention_torch.py \
      [--threads 1] [--batch 8] [--tokens 144] [--dim 128] [--heads 4] [--runs 20] [--json]

Debian's torch calls the system OpenBLAS for matmul, which (0.3.21) does not
recognise recent Xeons; set OPENBLAS_CORETYPE the way lib/engine/_ffi.ts does
so both sides use the same sgemm kernels. OpenBLAS keeps its own thread pool
(all cores) whatever torch.set_num_threads says, so --threads also sets
OPENBLAS_NUM_THREADS / OMP_NUM_THREADS before torch is imported.

References: Wan-Video/Wan2.1 wan/modules/model.py (WanSelfAttention, FFN);
torch.nn.functional.{linear, softmax, layer_norm, gelu(approximate="tanh")}.
"""
import argparse
import json
import math
import os
import statistics
import time


def attention_forward(x, p, heads):
    import torch
    import torch.nn.functional as F

    b, l, c = x.shape
    d = c // heads

    def split(t):
        return t.reshape(b, l, heads, d).transpose(1, 2)  # (B, H, L, d)

    q = split(F.linear(x, p[0], p[1]))
    k = split(F.linear(x, p[2], p[3]))
    v = split(F.linear(x, p[4], p[5]))
    probs = torch.softmax(q @ k.transpose(-1, -2) * (1 / math.sqrt(d)), dim=-1)  # (B, H, L, L)
    o = (probs @ v).transpose(1, 2).reshape(b, l, c)  # (B, L, C)
    return F.linear(o, p[6], p[7])


def mlp_forward(x, p, heads):
    import torch.nn.functional as F

    xn = F.layer_norm(x, (x.shape[-1],), eps=1e-6)
    return F.linear(F.gelu(F.linear(xn, p[0], p[1]), approximate="tanh"), p[2], p[3])


def make(shapes, sizes, seed):
    import torch

    g = torch.Generator().manual_seed(seed)
    x = torch.randn(sizes["batch"], sizes["tokens"], sizes["dim"], generator=g, requires_grad=True)
    up = torch.randn(sizes["batch"], sizes["tokens"], sizes["dim"], generator=g)
    params = []
    for s in shapes:
        scale = 1 / math.sqrt(s[1]) if len(s) == 2 else 0.02
        params.append((torch.randn(*s, generator=g) * scale).requires_grad_(True))
    return x, up, params


def time_step(forward, x, up, params, heads, runs):
    import torch

    def step():
        y = forward(x, params, heads)
        return torch.autograd.grad((y * up).sum(), [x, *params])

    for _ in range(3):
        step()
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        step()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return {"wall_min": min(wall), "wall_median": statistics.median(wall), "cpu_median": statistics.median(cpu)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--tokens", type=int, default=144)
    ap.add_argument("--dim", type=int, default=128)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(a.threads)
    import torch

    torch.set_num_threads(a.threads)
    sizes = {"batch": a.batch, "tokens": a.tokens, "dim": a.dim}
    c, h = a.dim, 4 * a.dim
    results = {}
    attn = make([[c, c], [c]] * 4, sizes, 0)
    results["attention"] = time_step(attention_forward, *attn, a.heads, a.runs)
    mlp = make([[h, c], [h], [c, h], [c]], sizes, 1)
    results["mlp"] = time_step(mlp_forward, *mlp, a.heads, a.runs)
    if a.json:
        print(json.dumps({"torch": torch.__version__, "threads": a.threads, "ms": results}))
    else:
        for name, ms in results.items():
            print(
                f"torch {torch.__version__} threads {a.threads}: {name} fwd+bwd "
                f"wall min {ms['wall_min']:.2f} ms, median {ms['wall_median']:.2f} ms, cpu {ms['cpu_median']:.2f} ms"
            )


if __name__ == "__main__":
    main()
