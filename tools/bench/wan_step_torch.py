"""PyTorch reference of the `deno task bench` step: the Wan DiT (t2v) at the
`wan-bench` size, trained for one flow-matching step (forward, MSE on
eps - x0, backward, AdamW) and sampled for one step (forward, no gradients).

A compact module of its own (nothing imported from the Wan repository) with
the shapes and operations of lib/model: Conv3d patch embedding (1, 2, 2),
sinusoidal time embedding -> Linear/SiLU/Linear -> six modulation vectors,
text projection Linear/GELU(tanh)/Linear, blocks of LayerNorm (no affine)
with modulation, self-attention with RMSNorm on q and k over the full width
and 3-D RoPE (complex multiply), affine LayerNorm + text cross-attention,
FFN Linear/GELU(tanh)/Linear, softmax attention as q.k^T -> softmax -> .v,
then the modulated head and unpatchify.

The forward pass takes wan_forward.ts's two hooks for conditioning designs:
tokens added to the video tokens, and extra tokens appended along the
sequence with their own RoPE positions and dropped before the head
(finetune_step_torch.py builds the concat design on them).

Usage:
  /usr/bin/python3 tools/bench/wan_step_torch.py [--threads 1] [--free-blas] [--batch 4]
      [--frames 4] [--height 16] [--width 16] [--runs 10] [--warmup 3] [--json]

Torch 1.13 on Debian calls the system OpenBLAS, which keeps its own thread
pool whatever torch.set_num_threads says: --threads also sets
OPENBLAS_NUM_THREADS / OMP_NUM_THREADS / MKL_NUM_THREADS before torch is
imported, unless --free-blas leaves that pool to OpenBLAS's own default (all
cores). Pass OPENBLAS_CORETYPE in the environment so both sides use the same
sgemm kernels (tools/bench/wan_bench.ts does).

References: Wan-Video/Wan2.1 wan/modules/model.py (WanModel, WanAttentionBlock,
WanSelfAttention, WanT2VCrossAttention, WanRMSNorm, WanLayerNorm, Head,
rope_params, rope_apply, sinusoidal_embedding_1d, unpatchify);
wan/configs/shared_config.py; Loshchilov & Hutter 2019 (AdamW).
"""
import argparse
import json
import math
import os
import statistics
import time

# The wan-bench preset of lib/model/model_presets.ts.
WAN_BENCH = dict(
    patch_size=(1, 2, 2), text_len=16, in_dim=16, dim=256, ffn_dim=1024, freq_dim=64,
    text_dim=64, out_dim=16, num_heads=4, num_layers=4, eps=1e-6,
)


def build(torch, cfg):
    for key in ("qk_norm", "cross_attn_norm"):
        if not cfg.get(key, True):
            raise ValueError(f"Cannot build the reference with {key} = false: only Wan's t2v default (true) is written")
    if cfg.get("model_type", "t2v") != "t2v":
        raise ValueError(f"Cannot build the reference for model_type {cfg['model_type']}: only t2v is written")
    nn = torch.nn
    F = torch.nn.functional

    def sinusoid(dim, t):
        # [B] -> [B, dim]: cos then sin of t * 10000^(-i/half), in float64 like the original.
        half = dim // 2
        freqs = torch.pow(10000, -torch.arange(half, dtype=torch.float64).div(half))
        s = torch.outer(t.to(torch.float64), freqs)
        return torch.cat([torch.cos(s), torch.sin(s)], dim=1).float()

    def rope_freqs(head_dim, positions):
        # Complex rotations [L, 1, d/2] of tokens at positions [L, 3] (f, h, w): the channel pairs
        # split frame / height / width, pair j of an axis with n pairs turning by pos * 10000^(-j/n).
        c = head_dim // 2
        hw = c // 3
        parts = []
        for axis, n in enumerate((c - 2 * hw, hw, hw)):
            inv = 1.0 / torch.pow(10000, torch.arange(0, 2 * n, 2, dtype=torch.float64).div(2 * n))
            angles = torch.outer(positions[:, axis].to(torch.float64), inv)  # (L, n)
            parts.append(torch.polar(torch.ones_like(angles), angles))
        return torch.cat(parts, dim=-1).reshape(positions.shape[0], 1, c).to(torch.complex64)

    def rope(x, freqs):
        # x [B, L, N, d] -> pairs (2i, 2i+1) as complex numbers times the rotations.
        b, l, n, d = x.shape
        xc = torch.view_as_complex(x.reshape(b, l, n, d // 2, 2))
        return torch.view_as_real(xc * freqs).reshape(b, l, n, d)

    def attention(q, k, v):
        # [B, L, N, d] each -> softmax(q.k^T / sqrt(d)).v -> [B, L, N*d]
        b, l, n, d = q.shape
        qh, kh, vh = (t.transpose(1, 2) for t in (q, k, v))  # (B, N, L, d)
        p = torch.softmax(qh @ kh.transpose(-1, -2) * (1 / math.sqrt(d)), dim=-1)  # (B, N, Lq, Lk)
        return (p @ vh).transpose(1, 2).reshape(b, l, n * d)  # (B, L, N*d)

    class RMSNorm(nn.Module):
        def __init__(self, dim, eps):
            super().__init__()
            self.eps = eps
            self.weight = nn.Parameter(torch.ones(dim))

        def forward(self, x):
            return x * torch.rsqrt(x.pow(2).mean(dim=-1, keepdim=True) + self.eps) * self.weight

    class Attention(nn.Module):
        def __init__(self, dim, heads, eps):
            super().__init__()
            self.heads = heads
            self.q, self.k, self.v, self.o = (nn.Linear(dim, dim) for _ in range(4))
            self.norm_q, self.norm_k = RMSNorm(dim, eps), RMSNorm(dim, eps)

        def forward(self, x, context=None, freqs=None):
            b, l, dim = x.shape
            src = x if context is None else context
            q = self.norm_q(self.q(x)).view(b, l, self.heads, -1)  # (B, L, N, d)
            k = self.norm_k(self.k(src)).view(b, src.shape[1], self.heads, -1)
            v = self.v(src).view(b, src.shape[1], self.heads, -1)
            if freqs is not None:
                q, k = rope(q, freqs), rope(k, freqs)
            return self.o(attention(q, k, v))

    class Block(nn.Module):
        def __init__(self, dim, ffn_dim, heads, eps):
            super().__init__()
            self.eps = eps
            self.self_attn = Attention(dim, heads, eps)
            self.norm3 = nn.LayerNorm(dim, eps=eps, elementwise_affine=True)
            self.cross_attn = Attention(dim, heads, eps)
            self.ffn = nn.Sequential(nn.Linear(dim, ffn_dim), nn.GELU(approximate="tanh"), nn.Linear(ffn_dim, dim))
            self.modulation = nn.Parameter(torch.randn(1, 6, dim) / dim**0.5)

        def forward(self, x, e0, context, freqs):
            dim = x.shape[-1]
            e = (self.modulation + e0).chunk(6, dim=1)  # 6 x (B, 1, dim)
            y = self.self_attn(F.layer_norm(x, (dim,), eps=self.eps) * (1 + e[1]) + e[0], freqs=freqs)
            x = x + y * e[2]
            x = x + self.cross_attn(self.norm3(x), context=context)
            y = self.ffn(F.layer_norm(x, (dim,), eps=self.eps) * (1 + e[4]) + e[3])
            return x + y * e[5]

    class Head(nn.Module):
        def __init__(self, dim, out, eps):
            super().__init__()
            self.eps = eps
            self.head = nn.Linear(dim, out)
            self.modulation = nn.Parameter(torch.randn(1, 2, dim) / dim**0.5)

        def forward(self, x, e):
            shift, scale = (self.modulation + e.unsqueeze(1)).chunk(2, dim=1)  # (B, 1, dim) each
            return self.head(F.layer_norm(x, (x.shape[-1],), eps=self.eps) * (1 + scale) + shift)

    class WanBench(nn.Module):
        def __init__(self, c):
            super().__init__()
            dim = c["dim"]
            self.c = c
            self.patch_embedding = nn.Conv3d(c["in_dim"], dim, kernel_size=c["patch_size"], stride=c["patch_size"])
            self.text_embedding = nn.Sequential(
                nn.Linear(c["text_dim"], dim), nn.GELU(approximate="tanh"), nn.Linear(dim, dim))
            self.time_embedding = nn.Sequential(nn.Linear(c["freq_dim"], dim), nn.SiLU(), nn.Linear(dim, dim))
            self.time_projection = nn.Sequential(nn.SiLU(), nn.Linear(dim, dim * 6))
            self.blocks = nn.ModuleList(
                Block(dim, c["ffn_dim"], c["num_heads"], c["eps"]) for _ in range(c["num_layers"]))
            self.head = Head(dim, math.prod(c["patch_size"]) * c["out_dim"], c["eps"])
            self.freqs = (None, None)  # (positions as a tuple, their rotations)

        def forward(self, x, t, context, add_tokens=None, extra=None):
            """extra: (tokens [B, Le, dim], positions [Le, 3]) appended after the video tokens."""
            c = self.c
            b, dim = x.shape[0], c["dim"]
            u = self.patch_embedding(x)  # (B, dim, F', H', W')
            grid = tuple(u.shape[2:])
            h = u.flatten(2).transpose(1, 2)  # (B, L, dim)
            length = h.shape[1]
            if add_tokens is not None:
                h = h + add_tokens
            positions = grid_positions(torch, grid)
            if extra is not None:
                h = torch.cat([h, extra[0]], dim=1)  # (B, L + Le, dim)
                positions = torch.cat([positions, extra[1]])
            key = tuple(positions.flatten().tolist())
            if self.freqs[0] != key:
                self.freqs = (key, rope_freqs(dim // c["num_heads"], positions))
            e = self.time_embedding(sinusoid(c["freq_dim"], t))  # (B, dim)
            e0 = self.time_projection(e).unflatten(1, (6, dim))  # (B, 6, dim)
            if context.shape[1] < c["text_len"]:
                context = F.pad(context, (0, 0, 0, c["text_len"] - context.shape[1]))  # (B, text_len, text_dim)
            ctx = self.text_embedding(context)  # (B, text_len, dim)
            for block in self.blocks:
                h = block(h, e0, ctx, self.freqs[1])
            out = self.head(h[:, :length], e)  # (B, L, pt*ph*pw*c): extra tokens dropped
            pt, ph, pw = c["patch_size"]
            f, hh, ww = grid
            out = out.view(b, f, hh, ww, pt, ph, pw, c["out_dim"])  # (B, F', H', W', pt, ph, pw, c)
            out = out.permute(0, 7, 1, 4, 2, 5, 3, 6)  # (B, c, F', pt, H', ph, W', pw)
            return out.reshape(b, c["out_dim"], f * pt, hh * ph, ww * pw)  # (B, c, F, H, W)

    return WanBench(cfg)


def grid_positions(torch, grid, offset=(0, 0, 0)):
    """RoPE positions [F*H*W, 3] (f, h, w) of a patch grid in token order, each shifted by `offset`."""
    axes = [torch.arange(n) + o for n, o in zip(grid, offset)]
    return torch.stack(torch.meshgrid(*axes, indexing="ij"), dim=-1).reshape(-1, 3)


def pin_threads(threads, free_blas=False):
    """Before torch is imported: the BLAS and OpenMP pools at `threads`, or OpenBLAS's own default with free_blas."""
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        if free_blas:
            os.environ.pop(var, None)
        else:
            os.environ[var] = str(threads)


def describe(result):
    """A run's figures as text."""
    lines = []
    for k in ("train_step", "sample_step"):
        r = result[k]
        lines.append(f"torch {result['torch']}, {result['threads']} thread(s), BLAS {result['blas_threads']}, {k}: "
                     f"wall median {r['wall_median']:.1f} ms (min {r['wall_min']:.1f}), cpu median {r['cpu_median']:.1f} ms")
    return "\n".join(lines)


def read_safetensors(np, path):
    """name -> float32 array (F32 files only, as lib/io/safetensors.ts writes them)."""
    with open(path, "rb") as f:
        raw = f.read()
    n = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise ValueError(f"Cannot read {name} as its dtype must be F32: received {info['dtype']}")
        a, b = info["data_offsets"]
        out[name] = np.frombuffer(raw[8 + n + a:8 + n + b], dtype="<f4").reshape(info["shape"]).copy()
    return out


def write_safetensors(path, arrays):
    """name -> float32 array, as one F32 safetensors file."""
    header, blobs, off = {}, [], 0
    for name, a in arrays.items():
        b = a.astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(len(h).to_bytes(8, "little") + h + b"".join(blobs))


def check(torch, cfg, src, dst):
    """Loads the state dict and inputs of `src`, writes the velocity, loss and every gradient to `dst`."""
    import numpy as np

    arrays = read_safetensors(np, src)
    inputs = {k: torch.from_numpy(arrays.pop(k)) for k in ("__x0", "__noise", "__sigma", "__context")}
    model = build(torch, cfg)
    missing = model.load_state_dict({k: torch.from_numpy(v) for k, v in arrays.items()}, strict=True)
    assert not missing.missing_keys and not missing.unexpected_keys
    s = inputs["__sigma"].view(-1, 1, 1, 1, 1)
    x0, noise = inputs["__x0"], inputs["__noise"]
    v = model((1 - s) * x0 + s * noise, inputs["__sigma"] * 1000, inputs["__context"])
    loss = ((v - (noise - x0)) ** 2).reshape(x0.shape[0], -1).mean(dim=1).mean()
    loss.backward()
    out = {"__v": v.detach().numpy(), "__loss": loss.detach().reshape(1).numpy()}
    for name, p in model.named_parameters():
        out[name] = p.grad.numpy()
    write_safetensors(dst, out)


def median_step(fn, runs, warmup):
    for _ in range(warmup):
        fn()
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return {"wall_median": statistics.median(wall), "wall_min": min(wall), "cpu_median": statistics.median(cpu)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--free-blas", action="store_true", help="leave OpenBLAS's pool unpinned")
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--frames", type=int, default=4)
    ap.add_argument("--height", type=int, default=16)
    ap.add_argument("--width", type=int, default=16)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--config", help="model configuration as JSON (default: the wan-bench preset)")
    ap.add_argument("--check", nargs=2, metavar=("IN", "OUT"),
                    help="load a state dict + inputs from IN, write v, loss and gradients to OUT (no timing)")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    if a.threads < 1 or a.runs < 1 or a.warmup < 0:
        ap.error(f"threads and runs must be >= 1, warmup >= 0: received {a.threads}, {a.runs}, {a.warmup}")
    pin_threads(a.threads, a.free_blas)
    import torch

    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    cfg = dict(WAN_BENCH, **(json.loads(a.config) if a.config else {}))
    cfg["patch_size"] = tuple(cfg["patch_size"])
    if a.check:
        check(torch, cfg, *a.check)
        return
    model = build(torch, cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
    x0 = torch.randn(a.batch, cfg["in_dim"], a.frames, a.height, a.width)
    noise = torch.randn_like(x0)
    context = torch.randn(a.batch, cfg["text_len"], cfg["text_dim"])
    sigma = torch.rand(a.batch)
    s = sigma.view(-1, 1, 1, 1, 1)
    xt = (1 - s) * x0 + s * noise  # flow-matching path
    t = sigma * 1000
    target = noise - x0

    def train_step():
        opt.zero_grad(set_to_none=True)
        v = model(xt, t, context)
        loss = ((v - target) ** 2).reshape(a.batch, -1).mean(dim=1).mean()
        loss.backward()
        opt.step()
        return loss.item()

    def sample_step():
        with torch.no_grad():
            return model(xt, t, context).sum().item()

    train = median_step(train_step, a.runs, a.warmup)
    sample = median_step(sample_step, a.runs, a.warmup)
    result = {
        "torch": torch.__version__,
        "threads": a.threads,
        "blas_threads": "free" if a.free_blas else a.threads,
        "params": sum(p.numel() for p in model.parameters()),
        "train_step": train,
        "sample_step": sample,
    }
    print(json.dumps(result) if a.json else describe(result))


if __name__ == "__main__":
    main()
