#!/usr/bin/env bash
# The main job's speed before and after a change: runs `graph train` of this checkout and of a baseline revision back
# to back on the same machine, and prints each epoch's training throughput (examples/s, as graph train reports it)
# and the median over epochs, per dataset.
#
#   tools/bench/train_speed.sh [--baseline REV] [--datasets digits,fashion-mnist] [--epochs N] [--threads T]
#
# The baseline is built from REV in a temporary git worktree (default: none, this checkout only). Fashion-MNIST
# needs Debian's dataset-fashion-mnist (installed here when missing). Run it on an idle machine: the load average
# is printed with each run.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BASELINE=
DATASETS=digits,fashion-mnist
EPOCHS=
THREADS=$(nproc)

usage() { sed -n '2,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --baseline) BASELINE=${2:?}; shift 2 ;;
    --datasets) DATASETS=${2:?}; shift 2 ;;
    --epochs) EPOCHS=${2:?}; shift 2 ;;
    --threads) THREADS=${2:?}; shift 2 ;;
    *) usage ;;
  esac
done

work=$(mktemp -d)
cleanup() {
  if [ -d "$work/baseline" ]; then git -C "$ROOT" worktree remove --force "$work/baseline" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

build() { # build DIR LABEL -> prints the path of graph.dll
  echo "building $2 (Release)" >&2
  dotnet build "$1/Graph.Cli/Graph.Cli.csproj" -c Release -nologo >"$work/build-$2.log" 2>&1 || { tail -n 30 "$work/build-$2.log" >&2; exit 1; }
  dotnet msbuild "$1/Graph.Cli/Graph.Cli.csproj" -nologo -getProperty:TargetPath -p:Configuration=Release
}

if [[ ",$DATASETS," == *",fashion-mnist,"* ]] && [ ! -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]; then
  echo "installing dataset-fashion-mnist" >&2
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y -q dataset-fashion-mnist >&2 || { apt-get update -q >&2 && apt-get install -y -q dataset-fashion-mnist >&2; }
  else sudo -n apt-get install -y -q dataset-fashion-mnist >&2; fi
fi

declare -a labels=(current) dlls=("$(build "$ROOT" current)")
if [ -n "$BASELINE" ]; then
  git -C "$ROOT" worktree add -q --detach "$work/baseline" "$BASELINE"
  labels+=("baseline $(git -C "$ROOT" rev-parse --short "$BASELINE")")
  dlls+=("$(build "$work/baseline" baseline)")
fi

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs ($(grep -o -m1 'avx512f' /proc/cpuinfo || echo 'no avx512f')), .NET $(dotnet --version), $THREADS threads"
printf '| dataset | build | epochs | examples/s per epoch | median examples/s | load before |\n|---|---|---:|---|---:|---:|\n'
for dataset in ${DATASETS//,/ }; do
  for i in "${!dlls[@]}"; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    args=(train --dataset "$dataset" --threads "$THREADS" --quiet -o "$work/model.graph")
    if [ -n "$EPOCHS" ]; then args+=(--epochs "$EPOCHS"); fi
    (cd "$work" && dotnet "${dlls[$i]}" "${args[@]}") >"$work/run.log" 2>&1 || { cat "$work/run.log" >&2; exit 1; }
    rates=$(sed -n 's/^epoch .* \([0-9,]*\) ex\/s$/\1/p' "$work/run.log" | tr -d ',')
    median=$(echo "$rates" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
    printf '| %s | %s | %d | %s | %s | %s |\n' "$dataset" "${labels[$i]}" "$(echo "$rates" | wc -l)" "$(echo $rates | sed 's/ /, /g')" "$median" "$load"
  done
done
