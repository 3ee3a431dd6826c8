#!/usr/bin/env bash
# Training throughput, ours (ONNX Runtime, resnet bench-train) against PyTorch on CPU, one machine, one run:
# the CIFAR ResNet-20 at batch 128 and ResNet-50 at batch 16, SGD with momentum, random data.
# Needs a built CLI (mvn -B install -DskipTests) and Debian's /usr/bin/python3 with python3-torch.
#   bench/train.sh [steps20] [steps50]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/.."
out="${BENCH_DIR:-$root/target/bench}"
mkdir -p "$out"
steps20="${1:-10}"
steps50="${2:-5}"
lscpu | grep -E 'Model name|^CPU\(s\)'
"$root/resnet" train-artifacts "$root/specs/cifar/resnet20.resnet" -o "$out/train_r20" --force
"$root/resnet" train-artifacts "$root/specs/imagenet/resnet50.resnet" -o "$out/train_r50" --force
"$root/resnet" bench-train "$out/train_r20" --batch 128 --steps "$steps20" --warmup 2
/usr/bin/python3 "$here/pytorch_train_step.py" resnet20 128 "$steps20" 2
"$root/resnet" bench-train "$out/train_r50" --batch 16 --steps "$steps50" --warmup 2
/usr/bin/python3 "$here/pytorch_train_step.py" resnet50 16 "$steps50" 2
