#!/usr/bin/env bash
# ResNet-50 inference throughput, ours against torchvision's own ONNX export, on one machine in one run.
# Needs a built CLI (mvn -B install -DskipTests) and Debian's /usr/bin/python3 with python3-torchvision.
#   bench/run.sh [batch] [iters] [device]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/.."
out="${BENCH_DIR:-$root/target/bench}"
mkdir -p "$out"
batch="${1:-8}"
iters="${2:-30}"
device="${3:-cpu}"
"$root/resnet" export "$root/specs/imagenet/resnet50.resnet" -o "$out/our_r50.onnx"
/usr/bin/python3 "$here/export_torchvision_resnet50.py" "$out/tv_r50.onnx"
lscpu | grep -E 'Model name|^CPU\(s\)|Flags' | sed 's/Flags:.*\(avx512f\).*/Flags: … avx512f …/; s/Flags:.*\(avx2\).*/Flags: … avx2 …/'
"$root/resnet" bench "$out/our_r50.onnx" --vs "$out/tv_r50.onnx" --batch "$batch" --iters "$iters" --warmup 3 --device "$device"
