"""Second-order reference data (issue 9, gradients as values): torch.autograd.grad with create_graph=True.

    /usr/bin/python3 tools/pytorch/second_order_reference.py --out Graph.Tests/Fixtures/pytorch/second_order_float64.safetensors

Writes, in float64 (seed 0), three cases that Graph.Tests/Operations/SecondOrderReferenceTests.cs rebuilds:
  hvp/*   the Hessian-vector product of a tanh MLP's cross-entropy loss (5-6-3, batch 8), for every parameter;
  gp/*    three SGD steps (lr 0.05) of a WGAN-GP critic (4-8-1, tanh) with a gradient penalty of weight 10;
  conv/*  the gradient of G = Σ vx·∂L/∂x + Σ vw·∂L/∂w, L = Σ u·tanh(batch_norm(conv2d(x, w, padding 1))) in training
          mode, with respect to x, w and the batch norm's weight and bias (double backward through conv2d and batch norm).
"""
import argparse

import torch
import torch.nn.functional as F

import safetensors_io

torch.set_num_threads(1)
torch.manual_seed(0)
D = torch.float64


def rand(*shape, scale=1.0):
    return (torch.rand(*shape, dtype=D) * 2 - 1) * scale


def hvp_case(out):
    x = rand(8, 5)
    labels = torch.randint(0, 3, (8,))
    params = {"w1": rand(6, 5, scale=0.7), "b1": rand(6, scale=0.3), "w2": rand(3, 6, scale=0.7), "b2": rand(3, scale=0.3)}
    vectors = {k: rand(*p.shape) for k, p in params.items()}
    for p in params.values():
        p.requires_grad_(True)
    logits = F.linear(torch.tanh(F.linear(x, params["w1"], params["b1"])), params["w2"], params["b2"])
    loss = F.cross_entropy(logits, labels)
    names = list(params)
    grads = torch.autograd.grad(loss, [params[k] for k in names], create_graph=True)
    dot = sum((g * vectors[k]).sum() for g, k in zip(grads, names))
    hv = torch.autograd.grad(dot, [params[k] for k in names])
    out["hvp/x"] = x
    out["hvp/labels"] = labels
    out["hvp/loss"] = loss.detach()
    for k, g, h in zip(names, grads, hv):
        out[f"hvp/param/{k}"] = params[k].detach()
        out[f"hvp/v/{k}"] = vectors[k]
        out[f"hvp/grad/{k}"] = g.detach()
        out[f"hvp/hv/{k}"] = h


def critic(x, p):
    return F.linear(torch.tanh(F.linear(x, p["w1"], p["b1"])), p["w2"], p["b2"])


def gradient_penalty_case(out):
    real, fake, eps = rand(6, 4), rand(6, 4), torch.rand(6, 1, dtype=D)
    params = {"w1": rand(8, 4, scale=0.6), "b1": rand(8, scale=0.2), "w2": rand(1, 8, scale=0.6), "b2": rand(1, scale=0.2)}
    out["gp/real"], out["gp/fake"], out["gp/eps"] = real, fake, eps
    for k, p in params.items():
        out[f"gp/initial/{k}"] = p.clone()
        p.requires_grad_(True)
    opt = torch.optim.SGD(list(params.values()), lr=0.05)
    losses = []
    for _ in range(3):
        opt.zero_grad()
        interp = (eps * real + (1 - eps) * fake).requires_grad_(True)
        (g,) = torch.autograd.grad(critic(interp, params).sum(), interp, create_graph=True)
        penalty = ((g.pow(2).sum(1).sqrt() - 1) ** 2).mean()
        loss = critic(fake, params).mean() - critic(real, params).mean() + 10 * penalty
        loss.backward()
        opt.step()
        losses.append(loss.detach())
    out["gp/losses"] = torch.stack(losses)
    for k, p in params.items():
        out[f"gp/final/{k}"] = p.detach()


def conv_batch_norm_case(out):
    x, w = rand(2, 3, 5, 5).requires_grad_(True), rand(4, 3, 3, 3, scale=0.5).requires_grad_(True)
    gamma, beta = (1 + rand(4, scale=0.3)).requires_grad_(True), rand(4, scale=0.3).requires_grad_(True)
    u, vx, vw = rand(2, 4, 5, 5), rand(2, 3, 5, 5), rand(4, 3, 3, 3)
    for k, t in {"x": x, "w": w, "gamma": gamma, "beta": beta, "u": u, "vx": vx, "vw": vw}.items():
        out[f"conv/{k}"] = t.detach().clone()
    y = F.batch_norm(F.conv2d(x, w, padding=1), torch.zeros(4, dtype=D), torch.ones(4, dtype=D), gamma, beta, training=True)
    loss = (torch.tanh(y) * u).sum()
    gx, gw = torch.autograd.grad(loss, [x, w], create_graph=True)
    g = (gx * vx).sum() + (gw * vw).sum()
    for k, t in zip(["x", "w", "gamma", "beta"], torch.autograd.grad(g, [x, w, gamma, beta])):
        out[f"conv/second/{k}"] = t


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    out = {}
    hvp_case(out)
    gradient_penalty_case(out)
    conv_batch_norm_case(out)
    safetensors_io.save(args.out, {k: v.numpy() for k, v in out.items()}, {"torch": torch.__version__, "seed": "0"})


if __name__ == "__main__":
    main()
