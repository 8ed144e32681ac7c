"""torch.onnx.export of torchvision's resnet18 and of a two-layer nn.TransformerEncoder, with PyTorch's outputs.

Usage: /usr/bin/python3 tools/pytorch/onnx_models.py OUTDIR [SEED]
Writes, for NAME in resnet18 and transformer_encoder:
  OUTDIR/NAME.onnx                 opset 17, static shapes, eval mode (batch norm and dropout for inference)
  OUTDIR/NAME.safetensors          {"input": the input, "output": PyTorch's output}, float32
Graph's PyTorchReference category (Graph.Tests/Onnx/OnnxPyTorchTests.cs) imports each model and compares.
"""
import os
import sys

import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402


def resnet18():
    model = torchvision.models.resnet18(weights=None)
    return model, torch.randn(1, 3, 64, 64)


def transformer_encoder():
    # Sequence-first (the default): PyTorch 1.13's batch-first inference fast path (_transformer_encoder_layer_fwd)
    # has no ONNX export.
    layer = torch.nn.TransformerEncoderLayer(d_model=32, nhead=4, dim_feedforward=64, dropout=0.1)
    model = torch.nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
    return model, torch.randn(5, 2, 32)


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: onnx_models.py OUTDIR [SEED]")
    outdir = sys.argv[1]
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    os.makedirs(outdir, exist_ok=True)
    for name, make in (("resnet18", resnet18), ("transformer_encoder", transformer_encoder)):
        torch.manual_seed(seed)
        model, x = make()
        model.eval()
        with torch.no_grad():
            y = model(x)
            path = os.path.join(outdir, name + ".onnx")
            torch.onnx.export(model, (x,), path + ".tmp", opset_version=17, input_names=["input"], output_names=["output"],
                              do_constant_folding=True)
        os.replace(path + ".tmp", path)
        safetensors_io.save(os.path.join(outdir, name + ".safetensors"),
                            {"input": x.numpy(), "output": y.numpy()}, {"model": name, "seed": str(seed)})
        print(f"{path}: input {tuple(x.shape)}, output {tuple(y.shape)}")


if __name__ == "__main__":
    main()
