"""Forward values and gradients of issue 10's elementwise ops and reductions in float64, as PyTorch 1.13 computes them.

    /usr/bin/python3 tools/pytorch/elementwise_reference.py --out Graph.Tests/Fixtures/pytorch/elementwise_float64.safetensors

For each case NAME the file holds NAME.in0 (NAME.in1: a second differentiable input), NAME.cond (a bool condition),
NAME.out (the forward value), NAME.seed (a random upstream gradient of out's shape) and NAME.grad0 / NAME.grad1
(the gradients of the inputs for that seed); argmax cases hold NAME.in0 and NAME.indices. Ties (maximum, minimum, max(), argmax) and large inputs (logsumexp) are
written into the inputs on purpose.
"""
import argparse
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    torch.manual_seed(0)
    d = torch.float64

    def r(*shape, lo=-2.0, hi=2.0):
        return torch.rand(*shape, dtype=d) * (hi - lo) + lo

    tie_a = torch.tensor([[1.0, 2.0, 3.0, -1.0], [0.5, 0.5, -2.0, 4.0], [1.5, -0.5, 0.25, 2.0]], dtype=d)
    tie_b = torch.tensor([[1.0, 1.0, 3.5, -1.0], [0.5, 0.75, -2.0, 3.0], [1.5, 0.0, 0.25, 2.5]], dtype=d)
    tie_max = torch.tensor([[1.0, 3.0, 3.0, 0.5], [3.0, -1.0, 2.0, 3.0], [0.0, 1.0, 1.0, -2.0]], dtype=d)
    cond = torch.tensor([[True, False, True, True], [False, False, True, False], [True, True, False, True]])
    base = r(3, 4, lo=0.2, hi=2.0)
    base[0, 0] = 0.0  # b = 0 with e >= 0: the exponent's gradient is masked to 0
    cases = {
        "sin": ([r(3, 4, lo=-4, hi=4)], lambda x: torch.sin(x)),
        "cos": ([r(3, 4, lo=-4, hi=4)], lambda x: torch.cos(x)),
        "rsqrt": ([r(3, 4, lo=0.2, hi=3)], lambda x: torch.rsqrt(x)),
        "erf": ([r(3, 4, lo=-3, hi=3)], lambda x: torch.erf(x)),
        "gelu": ([r(3, 4, lo=-2, hi=3)], lambda x: F.gelu(x)),
        "gelu_tanh": ([r(3, 4, lo=-3, hi=3)], lambda x: F.gelu(x, approximate="tanh")),
        "silu": ([r(3, 4, lo=-4, hi=4)], lambda x: F.silu(x)),
        "softplus": ([r(3, 4, lo=-30, hi=30)], lambda x: F.softplus(x)),
        "softplus_beta2_threshold1": ([r(3, 4)], lambda x: F.softplus(x, beta=2, threshold=1)),
        "leaky_relu": ([r(3, 4)], lambda x: F.leaky_relu(x)),
        "leaky_relu_0.2": ([r(3, 4)], lambda x: F.leaky_relu(x, 0.2)),
        "clamp": ([torch.tensor([[-2.0, -1.0, -0.5, 0.0], [0.5, 1.0, 1.5, 3.0], [-1.0, 1.0, 0.9, -0.9]], dtype=d)],
                  lambda x: torch.clamp(x, -1.0, 1.0)),
        "clamp_max": ([r(3, 4)], lambda x: torch.clamp(x, max=0.5)),
        "maximum": ([tie_a, tie_b], lambda a, b: torch.maximum(a, b)),
        "minimum": ([tie_a, tie_b], lambda a, b: torch.minimum(a, b)),
        "maximum_broadcast": ([r(3, 4), r(4)], lambda a, b: torch.maximum(a, b)),
        "pow": ([base, r(3, 4, lo=-1.5, hi=2.5)], lambda a, b: torch.pow(a, b)),
        "pow_broadcast": ([r(3, 4, lo=0.2, hi=2), r(4)], lambda a, b: torch.pow(a, b)),
        "where": ([r(3, 4), r(3, 4)], lambda a, b: torch.where(cond, a, b)),
        "where_broadcast": ([r(3, 1), r(4)], lambda a, b: torch.where(cond, a, b)),
        "min_axis1": ([tie_max], lambda x: torch.min(x, 1).values),
        "max_all": ([tie_max], lambda x: torch.max(x)),
        "min_all": ([tie_max], lambda x: torch.min(x)),
        "var_axis1": ([r(3, 4)], lambda x: torch.var(x, 1)),
        "var_all_biased_keepdim": ([r(3, 4)], lambda x: torch.var(x, (0, 1), unbiased=False, keepdim=True)),
        "std_axis0": ([r(3, 4)], lambda x: torch.std(x, 0)),
        "logsumexp_axis1": ([r(3, 4)], lambda x: torch.logsumexp(x, 1)),
        "logsumexp_large": ([torch.tensor([[1000.0, 1000.0, 999.0], [-1000.0, -1001.0, -1000.0]], dtype=d)],
                            lambda x: torch.logsumexp(x, 1)),
        "logsumexp_axes02_keepdim": ([r(2, 3, 4)], lambda x: torch.logsumexp(x, (0, 2), keepdim=True)),
        "sum_axis1": ([r(2, 3, 4)], lambda x: x.sum(1)),
        "mean_axis2_keepdim": ([r(2, 3, 4)], lambda x: x.mean(2, keepdim=True)),
    }
    tensors = {"cond": cond.numpy()}
    for name, (inputs, fn) in cases.items():
        leaves = [t.clone().requires_grad_(True) for t in inputs]
        out = fn(*leaves)
        seed = torch.randn(out.shape, dtype=d)
        grads = torch.autograd.grad(out, leaves, seed)
        for i, (leaf, grad) in enumerate(zip(leaves, grads)):
            tensors[f"{name}.in{i}"] = leaf.detach().numpy()
            tensors[f"{name}.grad{i}"] = grad.numpy()
        tensors[f"{name}.out"] = out.detach().numpy()
        tensors[f"{name}.seed"] = seed.numpy()
    # argmax is not differentiable: NAME.in0 and NAME.indices (int64), ties resolved to the first index.
    for name, dim, keepdim in [("argmax_axis1", 1, False), ("argmax_axis0_keepdim", 0, True)]:
        tensors[f"{name}.in0"] = tie_max.numpy()
        tensors[f"{name}.indices"] = torch.argmax(tie_max, dim, keepdim=keepdim).numpy()
    n = safetensors_io.save(args.out, tensors, {"torch": torch.__version__, "script": "tools/pytorch/elementwise_reference.py"})
    print(f"{args.out}: {len(tensors)} tensors, {n} bytes")


if __name__ == "__main__":
    main()
