"""PyTorch reference of `deno task bench --case finetune`: the fine-tuning step
of the model-design ablation's `part-finetune` row, written for the bench
from the facts of lib/model (nothing imported from Wan or RealisDance).

The model is the Wan DiT of wan_step_torch.py (same file, same state-dict
names) with the concat design of lib/model/designs on top:
- pose latents [B, k*C, F, H, W] through their own Conv3d patch embedding
  `pose_patch_embedding` and the zero-initialised Linear `pose_proj`, ADDED
  to the video tokens (pose_projection.ts);
- the reference latent [B, C, 1, H, W] through `ref_patch_embedding` (a copy
  of the video patch embedding at the start), its tokens APPENDED after the
  video tokens with RoPE positions shifted past the video grid, h in [H, 2H),
  w in [W, 2W) (shifted_rope_positions.ts), through every block, and dropped
  before the head (concat_reference.ts, wan_forward.ts).
What trains is resolve_trainable.ts's "part" scope: the three new layers and
every block's self-attention (q, k, v, o, norm_q, norm_k); everything else
is frozen (requires_grad False: no weight gradients, as on our side). A
training step is the flow-matching MSE, backward, clipping to global norm 1
and AdamW (lr 5e-4, decay 0.01 except biases, norms and modulations); a
sampling step is one forward pass without gradients.

Usage:
  /usr/bin/python3 tools/bench/finetune_step_torch.py [--threads 1] [--free-blas] [--batch 8]
      [--channels 16] [--frames 3] [--height 8] [--width 8] [--runs 10] [--warmup 3]
      [--config JSON] [--check IN OUT] [--json]

--check loads a state dict and the inputs from IN (safetensors written by
tools/bench/_finetune_check.ts) and writes the velocity, the loss and the
gradient of every trainable parameter to OUT, without timing.

References: RealisDance-DiT (arXiv 2504.14977) section 3; damo-cv/RealisDance
src/models/rd_dit.py (add_proj zero-initialised, the reference tokens
concatenated along the sequence and sliced off, ShiftedWanRotaryPosEmbed);
Wan-Video/Wan2.1 wan/modules/model.py (rope_params: per-axis frequencies
indexed by position); Loshchilov & Hutter 2019 (AdamW).
"""
import argparse
import json
import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the working tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wan_step_torch as wan  # noqa: E402  (no torch at import: the thread variables must come first)

# wan-toy (lib/model/model_presets.ts) with the 16 latent channels of the pipeline's VAE.
WAN_TOY = dict(
    patch_size=(1, 2, 2), text_len=128, in_dim=16, dim=128, ffn_dim=512, freq_dim=64,
    text_dim=64, out_dim=16, num_heads=4, num_layers=4, eps=1e-6,
)
POSES = 3  # skeleton, hands, body
PART = re.compile(r"^(ref_patch_embedding|pose_patch_embedding|pose_proj)\.|^blocks\.\d+\.self_attn\.(q|k|v|o|norm_q|norm_k)\.")


def no_decay(name):
    return name.endswith(".bias") or "norm" in name or "modulation" in name


def build_design(torch, cfg, channels, shifted_rope=True, frame_shift=False):
    """The Wan DiT with the concat design's layers; returns (model, forward(x, t, context, reference, pose))."""
    nn = torch.nn
    model = wan.build(torch, cfg)
    dim, patch = cfg["dim"], cfg["patch_size"]
    model.pose_patch_embedding = nn.Conv3d(POSES * channels, dim, kernel_size=patch, stride=patch)
    model.pose_proj = nn.Linear(dim, dim)
    nn.init.zeros_(model.pose_proj.weight)
    nn.init.zeros_(model.pose_proj.bias)
    model.ref_patch_embedding = nn.Conv3d(channels, dim, kernel_size=patch, stride=patch)
    model.ref_patch_embedding.load_state_dict(model.patch_embedding.state_dict())

    def tokens(conv, x):
        u = conv(x)  # (B, dim, F', H', W')
        return u.flatten(2).transpose(1, 2), tuple(u.shape[2:])  # (B, L, dim)

    def forward(x, t, context, reference, pose):
        pt, ph, pw = patch
        f, h, w = x.shape[2] // pt, x.shape[3] // ph, x.shape[4] // pw
        add, _ = tokens(model.pose_patch_embedding, pose)
        ref, ref_grid = tokens(model.ref_patch_embedding, reference)  # (B, L', dim)
        offset = (f if frame_shift else 0, h if shifted_rope else 0, w if shifted_rope else 0)
        return model(x, t, context, add_tokens=model.pose_proj(add),
                     extra=(ref, wan.grid_positions(torch, ref_grid, offset)))

    return model, forward


def setup(torch, a, cfg):
    model, forward = build_design(torch, cfg, a.channels)
    trainable = [n for n, _ in model.named_parameters() if PART.search(n)]
    for n, p in model.named_parameters():
        p.requires_grad_(n in trainable)
    return model, forward, trainable


def check(torch, a, cfg, src, dst):
    """Velocity, loss and trainable gradients for the state dict and inputs of `src`, written to `dst`."""
    import numpy as np

    arrays = wan.read_safetensors(np, src)
    keys = ("__x0", "__noise", "__sigma", "__context", "__reference", "__pose")
    x0, noise, sigma, context, reference, pose = (torch.from_numpy(arrays.pop(k)) for k in keys)
    model, forward, trainable = setup(torch, a, cfg)
    r = model.load_state_dict({k: torch.from_numpy(v) for k, v in arrays.items()}, strict=True)
    assert not r.missing_keys and not r.unexpected_keys
    s = sigma.view(-1, 1, 1, 1, 1)
    v = forward((1 - s) * x0 + s * noise, sigma * 1000, context, reference, pose)
    loss = ((v - (noise - x0)) ** 2).reshape(x0.shape[0], -1).mean(dim=1).mean()
    loss.backward()
    out = {"__v": v.detach().numpy(), "__loss": loss.detach().reshape(1).numpy()}
    params = dict(model.named_parameters())
    for n in trainable:
        out[n] = params[n].grad.numpy()
    wan.write_safetensors(dst, out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--free-blas", action="store_true", help="leave OpenBLAS's pool unpinned")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--channels", type=int, default=16)
    ap.add_argument("--frames", type=int, default=3)
    ap.add_argument("--height", type=int, default=8)
    ap.add_argument("--width", type=int, default=8)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--config", help="the DiT configuration as JSON (default: wan-toy with 16 latent channels)")
    ap.add_argument("--check", nargs=2, metavar=("IN", "OUT"))
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    if a.threads < 1 or a.runs < 1 or a.warmup < 0:
        ap.error(f"threads and runs must be >= 1, warmup >= 0: received {a.threads}, {a.runs}, {a.warmup}")
    wan.pin_threads(a.threads, a.free_blas)
    import torch

    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    cfg = dict(WAN_TOY, **(json.loads(a.config) if a.config else {}))
    cfg["patch_size"] = tuple(cfg["patch_size"])
    if cfg["in_dim"] != a.channels or cfg["out_dim"] != a.channels:
        ap.error(f"in_dim and out_dim must equal --channels {a.channels}: received {cfg['in_dim']}, {cfg['out_dim']}")
    if a.check:
        check(torch, a, cfg, *a.check)
        return
    model, forward, trainable = setup(torch, a, cfg)
    params = dict(model.named_parameters())
    opt = torch.optim.AdamW([
        {"params": [params[n] for n in trainable if not no_decay(n)], "weight_decay": 0.01},
        {"params": [params[n] for n in trainable if no_decay(n)], "weight_decay": 0.0},
    ], lr=5e-4)
    shape = (a.batch, a.channels, a.frames, a.height, a.width)
    x0, noise = torch.randn(shape), torch.randn(shape)
    context = torch.randn(a.batch, cfg["text_len"], cfg["text_dim"])
    reference = torch.randn(a.batch, a.channels, 1, a.height, a.width)
    pose = torch.randn(a.batch, POSES * a.channels, a.frames, a.height, a.width)
    sigma = torch.rand(a.batch)
    s = sigma.view(-1, 1, 1, 1, 1)
    xt, t, target = (1 - s) * x0 + s * noise, sigma * 1000, noise - x0

    def train_step():
        opt.zero_grad(set_to_none=True)
        v = forward(xt, t, context, reference, pose)
        loss = ((v - target) ** 2).reshape(a.batch, -1).mean(dim=1).mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_([params[n] for n in trainable], 1.0)
        opt.step()
        return loss.item()

    def sample_step():
        with torch.no_grad():
            return forward(xt, t, context, reference, pose).sum().item()

    result = {
        "torch": torch.__version__,
        "threads": a.threads,
        "blas_threads": "free" if a.free_blas else a.threads,
        "params": sum(p.numel() for p in model.parameters()),
        "trainable_params": sum(params[n].numel() for n in trainable),
        "train_step": wan.median_step(train_step, a.runs, a.warmup),
        "sample_step": wan.median_step(sample_step, a.runs, a.warmup),
    }
    print(json.dumps(result) if a.json else wan.describe(result))


if __name__ == "__main__":
    main()
