#!/usr/bin/env bash
# Usage: tools/pytorch/generate_references.sh OUTDIR [SEED]
# Installs the toolchain (install.sh, idempotent) and writes the full ResNet-18 one-step references
#   OUTDIR/resnet18_float64.safetensors   (~281 MB: parameters, gradients and updated parameters, 11.7M each)
#   OUTDIR/resnet18_float32.safetensors   (~140 MB)
#   OUTDIR/{resnet18,transformer_encoder}.{onnx,safetensors}   (~47 MB: torch.onnx.export models and PyTorch's outputs)
# Tests read them from the directory named by GRAPH_TORCH_REFERENCE_DIR (export it as OUTDIR).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 OUTDIR [SEED]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
outdir=$1
seed=${2:-0}

bash "$here/install.sh"
mkdir -p "$outdir"
for dtype in float64 float32; do
  file="$outdir/resnet18_$dtype.safetensors"
  # write to a temporary name first so an interrupted run never leaves a half file under the real name
  /usr/bin/python3 "$here/resnet18_reference.py" --dtype "$dtype" --seed "$seed" --out "$file.tmp"
  /usr/bin/python3 "$here/read_safetensors.py" "$file.tmp" >/dev/null
  mv -f "$file.tmp" "$file"
done
/usr/bin/python3 "$here/onnx_models.py" "$outdir" "$seed"
echo "references in $outdir (export GRAPH_TORCH_REFERENCE_DIR=$outdir)"
