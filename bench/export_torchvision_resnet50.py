#!/usr/bin/python3
"""Exports torchvision's ResNet-50 to ONNX as the reference for `resnet bench --vs`.

    /usr/bin/python3 bench/export_torchvision_resnet50.py OUT.onnx

Debian's python3-torch 1.13 / python3-torchvision 0.14. Random weights (throughput does not depend on them),
evaluation mode (torch.onnx.export folds BN into the convolutions, as exports in the wild do), opset 17,
input `input` [N, 3, 224, 224] with a dynamic batch, output `logits`. Not part of the build or the tests.
"""
import sys

import torch
import torchvision

out = sys.argv[1] if len(sys.argv) > 1 else "tv_r50.onnx"
torch.manual_seed(0)
model = torchvision.models.resnet50().eval()
x = torch.randn(1, 3, 224, 224)
torch.onnx.export(
    model,
    x,
    out,
    opset_version=17,
    input_names=["input"],
    output_names=["logits"],
    dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}},
    do_constant_folding=True,
)
print("wrote", out)
