#!/usr/bin/env bash
# Installs the PyTorch reference toolchain from Debian's packages (bookworm):
#   python3-torch 1.13, python3-torchvision 0.14, python3-numpy, python3-msgpack,
#   and OpenBLAS's OpenMP variant as the system BLAS/LAPACK (so torch.set_num_threads governs it too).
# Idempotent and non-interactive; runs `apt-get update` only when a package is missing.
# Quiet on success (prints versions at the end), prints the failing command's log and exits non-zero on failure.
# Always use Debian's interpreter, /usr/bin/python3: a python3 earlier on PATH (pyenv) lacks these packages.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

PACKAGES=(python3-torch python3-torchvision python3-numpy python3-msgpack libopenblas0-openmp)
PY=/usr/bin/python3

log=$(mktemp)
trap 'rm -f "$log"' EXIT
die() { echo "install.sh: $*" >&2; [ -s "$log" ] && { echo "---- log ----" >&2; tail -n 60 "$log" >&2; }; exit 1; }
run() { "$@" >>"$log" 2>&1 || die "failed: $*"; }

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || die "must run as root (or with sudo available)"
  SUDO=(sudo -n)
fi

installed() { dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null | grep -qx installed; }

missing=()
for p in "${PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install.sh: installing ${missing[*]}"
  run "${SUDO[@]}" apt-get update -qq
  run "${SUDO[@]}" apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}"
fi

# Select OpenBLAS (OpenMP) for libblas.so.3 / liblapack.so.3 when another provider is also installed
# (the reference libblas3 often is). Only touch the alternative when it points elsewhere.
for lib in libblas.so.3 liblapack.so.3; do
  want=$(dpkg -L libopenblas0-openmp | grep -m1 "/openblas-openmp/$lib\$") || die "libopenblas0-openmp ships no $lib"
  triplet=$(basename "$(dirname "$(dirname "$want")")")     # /usr/lib/<triplet>/openblas-openmp/<lib>
  name="$lib-$triplet"
  current=$(update-alternatives --query "$name" 2>/dev/null | sed -n 's/^Value: //p')
  if [ "$current" != "$want" ]; then
    run "${SUDO[@]}" update-alternatives --set "$name" "$want"
  fi
done

# Verify: imports work, and the BLAS torch actually loads is OpenBLAS built with OpenMP.
"$PY" - <<'PYEOF' >"$log" 2>&1 || die "verification failed"
import os, re, sys
import numpy, torch, torchvision, msgpack
a = torch.rand(64, 64, dtype=torch.float64)
(a @ a).sum().item()              # double GEMM goes through the system BLAS
maps = open("/proc/self/maps").read()
blas = sorted({os.path.realpath(m) for m in re.findall(r"(/\S*lib(?:open)?blas\S*\.so\S*)", maps)})
if not any("openblas-openmp" in b for b in blas):
    sys.exit(f"torch did not load OpenBLAS (openmp); loaded: {blas}")
print(f"python {sys.version.split()[0]} ({sys.executable})")
print(f"torch {torch.__version__}, torchvision {torchvision.__version__}, numpy {numpy.__version__}, msgpack {'.'.join(map(str, msgpack.version))}")
print("blas: " + ", ".join(blas))
print(f"threads: intra-op {torch.get_num_threads()}, inter-op {torch.get_num_interop_threads()}")
PYEOF
cat "$log"
