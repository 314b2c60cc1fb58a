#!/usr/bin/env python3
"""Exports the seed CNN (SEED.md: Conv2d(1,16,3,pad 1) ReLU MaxPool(2) Conv2d(16,32,3,pad 1) ReLU MaxPool(2)
Flatten Linear(1568,128) ReLU Linear(128,10)) to ONNX for the ONNX Runtime inference peer of bench/run-peers.sh.

The weights are PyTorch's default initialisation from a fixed seed: the benchmark times inference, which does not
depend on the values. The batch axis is dynamic, so one file serves every batch size.

Usage: /usr/bin/python3 export_seed_cnn_onnx.py OUT.onnx    (Debian: apt-get install python3-torch, PyTorch 1.13)
"""
import sys

import torch
from torch import nn


def seed_cnn() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Flatten(),
        nn.Linear(32 * 7 * 7, 128), nn.ReLU(),
        nn.Linear(128, 10))


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: export_seed_cnn_onnx.py OUT.onnx")
    torch.manual_seed(20261126)
    model = seed_cnn().eval()
    params = sum(p.numel() for p in model.parameters())
    assert params == 206_922, f"the seed CNN has 206,922 parameters, this one {params}"
    example = torch.zeros(1, 1, 28, 28)
    torch.onnx.export(model, example, sys.argv[1], input_names=["images"], output_names=["logits"],
                      dynamic_axes={"images": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13)
    print(f"wrote {sys.argv[1]} (torch {torch.__version__}, {params} parameters, opset 13)")


if __name__ == "__main__":
    main()
