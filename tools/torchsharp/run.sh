#!/usr/bin/env bash
# Builds the TorchSharp peer of the side-by-side benchmarks (Release), makes its native library load on this
# machine, and runs it with the arguments given:
#
#   tools/torchsharp/run.sh [--no-build] {sgemm|mlp|resnet18|elementwise|transformer|all|info} [--threads 1,2] [--repeats 10] [--warmup 3] [--sizes 256,512,1024,2048]
#
# --no-build skips `dotnet build` (tools/bench/side_by_side.sh builds once, then runs each workload with it).
#
# TorchSharp 0.107.0's libLibTorchSharp.so needs std::ios_base_library_init@GLIBCXX_3.4.32 (GCC 13's libstdc++).
# When the system libstdc++ lacks that version (Debian 12 has GCC 12's), this script patches the copies in the
# build output with patch_libtorchsharp.py (idempotent) and LD_PRELOADs a no-op definition of the function,
# compiled from ios_base_library_init.cpp into artifacts/torchsharp/ (installs g++ with apt-get if missing).
# On a CPU that is not Intel's (vendor_id not GenuineIntel) it also LD_PRELOADs mkl_intel_cpu_true.cpp, so that
# LibTorch's oneMKL takes its AVX2/AVX-512 paths rather than its generic one (TORCHSHARP_MKL_OVERRIDE=0: don't;
# =1: always). JSON lines on stdout; build and patch messages on stderr. See README.md beside this file.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$ROOT/tools/torchsharp
PROJECT=$HERE/TorchSharpBench.csproj
ART=$ROOT/artifacts/torchsharp
PY=/usr/bin/python3
mkdir -p "$ART"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
die() { echo "run.sh: $*" >&2; [ -s "$log" ] && { echo "---- log ----" >&2; tail -n 40 "$log" >&2; }; exit 1; }

if [ "${1:-}" = --no-build ]; then
  shift
else
  dotnet build "$PROJECT" -c Release -nologo >"$log" 2>&1 || die "dotnet build $PROJECT failed"
fi
DLL=$(dotnet msbuild "$PROJECT" -nologo -getProperty:TargetPath -p:Configuration=Release)
OUTDIR=$(dirname "$DLL")

# shim NAME: artifacts/torchsharp/libNAME.so compiled from NAME.cpp beside this script (g++ installed when missing).
shim() {
  local src=$HERE/$1.cpp so=$ART/lib$1.so
  if [ ! -s "$so" ] || [ "$src" -nt "$so" ]; then
    if ! command -v g++ >/dev/null 2>&1; then
      local sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo -n)
      echo "run.sh: installing g++" >&2
      { "${sudo[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends g++; } >"$log" 2>&1 \
        || die "apt-get install g++ failed"
    fi
    g++ -shared -fPIC -O2 -o "$so.tmp" "$src" >"$log" 2>&1 || die "compiling $src failed"
    mv "$so.tmp" "$so"
  fi
  echo "$so"
}
preload=()

# The libstdc++ the loader would pick.
# (awk reads all of its input: an early exit would SIGPIPE ldconfig and, under pipefail, fail the script.)
libstdcxx=$(ldconfig -p | awk '$1 == "libstdc++.so.6" && /x86-64/ && !found { print $NF; found = 1 }')
[ -n "$libstdcxx" ] || die "no libstdc++.so.6 in the ldconfig cache"
if grep -qa 'GLIBCXX_3\.4\.32' "$libstdcxx"; then
  echo "run.sh: $libstdcxx has GLIBCXX_3.4.32; no patch needed" >&2
else
  mapfile -t libs < <(find "$OUTDIR" -name libLibTorchSharp.so)
  [ ${#libs[@]} -gt 0 ] || die "no libLibTorchSharp.so under $OUTDIR"
  # A build copies the package's unpatched file over the patched one; only then is there something to do.
  if ! "$PY" "$HERE/patch_libtorchsharp.py" --check "${libs[@]}" >"$log" 2>&1; then
    "$PY" "$HERE/patch_libtorchsharp.py" "${libs[@]}" >"$log" 2>&1 || die "patch_libtorchsharp.py failed"
    echo "run.sh: patched ${#libs[@]} libLibTorchSharp.so for $libstdcxx (GLIBCXX_3.4.32 weak, ios_base_library_init unversioned)" >&2
  fi
  preload+=("$(shim ios_base_library_init)")
fi

vendor=$(sed -n 's/^vendor_id[[:space:]]*: //p;T;q' /proc/cpuinfo)
case "${TORCHSHARP_MKL_OVERRIDE:-auto}" in
  1) preload+=("$(shim mkl_intel_cpu_true)") ;;
  0) ;;
  auto) [ "$vendor" = GenuineIntel ] || preload+=("$(shim mkl_intel_cpu_true)") ;;
  *) die "TORCHSHARP_MKL_OVERRIDE must be 0, 1 or unset" ;;
esac
if [ ${#preload[@]} -gt 0 ]; then
  joined=$(IFS=:; echo "${preload[*]}")
  export LD_PRELOAD=$joined${LD_PRELOAD:+:$LD_PRELOAD}
fi

exec dotnet "$DLL" "$@"
