#!/usr/bin/env bash
# Installs Graphviz (Debian's graphviz package) when `dot` is missing: the Graphviz test category parses
# CompiledGraph.ToDot's output with it, and `dot -Tsvg` draws what `graph dot` writes.
# Idempotent and non-interactive; runs `apt-get update` only when it installs. Prints dot's version.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

if ! command -v dot >/dev/null 2>&1; then
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "install_graphviz.sh: must run as root (or with sudo available)" >&2; exit 1; }
    SUDO=(sudo -n)
  fi
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  if ! { "${SUDO[@]}" apt-get update -qq && "${SUDO[@]}" apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 graphviz; } >"$log" 2>&1; then
    echo "install_graphviz.sh: apt-get install graphviz failed:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
fi

dot -V
