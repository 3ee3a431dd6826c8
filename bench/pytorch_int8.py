#!/usr/bin/python3
"""PyTorch's own int8 inference on CPU, the peer of the int8 benchmark (bench/int8.sh).

    /usr/bin/python3 bench/pytorch_int8.py resnet50|resnet18 BATCH ITERS [WARMUP] [fp32]

Debian's python3-torch 1.13 / python3-torchvision 0.14: torchvision.models.quantization's ResNet with its
modules fused (conv+BN+ReLU), post-training static quantization with the fbgemm backend, or oneDNN where
the build has no fbgemm (Debian's 1.13 has none: engines qnnpack, onednn), per-channel int8 weights, uint8
activations, histogram observers, calibrated on 8 random batches, then timed on random data
in evaluation mode. Random weights: throughput does not depend on them. With the extra argument `fp32`, the
same network unquantized. Uses as many threads as CPUs (TORCH_THREADS overrides). Prints one line with
ms/batch and images/s. Not part of the build or the tests.
"""
import os
import sys
import time

import torch
import torchvision.models.quantization as qm

name = sys.argv[1]
batch = int(sys.argv[2])
iters = int(sys.argv[3])
warmup = int(sys.argv[4]) if len(sys.argv) > 4 else 3
fp32 = len(sys.argv) > 5 and sys.argv[5] == "fp32"
torch.set_num_threads(int(os.environ.get("TORCH_THREADS", os.cpu_count())))
torch.manual_seed(0)
model = getattr(qm, name)(weights=None, quantize=False).eval()
engines = torch.backends.quantized.supported_engines
# Debian's build has no FBGEMM; its x86 server backend is oneDNN (AVX-512 VNNI where the CPU has it).
engine = "fbgemm" if "fbgemm" in engines else "onednn"
if not fp32:
    torch.backends.quantized.engine = engine
    model.fuse_model()
    model.qconfig = torch.ao.quantization.get_default_qconfig(engine)
    torch.ao.quantization.prepare(model, inplace=True)
    with torch.no_grad():
        for _ in range(8):
            model(torch.randn(batch, 3, 224, 224))
    torch.ao.quantization.convert(model, inplace=True)
x = torch.randn(batch, 3, 224, 224)
with torch.no_grad():
    for _ in range(warmup):
        model(x)
    t0 = time.perf_counter()
    for _ in range(iters):
        model(x)
    seconds = time.perf_counter() - t0
kind = "fp32" if fp32 else "int8 " + engine
print("pytorch %s %s batch %d: %.2f ms/batch %.2f images/s (threads %d)"
      % (kind, name, batch, 1000 * seconds / iters, batch * iters / seconds, torch.get_num_threads()))
