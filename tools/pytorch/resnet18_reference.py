#!/usr/bin/python3
"""PyTorch reference data for one training step of the autograd tutorial's ResNet-18 (or one BasicBlock).

    /usr/bin/python3 tools/pytorch/resnet18_reference.py --dtype float64 --out resnet18_float64.safetensors
    /usr/bin/python3 tools/pytorch/resnet18_reference.py --block --dtype float32 --out basicblock_float32.safetensors

The step (shared/seeds/000: the 60-minute blitz autograd tutorial, with weights=None):
    torch.manual_seed(seed); model = resnet18(weights=None)       # torchvision's init, in float32
    model.to(dtype); model.train()
    g = torch.Generator().manual_seed(seed)
    data = torch.rand(1, 3, 64, 64, generator=g); labels = torch.rand(1, 1000, generator=g)   # float32, then .to(dtype)
    prediction = model(data); loss = (prediction - labels).sum(); loss.backward()
    torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9).step()

Parameters, input and labels are drawn in float32 and then cast, so the float64 and float32 files start from
exactly the same numbers (the float64 run is a high-precision reference for the float32 one).

--block: the same step for one torchvision BasicBlock(inplanes=4, planes=8, stride=2,
downsample=Sequential(conv1x1(4, 8, 2), BatchNorm2d(8))), input [2, 4, 8, 8], labels like the output [2, 8, 4, 4],
initialised like torchvision's ResNet (convs kaiming_normal_(fan_out, relu), BN weight 1, bias 0).

Keys written (one safetensors file, names sorted; see safetensors_io.py for the format):
    param/<state_dict name>    every parameter before the step
    buffer/<state_dict name>   every buffer after the forward (running_mean, running_var; num_batches_tracked as I64)
    grad/<state_dict name>     every parameter's .grad after loss.backward()
    updated/<state_dict name>  every parameter after optimizer.step()
    input, labels, prediction, loss (shape [])
"""
import argparse
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torchvision
from torchvision.models.resnet import BasicBlock, conv1x1

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402

LR = 1e-2
MOMENTUM = 0.9
DTYPES = {"float64": torch.float64, "float32": torch.float32}


def set_deterministic():
    torch.set_num_threads(1)
    if hasattr(torch, "use_deterministic_algorithms"):
        torch.use_deterministic_algorithms(True)


def resnet_init_(module):
    """torchvision.models.ResNet.__init__'s initialisation loop (zero_init_residual=False)."""
    for m in module.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
            nn.init.constant_(m.weight, 1)
            nn.init.constant_(m.bias, 0)


def build(block, seed):
    """Returns (model, input shape, output shape), the model built in float32 from torch.manual_seed(seed)."""
    torch.manual_seed(seed)
    if block:
        model = BasicBlock(4, 8, stride=2, downsample=nn.Sequential(conv1x1(4, 8, 2), nn.BatchNorm2d(8)))
        resnet_init_(model)
        return model, (2, 4, 8, 8), (2, 8, 4, 4)
    model = torchvision.models.resnet18(weights=None, num_classes=1000)  # runs resnet_init_ itself
    return model, (1, 3, 64, 64), (1, 1000)


def numpy_of(t):
    return t.detach().cpu().contiguous().numpy().copy()


def reference(block, dtype_name, seed):
    dtype = DTYPES[dtype_name]
    set_deterministic()
    model, in_shape, out_shape = build(block, seed)
    model = model.to(dtype)
    model.train()

    g = torch.Generator().manual_seed(seed)
    data = torch.rand(*in_shape, generator=g).to(dtype)
    labels = torch.rand(*out_shape, generator=g).to(dtype)

    out = {}
    for name, p in model.named_parameters():
        out[f"param/{name}"] = numpy_of(p)

    prediction = model(data)
    if tuple(prediction.shape) != out_shape:
        raise RuntimeError(f"prediction shape {tuple(prediction.shape)}, expected {out_shape}")
    loss = (prediction - labels).sum()
    for name, b in model.named_buffers():
        out[f"buffer/{name}"] = numpy_of(b)
    loss.backward()
    for name, p in model.named_parameters():
        if p.grad is None:
            raise RuntimeError(f"{name} got no gradient")
        out[f"grad/{name}"] = numpy_of(p.grad)

    optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    optimizer.step()
    for name, p in model.named_parameters():
        out[f"updated/{name}"] = numpy_of(p)

    out["input"] = numpy_of(data)
    out["labels"] = numpy_of(labels)
    out["prediction"] = numpy_of(prediction)
    out["loss"] = numpy_of(loss)

    for k, v in out.items():
        expect = np.int64 if k.endswith("num_batches_tracked") else np.dtype(str(dtype).replace("torch.", ""))
        if v.dtype != expect:
            raise RuntimeError(f"{k}: dtype {v.dtype}, expected {expect}")

    metadata = {
        "model": "basicblock(inplanes=4,planes=8,stride=2,downsample=conv1x1+bn)" if block else "torchvision.resnet18(weights=None,num_classes=1000)",
        "dtype": dtype_name,
        "seed": str(seed),
        "init": "torch.manual_seed(seed); built in float32 with torchvision ResNet init; then .to(dtype)",
        "data": "g=torch.Generator().manual_seed(seed); input=torch.rand(shape,generator=g); labels=torch.rand(out_shape,generator=g); float32 then .to(dtype)",
        "mode": "train",
        "loss": "(prediction - labels).sum()",
        "optimizer": f"torch.optim.SGD(lr={LR}, momentum={MOMENTUM})",
        "torch_version": torch.__version__,
        "torchvision_version": torchvision.__version__,
        "num_threads": str(torch.get_num_threads()),
        "deterministic": str(torch.are_deterministic_algorithms_enabled()),
        "generator": "tools/pytorch/resnet18_reference.py",
    }
    return out, metadata


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--block", action="store_true", help="one BasicBlock with a downsample branch instead of ResNet-18")
    ap.add_argument("--dtype", choices=sorted(DTYPES), default="float64")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", required=True, help="output .safetensors file")
    args = ap.parse_args(argv)
    tensors, metadata = reference(args.block, args.dtype, args.seed)
    size = safetensors_io.save(args.out, tensors, metadata)
    print(f"wrote {args.out}: {len(tensors)} tensors, {size} bytes, loss {float(tensors['loss']):.17g}")


if __name__ == "__main__":
    main()
