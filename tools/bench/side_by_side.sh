#!/usr/bin/env bash
# Speed against PyTorch and TorchSharp, side by side: for each thread count and each workload group, runs
# tools/pytorch/bench_torch.py, then tools/torchsharp/run.sh, then Graph's `sidebyside` mode on the same
# workloads, back to back in one run on this machine, and prints one table with
# ×PyTorch = PyTorch seconds / Graph seconds and ×TorchSharp = TorchSharp seconds / Graph seconds
# (> 1: Graph is faster). Raw JSON lines go to the results file.
#
#   tools/bench/side_by_side.sh [--threads 1,2] [--repeats 10] [--warmup 3]
#                               [--only elementwise,mlp,resnet18,sgemm,transformer] [--peers pytorch,torchsharp] [--out FILE]
#
# Groups (--only): elementwise (the 200-op chain on 1M and on 1000 floats, relu(x*2+1)*y on 16M), mlp,
# resnet18 (training b1 and b16 on 64x64, inference b1 on 224x224 and b16 on 64x64), sgemm (256 to 2048),
# transformer (forward + backward at batch 8, sequence 128, width 256, 4 heads: layer norm, attention, causal
# attention, one pre-norm GELU TransformerEncoderLayer with feed-forward 1024).
# --peers pytorch or --peers torchsharp runs one peer only (its column then shows "-").
# Interleaving per workload (rather than all of one side, then all of the next) keeps a load spike from landing
# on one side only. The machine should be otherwise idle: the script warns when the load average is high, and
# the table shows the load each row ran at. PyTorch runs with OPENBLAS_CORETYPE set from the CPU's flags
# (SkylakeX with avx512f, Haswell with avx2), so OpenBLAS uses its best kernel; the kernel it reports is printed.
# Every side warms up for --warmup runs and at least one second (WARMUP_SECONDS in each program): .NET's tiered JIT
# recompiles hot code optimized only after its first calls, so three runs alone would time Graph and TorchSharp
# partly unoptimized.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PY=/usr/bin/python3
THREADS=1,2
REPEATS=10
WARMUP=3
GROUPS_ALL=elementwise,mlp,resnet18,sgemm,transformer
ONLY=$GROUPS_ALL
PEERS=pytorch,torchsharp
OUT=

usage() { sed -n '2,20s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) THREADS=${2:?}; shift 2 ;;
    --repeats) REPEATS=${2:?}; shift 2 ;;
    --warmup) WARMUP=${2:?}; shift 2 ;;
    --only) ONLY=${2:?}; shift 2 ;;
    --peers) PEERS=${2:?}; shift 2 ;;
    --out) OUT=${2:?}; shift 2 ;;
    *) usage ;;
  esac
done
for g in ${ONLY//,/ }; do
  case ",$GROUPS_ALL," in *",$g,"*) ;; *) echo "side_by_side.sh: unknown group '$g' (groups: $GROUPS_ALL)" >&2; exit 2 ;; esac
done
want_pytorch=0 want_torchsharp=0
for p in ${PEERS//,/ }; do
  case "$p" in
    pytorch) want_pytorch=1 ;;
    torchsharp) want_torchsharp=1 ;;
    *) echo "side_by_side.sh: unknown peer '$p' (peers: pytorch, torchsharp)" >&2; exit 2 ;;
  esac
done

cd "$ROOT"
OUT=${OUT:-artifacts/bench/side_by_side-$(date -u +%Y%m%d-%H%M%S).jsonl}
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

# OpenBLAS's best kernel for this CPU, for the PyTorch side only. Set explicitly: OpenBLAS's own detection (or an
# OPENBLAS_CORETYPE in the environment) can pick an older kernel, e.g. Prescott, several times slower.
flags=$(grep -m1 '^flags' /proc/cpuinfo || true)
has_flag() { [[ " ${flags#*:} " == *" $1 "* ]]; }
if has_flag avx512f; then
  CORETYPE=SkylakeX
elif has_flag avx2; then
  CORETYPE=Haswell
else
  CORETYPE=
fi
if [ -n "${OPENBLAS_CORETYPE:-}" ] && [ "${OPENBLAS_CORETYPE}" != "$CORETYPE" ]; then
  echo "side_by_side.sh: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE} in the environment; PyTorch runs with ${CORETYPE:-it unset} instead" >&2
fi
torch_env=(env -u OPENBLAS_CORETYPE)
[ -n "$CORETYPE" ] && torch_env=(env OPENBLAS_CORETYPE="$CORETYPE")

log=$(mktemp)
trap 'rm -f "$log" "$log.ts"' EXIT
echo "building Graph.Benchmarks (Release)" >&2
dotnet build Graph.Benchmarks/Graph.Benchmarks.csproj -c Release -nologo >"$log" 2>&1 || { tail -n 40 "$log" >&2; exit 1; }
DLL=$(dotnet msbuild Graph.Benchmarks/Graph.Benchmarks.csproj -nologo -getProperty:TargetPath -p:Configuration=Release)
if [ "$want_pytorch" = 1 ]; then
  bash tools/pytorch/install.sh >&2
fi
if [ "$want_torchsharp" = 1 ]; then
  echo "building tools/torchsharp (Release)" >&2
  tools/torchsharp/run.sh info >"$log.ts" || { rm -f "$log.ts"; exit 1; }   # builds, patches, and checks that it loads
fi

# The machine and the versions, as the first info line (impl "machine").
openblas_verbose=
if [ "$want_pytorch" = 1 ]; then
  # OpenBLAS's own word for the kernel it picked, as a cross-check of openblas_get_corename() in bench_torch.py info.
  openblas_verbose=$("${torch_env[@]}" OPENBLAS_VERBOSE=2 "$PY" -c 'import torch; a = torch.rand(4, 4, dtype=torch.float64); (a @ a).sum().item()' 2>&1 \
    | sed -n 's/^Core: //p;T;q')
fi
machine_info() {
  FLAGS="$flags" IMPL="$1" CORETYPE="$CORETYPE" VERBOSE_CORE="$openblas_verbose" DOTNET_VERSION="$(dotnet --version)" "$PY" - <<'PYEOF'
import datetime, json, os, re
flags = os.environ["FLAGS"].split(":", 1)[-1].split()
wanted = ["sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512_vnni",
          "avx512_bf16", "amx_tile"]
model = "?"
try:
    model = re.search(r"^model name\s*:\s*(.*)$", open("/proc/cpuinfo").read(), re.M)[1]
except (OSError, TypeError):
    pass
rec = {"name": "info", "impl": os.environ["IMPL"], "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
       "loadavg": " ".join(open("/proc/loadavg").read().split()[:3])}
if rec["impl"] == "machine":
    rec.update({"cpu_model": model, "cores": os.cpu_count(), "cpu_flags": [f for f in wanted if f in flags],
                "kernel": os.uname().release, "dotnet_sdk": os.environ["DOTNET_VERSION"],
                "openblas_coretype": os.environ["CORETYPE"] or None,
                "openblas_verbose_core": os.environ["VERBOSE_CORE"] or None})
print(json.dumps(rec))
PYEOF
}

warn_load "before the run"
machine_info machine >>"$OUT"
[ "$want_pytorch" = 1 ] && "${torch_env[@]}" "$PY" tools/pytorch/bench_torch.py info >>"$OUT"
[ "$want_torchsharp" = 1 ] && { cat "$log.ts" >>"$OUT"; rm -f "$log.ts"; }
dotnet "$DLL" sidebyside info >>"$OUT"
if [ "$want_pytorch" = 1 ]; then
  echo "PyTorch: OPENBLAS_CORETYPE=${CORETYPE:-unset}; OpenBLAS reports kernel '$("$PY" -c 'import json, sys; print(json.loads(sys.argv[1]).get("openblas_core"))' "$(grep -m 1 '"impl": "pytorch"' "$OUT")")' (OPENBLAS_VERBOSE: Core: ${openblas_verbose:-?})" >&2
fi
for t in ${THREADS//,/ }; do
  for bench in ${ONLY//,/ }; do
    echo "threads $t: $bench (load $(cut -d' ' -f1 /proc/loadavg))" >&2
    if [ "$want_pytorch" = 1 ]; then
      "${torch_env[@]}" "$PY" tools/pytorch/bench_torch.py "$bench" --threads "$t" --repeats "$REPEATS" --warmup "$WARMUP" >>"$OUT"
    fi
    if [ "$want_torchsharp" = 1 ]; then
      tools/torchsharp/run.sh --no-build "$bench" --threads "$t" --repeats "$REPEATS" --warmup "$WARMUP" >>"$OUT"
    fi
    dotnet "$DLL" sidebyside "$bench" --threads "$t" --repeats "$REPEATS" --warmup "$WARMUP" >>"$OUT"
  done
done
warn_load "after the run"
machine_info machine_end >>"$OUT"

"$PY" tools/bench/ratio_table.py "$OUT"
echo "raw results: $OUT" >&2
