#!/usr/bin/python3
"""PyTorch references for Graph's optimizers, lr schedulers and gradient clipping (torch 1.13, float64).

Writes one small safetensors file (default Graph.Tests/Fixtures/pytorch/optimizers.safetensors) that
Graph.Tests/Runtime/Optimizers/*ReferenceTests.cs read. Every optimizer case starts from the same two parameters
and is fed the same fixed gradient sequence (p.grad set by hand, then step()), so the file holds torch's update
arithmetic alone, with no model in between. Keys are listed in tools/pytorch/README.md.
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402

STEPS = 6
DTYPE = torch.float64


def optimizer_cases(p0, p1):
    """name -> (optimizer factory over [p0, p1], scheduler factory or None). Mirrored in OptimizerReferenceTests.cs."""
    o = torch.optim
    s = torch.optim.lr_scheduler
    return {
        "adamw_default": (lambda: o.AdamW([p0, p1]), None),
        "adamw_custom": (lambda: o.AdamW([p0, p1], lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1), None),
        "adamw_no_decay": (lambda: o.AdamW([p0, p1], lr=0.02, weight_decay=0.0), None),
        "rmsprop_default": (lambda: o.RMSprop([p0, p1]), None),
        "rmsprop_decay_momentum": (lambda: o.RMSprop([p0, p1], lr=0.01, alpha=0.9, eps=1e-6, weight_decay=0.05, momentum=0.9), None),
        "rmsprop_centered": (lambda: o.RMSprop([p0, p1], lr=0.005, centered=True), None),
        "rmsprop_centered_momentum": (lambda: o.RMSprop([p0, p1], lr=0.005, alpha=0.95, weight_decay=0.01, momentum=0.5, centered=True), None),
        "groups_adamw": (lambda: o.AdamW([{"params": [p0], "lr": 0.01, "weight_decay": 0.1}, {"params": [p1]}], lr=0.003, weight_decay=0.0), None),
        "groups_sgd": (lambda: o.SGD([{"params": [p0], "lr": 0.1}, {"params": [p1], "weight_decay": 0.2}], lr=0.05, momentum=0.9), None),
        "groups_rmsprop": (lambda: o.RMSprop([{"params": [p1], "lr": 0.001}, {"params": [p0]}], lr=0.01, weight_decay=0.01, momentum=0.3), None),
        "groups_adam": (lambda: o.Adam([{"params": [p0], "weight_decay": 0.1}, {"params": [p1]}], lr=0.01), None),
        "onecycle_adamw": (lambda: o.AdamW([p0, p1], lr=0.01, weight_decay=0.01), lambda opt: s.OneCycleLR(opt, max_lr=0.1, total_steps=STEPS)),
        "onecycle_sgd": (lambda: o.SGD([p0, p1], lr=0.1), lambda opt: s.OneCycleLR(opt, max_lr=0.5, total_steps=STEPS, anneal_strategy="linear")),
        "onecycle_rmsprop": (lambda: o.RMSprop([p0, p1], lr=0.01), lambda opt: s.OneCycleLR(opt, max_lr=0.02, total_steps=STEPS, pct_start=0.5)),
        "cosine_rmsprop": (lambda: o.RMSprop([p0, p1], lr=0.01, momentum=0.9), lambda opt: s.CosineAnnealingLR(opt, T_max=3)),
        "steplr_adam": (lambda: o.Adam([p0, p1], lr=0.05), lambda opt: s.StepLR(opt, step_size=2, gamma=0.5)),
        "warmup_groups_adamw": (lambda: o.AdamW([{"params": [p0], "lr": 0.02}, {"params": [p1], "weight_decay": 0.0}], lr=0.01),
                                lambda opt: s.LinearLR(opt, start_factor=0.25, total_iters=4)),
        # beta2 small enough that exp_avg_sq falls below its running maximum after a small gradient, so amsgrad matters.
        "adamw_amsgrad": (lambda: o.AdamW([p0, p1], lr=0.05, betas=(0.9, 0.5), weight_decay=0.1, amsgrad=True), None),
        "adam_amsgrad": (lambda: o.Adam([p0, p1], lr=0.05, betas=(0.8, 0.6), weight_decay=0.05, amsgrad=True), None),
    }


def scheduler_cases(params):
    """name -> (optimizer, scheduler factory, steps). Mirrored in SchedulerReferenceTests.cs."""
    o = torch.optim
    s = torch.optim.lr_scheduler
    two_groups = lambda **kw: o.SGD([{"params": [params[0]], "lr": 0.1}, {"params": [params[1]], "lr": 0.03}], lr=0.1, **kw)  # noqa: E731
    return {
        "steplr": (two_groups(), lambda opt: s.StepLR(opt, step_size=7, gamma=0.5), 40),
        "steplr_default": (two_groups(), lambda opt: s.StepLR(opt, step_size=3), 30),
        "cosine": (two_groups(), lambda opt: s.CosineAnnealingLR(opt, T_max=10, eta_min=1e-3), 45),
        "cosine_default": (two_groups(), lambda opt: s.CosineAnnealingLR(opt, T_max=7), 31),
        "linear": (two_groups(), lambda opt: s.LinearLR(opt, start_factor=0.1, end_factor=1.0, total_iters=8), 30),
        "linear_down": (two_groups(), lambda opt: s.LinearLR(opt, start_factor=1.0, end_factor=0.2, total_iters=12), 30),
        "linear_default": (two_groups(), lambda opt: s.LinearLR(opt), 30),
        "onecycle_cos_adam": (o.Adam([params[0], params[1]], lr=0.01), lambda opt: s.OneCycleLR(opt, max_lr=0.1, total_steps=40), 40),
        "onecycle_linear_sgd": (two_groups(), lambda opt: s.OneCycleLR(opt, max_lr=0.2, total_steps=35, pct_start=0.25, anneal_strategy="linear", div_factor=10.0, final_div_factor=100.0), 35),
        "onecycle_three_phase_sgd": (two_groups(momentum=0.9), lambda opt: s.OneCycleLR(opt, max_lr=0.3, total_steps=40, three_phase=True, base_momentum=0.8, max_momentum=0.9), 40),
        "onecycle_no_momentum_adamw": (o.AdamW([params[0], params[1]], lr=0.01), lambda opt: s.OneCycleLR(opt, max_lr=0.05, total_steps=33, cycle_momentum=False), 33),
    }


def momentum_of(opt):
    group = opt.param_groups[0]
    return group["betas"][0] if "betas" in group else group["momentum"]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "..", "Graph.Tests", "Fixtures", "pytorch", "optimizers.safetensors"))
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(10)
    init0 = torch.randn(3, 4, generator=g, dtype=DTYPE)
    init1 = torch.randn(5, generator=g, dtype=DTYPE)
    grads0 = torch.randn(STEPS, 3, 4, generator=g, dtype=DTYPE)
    grads1 = torch.randn(STEPS, 5, generator=g, dtype=DTYPE) * 0.1
    tensors = {"init/p0": init0, "init/p1": init1, "grads/p0": grads0, "grads/p1": grads1}

    p0 = torch.nn.Parameter(init0.clone())
    p1 = torch.nn.Parameter(init1.clone())
    for name in optimizer_cases(p0, p1):
        p0 = torch.nn.Parameter(init0.clone())
        p1 = torch.nn.Parameter(init1.clone())
        make_opt, make_sched = optimizer_cases(p0, p1)[name]
        opt = make_opt()
        sched = make_sched(opt) if make_sched else None
        after0, after1, lrs = [], [], []
        for step in range(STEPS):
            p0.grad = grads0[step].clone()
            p1.grad = grads1[step].clone()
            lrs.append([group["lr"] for group in opt.param_groups])
            opt.step()
            if sched is not None:
                sched.step()
            after0.append(p0.detach().clone())
            after1.append(p1.detach().clone())
        tensors[f"opt/{name}/p0"] = torch.stack(after0)
        tensors[f"opt/{name}/p1"] = torch.stack(after1)
        tensors[f"opt/{name}/lr"] = torch.tensor(lrs, dtype=DTYPE)

    for name, (opt, make_sched, steps) in scheduler_cases([torch.nn.Parameter(torch.zeros(1, dtype=DTYPE)) for _ in range(2)]).items():
        sched = make_sched(opt)
        lrs, momenta = [sched.get_last_lr()], [momentum_of(opt)]
        for _ in range(steps):
            opt.step()  # no gradients: a no-op, called so that torch sees the documented order
            sched.step()
            lrs.append(sched.get_last_lr())
            momenta.append(momentum_of(opt))
        tensors[f"sched/{name}/lr"] = torch.tensor(lrs, dtype=DTYPE)
        tensors[f"sched/{name}/momentum"] = torch.tensor(momenta, dtype=DTYPE)

    for dtype, prefix in ((torch.float64, "clip"), (torch.float32, "clip32")):
        cg = torch.Generator().manual_seed(20)
        grad0 = (torch.randn(3, 4, generator=cg, dtype=torch.float64) * 3).to(dtype)
        grad1 = (torch.randn(5, generator=cg, dtype=torch.float64) * 3).to(dtype)
        tensors[f"{prefix}/grad/p0"] = grad0
        tensors[f"{prefix}/grad/p1"] = grad1
        for case, max_norm in (("clipped", 1.0), ("unclipped", 100.0)):
            q0 = torch.nn.Parameter(torch.zeros(3, 4, dtype=dtype))
            q1 = torch.nn.Parameter(torch.zeros(5, dtype=dtype))
            frozen = torch.nn.Parameter(torch.zeros(2, dtype=dtype))  # no .grad: left out of the norm
            q0.grad, q1.grad = grad0.clone(), grad1.clone()
            norm = torch.nn.utils.clip_grad_norm_([q0, q1, frozen], max_norm)
            tensors[f"{prefix}/{case}/norm"] = norm.detach().to(dtype)
            tensors[f"{prefix}/{case}/p0"] = q0.grad.clone()
            tensors[f"{prefix}/{case}/p1"] = q1.grad.clone()

    arrays = {k: v.detach().contiguous().numpy() for k, v in tensors.items()}
    metadata = {"torch_version": torch.__version__, "steps": str(STEPS), "dtype": "float64 (clip32/*: float32)",
                "script": "tools/pytorch/optimizer_reference.py"}
    size = safetensors_io.save(args.out, arrays, metadata)
    print(f"{args.out}: {len(arrays)} tensors, {size} bytes")


if __name__ == "__main__":
    main()
