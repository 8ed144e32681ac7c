#!/usr/bin/python3
"""PyTorch references for training steps of a two-block torch.nn.TransformerEncoderLayer stack (batch_first).

    /usr/bin/python3 tools/pytorch/transformer_reference.py --dtype float64 --out Graph.Tests/Fixtures/pytorch/transformer_float64.safetensors

The stack (seed 0; built in float32 with torch's own init, then .to(dtype), so both dtypes start from the same numbers):
    layers.0 = TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16, dropout=0, activation=relu,
                                       batch_first=True, norm_first=False)            no mask
    layers.1 = the same with norm_first=True and activation=gelu (--block1-activation)  causal mask
               (src_mask = nn.Transformer.generate_square_subsequent_mask(5))
    input [2, 5, 8] and labels [2, 5, 8] from torch.rand (float32, then .to(dtype)); loss = ((prediction - labels) ** 2).sum()

Two runs from the same parameters:
    sgd:   one step, loss.backward(); torch.optim.SGD(lr=1e-2, momentum=0.9).step()
    adamw: two steps of  zero_grad; loss.backward(); norm = clip_grad_norm_(parameters, 1.0); AdamW(lr=1e-2,
           weight_decay=0.1).step(); LinearLR(start_factor=0.5, total_iters=4).step()

Keys (<name> are the stack's state_dict names: layers.0.self_attn.in_proj_weight, ..., layers.1.norm2.bias):
    param/<name>            every parameter before any step
    grad/<name>             .grad after the first backward (the same in both runs)
    updated/<name>          after the SGD step
    adamw/updated/<name>    after the two AdamW steps
    adamw/norm              [2] clip_grad_norm_'s total norm (before clipping) at each step
    adamw/loss              [2] the loss at each step
    input, labels, prediction, loss (shape [])
"""
import argparse
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402

DTYPES = {"float64": torch.float64, "float32": torch.float32}
D_MODEL, NHEAD, D_FF, BATCH, LENGTH = 8, 2, 16, 2, 5


class Stack(nn.Module):
    def __init__(self, block1_activation):
        super().__init__()
        self.layers = nn.ModuleList([
            nn.TransformerEncoderLayer(D_MODEL, NHEAD, D_FF, dropout=0.0, activation="relu", batch_first=True, norm_first=False),
            nn.TransformerEncoderLayer(D_MODEL, NHEAD, D_FF, dropout=0.0, activation=block1_activation, batch_first=True, norm_first=True),
        ])

    def forward(self, x):
        mask = nn.Transformer.generate_square_subsequent_mask(x.shape[1]).to(x.dtype)
        x = self.layers[0](x)
        return self.layers[1](x, src_mask=mask)


def numpy_of(t):
    return t.detach().cpu().contiguous().numpy().copy()


def build(dtype, seed, block1_activation):
    torch.manual_seed(seed)
    model = Stack(block1_activation).to(dtype).train()
    g = torch.Generator().manual_seed(seed)
    data = torch.rand(BATCH, LENGTH, D_MODEL, generator=g).to(dtype)
    labels = torch.rand(BATCH, LENGTH, D_MODEL, generator=g).to(dtype)
    return model, data, labels


def reference(dtype_name, seed, block1_activation):
    dtype = DTYPES[dtype_name]
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    out = {}

    model, data, labels = build(dtype, seed, block1_activation)
    for name, p in model.named_parameters():
        out[f"param/{name}"] = numpy_of(p)
    prediction = model(data)
    loss = ((prediction - labels) ** 2).sum()
    loss.backward()
    for name, p in model.named_parameters():
        out[f"grad/{name}"] = numpy_of(p.grad)
    torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9).step()
    for name, p in model.named_parameters():
        out[f"updated/{name}"] = numpy_of(p)
    out.update(input=numpy_of(data), labels=numpy_of(labels), prediction=numpy_of(prediction), loss=numpy_of(loss))

    model, data, labels = build(dtype, seed, block1_activation)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=0.1)
    scheduler = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.5, total_iters=4)
    norms, losses = [], []
    for _ in range(2):
        optimizer.zero_grad()
        loss = ((model(data) - labels) ** 2).sum()
        loss.backward()
        norms.append(float(torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)))
        losses.append(float(loss))
        optimizer.step()
        scheduler.step()
    for name, p in model.named_parameters():
        out[f"adamw/updated/{name}"] = numpy_of(p)
    out["adamw/norm"] = numpy_of(torch.tensor(norms, dtype=dtype))
    out["adamw/loss"] = numpy_of(torch.tensor(losses, dtype=dtype))

    metadata = {
        "model": f"2 x TransformerEncoderLayer(d_model={D_MODEL}, nhead={NHEAD}, dim_feedforward={D_FF}, dropout=0, batch_first=True); "
                 f"layers.0 post-norm relu, layers.1 pre-norm {block1_activation} causal",
        "dtype": dtype_name,
        "seed": str(seed),
        "loss": "((prediction - labels) ** 2).sum()",
        "sgd": "SGD(lr=1e-2, momentum=0.9), one step",
        "adamw": "2 x (clip_grad_norm_(1.0); AdamW(lr=1e-2, weight_decay=0.1).step(); LinearLR(start_factor=0.5, total_iters=4).step())",
        "torch_version": torch.__version__,
        "generator": "tools/pytorch/transformer_reference.py",
    }
    return out, metadata


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dtype", choices=sorted(DTYPES), default="float64")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--block1-activation", choices=["relu", "gelu"], default="gelu")
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    tensors, metadata = reference(args.dtype, args.seed, args.block1_activation)
    size = safetensors_io.save(args.out, tensors, metadata)
    print(f"wrote {args.out}: {len(tensors)} tensors, {size} bytes, loss {float(tensors['loss']):.17g}")


if __name__ == "__main__":
    main()
