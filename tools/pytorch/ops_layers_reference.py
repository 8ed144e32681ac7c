#!/usr/bin/python3
"""PyTorch references for issue 10's shape ops, index ops, layer norm, attention and losses: forward and gradients, float64.

    /usr/bin/python3 tools/pytorch/ops_layers_reference.py --out Graph.Tests/Fixtures/pytorch/ops_layers_float64.safetensors

Each case applies one function to small float64 inputs drawn with torch.randn (seed 0, in the order below) and
differentiates L = sum(u * out) with a random u of the output's shape (u = 1 for the scalar losses).
Keys, per case <c> (names sorted in the file; safetensors_io.py writes it):
    <c>/in<i>     the differentiable inputs        <c>/index   the int64 indices, when the case has them
    <c>/u         the output's upstream gradient   <c>/out     the output
    <c>/grad<i>   dL/d in<i>
The C# test (Graph.Tests/NeuralNetwork/PyTorchReference/OpsLayersReferenceTests.cs) builds the same function per case.
"""
import argparse
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402

D = torch.float64


def attention(q, k, v, causal):
    """torch 2's F.scaled_dot_product_attention(q, k, v, is_causal=causal), which torch 1.13 lacks, written out."""
    scores = q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5
    if causal:
        keep = torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool).tril(diagonal=0)
        scores = scores.masked_fill(~keep, float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


def long(values, *shape):
    return torch.tensor(values, dtype=torch.int64).reshape(*shape) if shape else torch.tensor(values, dtype=torch.int64)


# name: (input shapes, indices or None, function(inputs, indices))
CASES = {
    "unsqueeze_squeeze": ([(1, 3, 4)], None, lambda x, i: x[0].unsqueeze(-1).squeeze(0)),
    "transpose": ([(2, 3, 4)], None, lambda x, i: x[0].transpose(0, 2)),
    "stack": ([(2, 3), (2, 3)], None, lambda x, i: torch.stack(x, 1)),
    "split_chunk": ([(5, 3)], None, lambda x, i: torch.split(x[0], [2, 3])[1] * torch.chunk(x[0], 2, dim=1)[1].sum()),
    "split_size": ([(5, 3)], None, lambda x, i: torch.split(x[0], 2)[2] * 2.0),
    "index_select": ([(4, 3)], long([2, 0, 2]), lambda x, i: torch.index_select(x[0], 0, i)),
    "gather": ([(3, 4)], long([0, 3, 3, 3, 1, 2, 0, 0, 0, 1, 2, 3], 3, 4), lambda x, i: torch.gather(x[0], 1, i)),
    "gather_smaller": ([(3, 4)], long([3, 0, 0, 2, 2, 2], 2, 3), lambda x, i: torch.gather(x[0], 1, i)),
    "embedding": ([(5, 3)], long([4, 0, 4, 1, 2, 4], 2, 3), lambda x, i: F.embedding(i, x[0])),
    "layer_norm_affine": ([(2, 3, 4), (3, 4), (3, 4)], None, lambda x, i: F.layer_norm(x[0], [3, 4], x[1], x[2], eps=1e-5)),
    "layer_norm_plain": ([(2, 3, 4)], None, lambda x, i: F.layer_norm(x[0], [3, 4])),
    "layer_norm_last": ([(3, 2, 8), (8,), (8,)], None, lambda x, i: F.layer_norm(x[0], [8], x[1], x[2], eps=1e-3)),
    "attention": ([(2, 3, 4), (2, 5, 4), (2, 5, 2)], None, lambda x, i: attention(*x, causal=False)),
    "attention_causal": ([(1, 2, 4, 3), (1, 2, 4, 3), (1, 2, 4, 2)], None, lambda x, i: attention(*x, causal=True)),
    "cross_entropy": ([(4, 5)], long([1, 0, 4, 2]), lambda x, i: F.cross_entropy(x[0], i)),
    "cross_entropy_ncd_smoothing": ([(2, 4, 3)], long([1, 0, 3, 2, 2, 0], 2, 3), lambda x, i: F.cross_entropy(x[0], i, label_smoothing=0.2)),
    "nll_loss_ncdd": ([(2, 3, 2, 2)], long([0, 1, 2, 2, 1, 0, 0, 2], 2, 2, 2), lambda x, i: F.nll_loss(F.log_softmax(x[0], 1), i)),
    "l1_loss": ([(3, 4), (3, 4)], None, lambda x, i: F.l1_loss(x[0], x[1])),
    "smooth_l1_loss": ([(3, 4), (3, 4)], None, lambda x, i: F.smooth_l1_loss(x[0], x[1], beta=0.5)),
    # Last, so that the cases above draw the same numbers as before: the causal mask of a non-square [L, S] score
    # matrix is its lower triangle from the top-left corner (torch 2's is_causal), with more and with fewer queries than keys.
    "attention_causal_more_queries": ([(2, 5, 3), (2, 3, 3), (2, 3, 2)], None, lambda x, i: attention(*x, causal=True)),
    "attention_causal_fewer_queries": ([(1, 2, 2, 3), (1, 2, 4, 3), (1, 2, 4, 3)], None, lambda x, i: attention(*x, causal=True)),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    torch.manual_seed(0)
    tensors = {}
    for name, (shapes, index, fn) in CASES.items():
        inputs = [torch.randn(*s, dtype=D, requires_grad=True) for s in shapes]
        out = fn(inputs, index)
        u = torch.randn(out.shape, dtype=D) if out.dim() > 0 else torch.ones((), dtype=D)
        grads = torch.autograd.grad((out * u).sum(), inputs)
        for k, (x, g) in enumerate(zip(inputs, grads)):
            tensors[f"{name}/in{k}"] = x.detach().numpy()
            tensors[f"{name}/grad{k}"] = g.numpy()
        if index is not None:
            tensors[f"{name}/index"] = index.numpy()
        tensors[f"{name}/u"] = u.numpy()
        tensors[f"{name}/out"] = out.detach().numpy()
    size = safetensors_io.save(args.out, tensors, {"torch": torch.__version__, "script": "tools/pytorch/ops_layers_reference.py"})
    print(f"{args.out}: {len(tensors)} tensors, {size} bytes")


if __name__ == "__main__":
    main()
