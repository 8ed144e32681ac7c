#!/usr/bin/env bash
# Speed against PyTorch, side by side: for each thread count and each workload, runs tools/pytorch/bench_torch.py
# and then Graph's `sidebyside` mode on the same workload, back to back in one run on this machine, and prints
# ratio = PyTorch seconds / Graph seconds (> 1: Graph is faster). Raw JSON lines go to the results file.
#
#   tools/bench/side_by_side.sh [--threads 1,2] [--repeats 10] [--warmup 3] [--only mlp,resnet18] [--out FILE]
#
# Interleaving per workload (rather than all of PyTorch, then all of Graph) keeps a load spike from landing on
# one side only. The machine should be otherwise idle: the script warns when the load average is high, and the
# table shows the load each pair ran at.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PY=/usr/bin/python3
THREADS=1,2
REPEATS=10
WARMUP=3
ONLY=elementwise,mlp,resnet18,sgemm
OUT=

usage() { sed -n '2,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) THREADS=${2:?}; shift 2 ;;
    --repeats) REPEATS=${2:?}; shift 2 ;;
    --warmup) WARMUP=${2:?}; shift 2 ;;
    --only) ONLY=${2:?}; shift 2 ;;
    --out) OUT=${2:?}; shift 2 ;;
    *) usage ;;
  esac
done

cd "$ROOT"
OUT=${OUT:-artifacts/bench/side_by_side-$(date +%Y%m%d-%H%M%S).jsonl}
mkdir -p "$(dirname "$OUT")"
: >"$OUT"

warn_load() {
  local load cores
  load=$(cut -d' ' -f1 /proc/loadavg)
  cores=$(nproc)
  if awk -v l="$load" -v c="$cores" 'BEGIN { exit !(l > 0.5 * c) }'; then
    echo "side_by_side.sh: warning: load average $load on $cores CPUs $1; other processes share the CPUs and the numbers are noise" >&2
  fi
}

log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "building Graph.Benchmarks (Release)" >&2
dotnet build Graph.Benchmarks/Graph.Benchmarks.csproj -c Release -nologo >"$log" 2>&1 || { tail -n 40 "$log" >&2; exit 1; }
DLL=$(dotnet msbuild Graph.Benchmarks/Graph.Benchmarks.csproj -nologo -getProperty:TargetPath -p:Configuration=Release)
bash tools/pytorch/install.sh >&2

warn_load "before the run"
"$PY" tools/pytorch/bench_torch.py info >>"$OUT"
dotnet "$DLL" sidebyside info >>"$OUT"
for t in ${THREADS//,/ }; do
  for bench in ${ONLY//,/ }; do
    echo "threads $t: $bench (load $(cut -d' ' -f1 /proc/loadavg))" >&2
    "$PY" tools/pytorch/bench_torch.py "$bench" --threads "$t" --repeats "$REPEATS" --warmup "$WARMUP" >>"$OUT"
    dotnet "$DLL" sidebyside "$bench" --threads "$t" --repeats "$REPEATS" --warmup "$WARMUP" >>"$OUT"
  done
done
warn_load "after the run"

"$PY" tools/bench/ratio_table.py "$OUT"
echo "raw results: $OUT" >&2
