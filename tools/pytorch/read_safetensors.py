#!/usr/bin/python3
"""Print a safetensors file's metadata and every tensor's name, dtype and shape (pure Python + numpy).

    /usr/bin/python3 tools/pytorch/read_safetensors.py FILE [--stats] [--lenient]

Checks the file while reading it (header length, JSON, dtypes, shapes against byte ranges; and, unless
--lenient, what this project's writer guarantees: names sorted, offsets contiguous from 0, header padded
with spaces to a multiple of 8, no trailing bytes). Exits 1 with the reason if a check fails.
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--stats", action="store_true", help="also print sum, min, max of each tensor")
    ap.add_argument("--lenient", action="store_true", help="accept any valid safetensors layout")
    args = ap.parse_args(argv)
    try:
        tensors, metadata, header = safetensors_io.load(args.file, strict=not args.lenient)
    except (safetensors_io.SafetensorsError, OSError) as e:
        print(f"{args.file}: {e}", file=sys.stderr)
        return 1
    for k, v in sorted(metadata.items()):
        print(f"# {k}: {v}")
    total = 0
    for name in sorted(tensors):
        e = header[name]
        line = f"{name}\t{e['dtype']}\t{e['shape']}"
        if args.stats:
            a = tensors[name]
            if a.size:
                line += f"\tsum={a.astype(np.float64).sum():.17g}\tmin={a.min():.9g}\tmax={a.max():.9g}"
        print(line)
        total += e["data_offsets"][1] - e["data_offsets"][0]
    print(f"# {len(tensors)} tensors, {total} data bytes, {os.path.getsize(args.file)} file bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
