#!/usr/bin/python3
"""PyTorch side of the side-by-side benchmarks. Prints one JSON object per line on stdout.

    /usr/bin/python3 tools/pytorch/bench_torch.py all --threads 1,2
    /usr/bin/python3 tools/pytorch/bench_torch.py sgemm --threads 1 --repeats 20 --warmup 5

Subcommands: sgemm, mlp, resnet18, elementwise, transformer, all, info. Every timing is the median of --repeats runs after
--warmup untimed runs (and at least WARMUP_SECONDS of them), with torch.set_num_threads(T) for each T in --threads (comma-separated).
Line format: {"name": str, "seconds": float (median), "threads": int, ...}; extra fields (impl, repeats,
min_seconds, max_seconds, flops, gflops, load1 = the 1-minute load average when the line was written) are
informative. A load1 near or above the core count means other processes shared the CPUs: rerun. See README.md for the exact workloads.
"""
import argparse
import json
import math
import os
import re
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


# Warm-up runs last at least this long (when any are asked for), on every side alike: .NET's tiered JIT recompiles
# hot code optimized only after its first calls, so a fixed few runs would time Graph and TorchSharp half-compiled.
WARMUP_SECONDS = 1.0


def timeit(fn, warmup, repeats):
    start = time.perf_counter()
    done = 0
    while done < warmup or (warmup > 0 and time.perf_counter() - start < WARMUP_SECONDS):
        fn()
        done += 1
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def emit(name, threads, times, flops=None, **extra):
    med = statistics.median(times)
    rec = {"name": name, "seconds": med, "threads": threads, "impl": "pytorch", "repeats": len(times),
           "min_seconds": min(times), "max_seconds": max(times), "load1": round(os.getloadavg()[0], 2)}
    if flops is not None:
        rec["flops"] = flops
        rec["gflops"] = flops / med / 1e9
    rec.update(extra)
    print(json.dumps(rec), flush=True)


# (a) square SGEMM, C = A @ B, fp32, into a preallocated C -----------------------------------------------------
def bench_sgemm(threads, args):
    for n in args.sizes:
        g = torch.Generator().manual_seed(n)
        a = torch.rand(n, n, generator=g)
        b = torch.rand(n, n, generator=g)
        c = torch.empty(n, n)
        reps = args.repeats if n < 2048 else max(3, args.repeats // 2)
        times = timeit(lambda: torch.mm(a, b, out=c), args.warmup, reps)
        emit(f"sgemm_{n}", threads, times, flops=2.0 * n ** 3)


# (b) MLP 784-512-512-10 training step: zero_grad, forward, cross-entropy, backward, SGD(momentum 0.9) ----------
def bench_mlp(threads, args):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.rand(64, 784)
    y = torch.randint(0, 10, (64,))

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()

    macs = 784 * 512 + 512 * 512 + 512 * 10
    emit("mlp_784_512_512_10_train_step_b64", threads, timeit(step, args.warmup, args.repeats), flops=3 * 2.0 * 64 * macs)


# (c) ResNet-18: training forward+backward at b1 and b16 on 64x64, eval forward under no_grad at b1 224x224 and b16 64x64
def bench_resnet18(threads, args):
    import torchvision
    torch.manual_seed(0)
    model = torchvision.models.resnet18(weights=None, num_classes=1000)

    def data(batch, size):
        g = torch.Generator().manual_seed(0)
        return torch.rand(batch, 3, size, size, generator=g), torch.rand(batch, 1000, generator=g)

    model.train()
    for batch, size in ((1, 64), (16, 64)):
        x, labels = data(batch, size)

        def train():
            model.zero_grad()
            loss = (model(x) - labels).sum()
            loss.backward()

        emit(f"resnet18_train_fwd_bwd_b{batch}_{size}x{size}", threads, timeit(train, args.warmup, args.repeats))

    model.eval()
    for batch, size in ((1, 224), (16, 64)):
        x, _ = data(batch, size)

        def infer():
            with torch.no_grad():
                model(x)

        emit(f"resnet18_eval_fwd_b{batch}_{size}x{size}", threads, timeit(infer, args.warmup, args.repeats))


# (d) 200 elementwise ops on 1M- and on 1000-element tensors, forward + backward; relu(x*2+1)*y on 16M, forward --
CHAIN_CYCLE = ("mul w", "add x", "tanh", "sigmoid")  # 50 cycles = 200 ops, then sum


def bench_chain(threads, args, n, name):
    g = torch.Generator().manual_seed(0)
    x = (torch.rand(n, generator=g) * 2 - 1).requires_grad_()
    w = (torch.rand(n, generator=g) * 2 - 1).requires_grad_()
    ops = [lambda y: y * w, lambda y: y + x, torch.tanh, torch.sigmoid]
    assert len(ops) == len(CHAIN_CYCLE)

    def step():
        for t in (x, w):
            if t.grad is not None:
                t.grad.zero_()
        y = x
        for i in range(200):
            y = ops[i % 4](y)
        y.sum().backward()

    emit(name, threads, timeit(step, args.warmup, args.repeats))


def bench_relu_affine_mul(threads, args):
    n = 1 << 24
    g = torch.Generator().manual_seed(0)
    x = torch.rand(n, generator=g) * 2 - 1
    y = torch.rand(n, generator=g)

    def step():
        with torch.no_grad():
            torch.relu(x * 2 + 1) * y

    emit("relu_affine_mul_16M_fwd", threads, timeit(step, args.warmup, args.repeats))


def bench_elementwise(threads, args):
    bench_chain(threads, args, 1 << 20, "elementwise_chain_200_1M_fwd_bwd")
    bench_chain(threads, args, 1000, "elementwise_chain_200_1000_fwd_bwd")
    bench_relu_affine_mul(threads, args)


# (e) transformer ops, forward + backward, batch 8, sequence 128, width 256, 4 heads of 64 -----------------------
TRANSFORMER_SHAPE = (8, 128, 256, 4)  # batch, sequence, width, heads


def bench_layer_norm(threads, args):
    batch, length, width, _ = TRANSFORMER_SHAPE
    g = torch.Generator().manual_seed(0)
    x = torch.rand(batch, length, width, generator=g).requires_grad_()
    w = torch.rand(width, generator=g).requires_grad_()
    b = torch.rand(width, generator=g).requires_grad_()

    def step():
        for t in (x, w, b):
            if t.grad is not None:
                t.grad.zero_()
        F.layer_norm(x, (width,), w, b).sum().backward()

    emit(f"layernorm_{batch}x{length}x{width}_fwd_bwd", threads, timeit(step, args.warmup, args.repeats))


def bench_attention(threads, args, causal):
    # softmax(q kᵀ / √d + mask) v written out, as Graph's fused op computes it: torch 1.13 has no
    # F.scaled_dot_product_attention. The causal mask (-inf above the diagonal) is built once, outside the step.
    batch, length, width, heads = TRANSFORMER_SHAPE
    g = torch.Generator().manual_seed(0)
    q, k, v = (torch.rand(batch, heads, length, width // heads, generator=g).requires_grad_() for _ in range(3))
    scale = 1 / math.sqrt(width // heads)
    mask = torch.full((length, length), float("-inf")).triu(1) if causal else None

    def step():
        for t in (q, k, v):
            if t.grad is not None:
                t.grad.zero_()
        scores = q @ k.transpose(-2, -1) * scale
        if mask is not None:
            scores = scores + mask
        (torch.softmax(scores, dim=-1) @ v).sum().backward()

    prefix = "causal_attention" if causal else "attention"
    emit(f"{prefix}_{batch}x{length}x{width}_h{heads}_fwd_bwd", threads, timeit(step, args.warmup, args.repeats))


def bench_transformer_layer(threads, args):
    batch, length, width, heads = TRANSFORMER_SHAPE
    torch.manual_seed(0)
    layer = nn.TransformerEncoderLayer(width, heads, dim_feedforward=4 * width, dropout=0.0, activation="gelu",
                                       batch_first=True, norm_first=True).train()
    x = torch.rand(batch, length, width, generator=torch.Generator().manual_seed(0))

    def step():
        layer.zero_grad()
        layer(x).sum().backward()

    emit(f"transformer_layer_{batch}x{length}x{width}_h{heads}_fwd_bwd", threads, timeit(step, args.warmup, args.repeats))


def bench_transformer(threads, args):
    bench_layer_norm(threads, args)
    bench_attention(threads, args, causal=False)
    bench_attention(threads, args, causal=True)
    bench_transformer_layer(threads, args)


def openblas():
    """The OpenBLAS that torch loaded (from /proc/self/maps) and the kernel it chose: openblas_get_corename()."""
    import ctypes
    try:
        maps = open("/proc/self/maps").read()
    except OSError:
        return {}
    libs = sorted({m for m in re.findall(r"(/\S*libopenblas\S*\.so\S*)", maps)})
    if not libs:
        return {}
    lib = ctypes.CDLL(libs[0])
    out = {"openblas_library": os.path.realpath(libs[0])}
    for field, fn in (("openblas_core", "openblas_get_corename"), ("openblas_config", "openblas_get_config")):
        if hasattr(lib, fn):
            getattr(lib, fn).restype = ctypes.c_char_p
            out[field] = getattr(lib, fn)().decode()
    return out


def info():
    blas = []
    a = torch.rand(8, 8, dtype=torch.float64)
    (a @ a).sum().item()
    try:
        maps = open("/proc/self/maps").read()
        blas = sorted({os.path.realpath(m) for m in re.findall(r"(/\S*lib(?:open)?blas\S*\.so\S*)", maps)})
    except OSError:
        pass
    cfg = torch.__config__.show()
    rec = {"name": "info", "impl": "pytorch", "torch": torch.__version__, "python": sys.version.split()[0],
           "blas_libraries": blas,
           "blas_info": (re.search(r"BLAS_INFO=(\w+)", cfg) or [None, None])[1],
           "cpu_capability": (re.search(r"CPU capability usage: (\w+)", cfg) or [None, None])[1],
           "mkldnn": torch.backends.mkldnn.is_available(), "openmp": torch.backends.openmp.is_available(),
           "default_threads": torch.get_num_threads(), "interop_threads": torch.get_num_interop_threads(),
           "cpu_count": os.cpu_count(), "load1": round(os.getloadavg()[0], 2),
           "openblas_coretype_env": os.environ.get("OPENBLAS_CORETYPE")}
    rec.update(openblas())
    print(json.dumps(rec), flush=True)


BENCHES = {"sgemm": bench_sgemm, "mlp": bench_mlp, "resnet18": bench_resnet18, "elementwise": bench_elementwise,
           "transformer": bench_transformer}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bench", choices=sorted(BENCHES) + ["all", "info"])
    ap.add_argument("--threads", default="1", help="comma-separated thread counts, e.g. 1,2 (default 1)")
    ap.add_argument("--repeats", type=int, default=10, help="timed runs; the median is reported (default 10)")
    ap.add_argument("--warmup", type=int, default=3, help="untimed runs first (default 3)")
    ap.add_argument("--sizes", default="256,512,1024,2048", help="sgemm sizes (default 256,512,1024,2048)")
    args = ap.parse_args(argv)
    args.sizes = [int(s) for s in args.sizes.split(",")]
    if args.repeats < 1 or args.warmup < 0:
        ap.error("--repeats must be >= 1 and --warmup >= 0")
    if args.bench == "info":
        info()
        return
    names = sorted(BENCHES) if args.bench == "all" else [args.bench]
    load = os.getloadavg()[0]
    if load > 0.5 * (os.cpu_count() or 1):
        print(f"bench_torch.py: warning: load average {load:.2f} on {os.cpu_count()} CPUs; timings will be noisy",
              file=sys.stderr)
    for t in (int(s) for s in args.threads.split(",")):
        torch.set_num_threads(t)
        if torch.get_num_threads() != t:
            sys.exit(f"torch.set_num_threads({t}) did not take")
        for name in names:
            BENCHES[name](t, args)


if __name__ == "__main__":
    main()
