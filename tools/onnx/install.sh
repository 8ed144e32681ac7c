#!/usr/bin/env bash
# Installs Debian's ONNX packages when they are missing: libonnx-dev ships ONNX's own schema
# (/usr/include/onnx/onnx.proto, of which Graph.Onnx/Schema/onnx.proto is a copy) and libonnx-testdata ships ONNX's
# backend node tests (/usr/share/libonnx-testdata/data/node), which the OnnxConformance test category runs.
# Idempotent and non-interactive; runs `apt-get update` only when it installs. Prints where the node tests are.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

packages=(libonnx-dev libonnx-testdata)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done

if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "tools/onnx/install.sh: must run as root (or with sudo available)" >&2; exit 1; }
    SUDO=(sudo -n)
  fi
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  if ! { "${SUDO[@]}" apt-get update -qq && "${SUDO[@]}" apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}"; } >"$log" 2>&1; then
    echo "tools/onnx/install.sh: apt-get install ${missing[*]} failed:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
fi

echo /usr/share/libonnx-testdata/data/node
