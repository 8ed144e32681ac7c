#!/usr/bin/python3
"""Prints the side-by-side table from a results file of JSON lines (tools/bench/side_by_side.sh writes one).

    /usr/bin/python3 tools/bench/ratio_table.py artifacts/bench/side_by_side-DATE.jsonl

Pairs the lines of impl "pytorch" and impl "graph" by (name, threads). ratio = PyTorch seconds / Graph seconds:
above 1 Graph is faster, below 1 it is slower. load1 is the higher of the two sides' 1-minute load averages.
The table is Markdown, so it can be pasted into README.md as it is.
"""
import json
import sys


def main(path):
    runs = {}
    info = {}
    order = []
    with open(path) as f:
        for line in f:
            rec = json.loads(line)
            if rec["name"] == "info":
                info[rec["impl"]] = rec
                continue
            key = (rec["name"], rec["threads"])
            if key not in runs:
                runs[key] = {}
                order.append(key)
            runs[key][rec["impl"]] = rec

    if "pytorch" in info:
        p = info["pytorch"]
        print(f"PyTorch {p['torch']} (BLAS {', '.join(p['blas_libraries']) or p['blas_info']}, {p['cpu_capability']})")
    if "graph" in info:
        g = info["graph"]
        print(f"Graph on {g['runtime']} (GEMM kernel {g['gemm_kernel']}), {g['cpu_count']} CPUs")
    print()
    print("| workload | threads | PyTorch s | Graph s | ratio | load1 |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, threads in sorted(order, key=lambda k: k[1]):
        sides = runs[(name, threads)]
        if "pytorch" not in sides or "graph" not in sides:
            print(f"ratio_table.py: {name} at {threads} threads has only {', '.join(sides)}", file=sys.stderr)
            continue
        p, g = sides["pytorch"], sides["graph"]
        loads = [s["load1"] for s in (p, g) if s.get("load1") is not None]
        load = f"{max(loads):.2f}" if loads else "?"
        print(f"| {name} | {threads} | {p['seconds']:.4g} | {g['seconds']:.4g} | {p['seconds'] / g['seconds']:.2f} | {load} |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.split("\n\n")[1])
    main(sys.argv[1])
