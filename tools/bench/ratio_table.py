#!/usr/bin/python3
"""Prints the side-by-side table from a results file of JSON lines (tools/bench/side_by_side.sh writes one).

    /usr/bin/python3 tools/bench/ratio_table.py artifacts/bench/side_by_side-DATE.jsonl

Pairs the lines of impl "graph" with those of each peer, "pytorch" and "torchsharp", by (name, threads).
×PyTorch = PyTorch seconds / Graph seconds and ×TorchSharp = TorchSharp seconds / Graph seconds: above 1 Graph
is faster, below 1 it is slower. A peer that did not run a workload shows "-". load1 is the highest of the
sides' 1-minute load averages. The header comes from the "info" lines (machine, versions, OpenBLAS kernel, date).
The table is Markdown, so it can be pasted into README.md as it is.
"""
import json
import re
import sys

PEERS = (("pytorch", "PyTorch"), ("torchsharp", "TorchSharp"))


def load(lines):
    """(info by impl, runs by (name, threads) then impl, keys in first-seen order) from JSON lines."""
    runs, info, order = {}, {}, []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        rec = json.loads(line)
        if rec["name"] == "info":
            info[rec["impl"]] = rec
            continue
        key = (rec["name"], rec["threads"])
        if key not in runs:
            runs[key] = {}
            order.append(key)
        runs[key][rec["impl"]] = rec
    return info, runs, order


def header(info):
    out = []
    m = info.get("machine")
    if m:
        end = info.get("machine_end", {})
        loads = f"load average {m.get('loadavg', '?')} before"
        if end.get("loadavg"):
            loads += f", {end['loadavg']} after"
        out.append(f"{m.get('date', '?')}; {m.get('cpu_model', '?')}, {m.get('cores', '?')} cores "
                   f"({' '.join(m.get('cpu_flags', [])) or 'no SIMD flags listed'}); {loads}")
    if "graph" in info:
        g = info["graph"]
        sdk = f" (SDK {m['dotnet_sdk']})" if m and m.get("dotnet_sdk") else ""
        out.append(f"Graph: {g['runtime']}{sdk}, GEMM kernel {g['gemm_kernel']}")
    if "pytorch" in info:
        p = info["pytorch"]
        config = p.get("openblas_config")
        if config:  # "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY USE_OPENMP SkylakeX MAX_THREADS=64"
            words = config.split()
            blas = " ".join(words[:2]) + (" (OpenMP)" if "USE_OPENMP" in words else "")
        else:
            blas = ", ".join(p.get("blas_libraries", [])) or p.get("blas_info")
        kernel = f", kernel {p['openblas_core']}" if p.get("openblas_core") else ""
        env = p.get("openblas_coretype_env")
        kernel += f" (OPENBLAS_CORETYPE={env})" if env else ""
        out.append(f"PyTorch {p['torch']} (Python {p.get('python', '?')}, CPU capability {p.get('cpu_capability')}; "
                   f"BLAS {blas}{kernel})")
    if "torchsharp" in info:
        t = info["torchsharp"]
        mkl = ""
        if t.get("mkl"):  # "Intel(R) oneAPI Math Kernel Library Version 2024.2-Product Build 20240605 for ..."
            version = re.search(r"Version (\S+?)(?:-Product)?(?:\s|$)", t["mkl"])
            mkl = f"; oneMKL {version[1] if version else t['mkl']}"
            mkl += " with mkl_serv_intel_cpu_true overridden" if t.get("mkl_intel_cpu_true_override") else ""
        out.append(f"TorchSharp {t['torchsharp']} (TorchVision {t.get('torchvision', '?')}, LibTorch {t.get('libtorch', '?')}, "
                   f"{t.get('runtime', '?')}{mkl})")
    return out


def fmt_ms(rec):
    return f"{rec['seconds'] * 1e3:.4g}" if rec else "-"


def render(lines):
    """The whole report as a string: header lines, a blank line, the Markdown table."""
    info, runs, order = load(lines)
    out = header(info)
    if out:
        out.append("")
    out.append("| workload | threads | " + " | ".join(f"{label} ms" for _, label in PEERS)
               + " | Graph ms | " + " | ".join(f"×{label}" for _, label in PEERS) + " | load1 |")
    out.append("|---|---:|" + "---:|" * (2 * len(PEERS) + 2))
    warnings = []
    for name, threads in sorted(order, key=lambda k: k[1]):  # stable: workloads stay in the order they ran
        sides = runs[(name, threads)]
        g = sides.get("graph")
        if g is None:
            warnings.append(f"ratio_table.py: {name} at {threads} threads has no Graph line (only {', '.join(sides)})")
            continue
        peers = [sides.get(impl) for impl, _ in PEERS]
        for (impl, _), p in zip(PEERS, peers):
            if p is None:
                warnings.append(f"ratio_table.py: {name} at {threads} threads has no {impl} line")
        ratios = [f"{p['seconds'] / g['seconds']:.2f}" if p else "-" for p in peers]
        loads = [s["load1"] for s in sides.values() if s.get("load1") is not None]
        load1 = f"{max(loads):.2f}" if loads else "?"
        out.append(f"| {name} | {threads} | " + " | ".join(fmt_ms(p) for p in peers)
                   + f" | {fmt_ms(g)} | " + " | ".join(ratios) + f" | {load1} |")
    return "\n".join(out) + "\n", warnings


def main(path):
    with open(path) as f:
        text, warnings = render(f)
    sys.stdout.write(text)
    for w in warnings:
        print(w, file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.split("\n\n")[1])
    main(sys.argv[1])
