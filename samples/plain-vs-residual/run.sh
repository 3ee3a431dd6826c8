#!/usr/bin/env bash
# Plain vs residual networks on MNIST at small scale (the paper's Figure 6 in miniature):
# trains each model of mnist.resnet with the same data order and schedule, then draws all runs'
# training (thin) and test (bold) error on one plot.
#
#   samples/plain-vs-residual/run.sh [DATA] [EPOCHS] [MODELS...]
#   DATA    mnist:DIR (default: the MNIST subset shipped in samples/mnist-subset)
#   EPOCHS  default 5
#   MODELS  default: MnistPlain20 MnistResNet20
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="${1:-mnist:$root/samples/mnist-subset}"
epochs="${2:-5}"
shift $(( $# > 2 ? 2 : $# ))
models=("$@")
if [ ${#models[@]} -eq 0 ]; then models=(MnistPlain20 MnistResNet20); fi
runs="$here/runs"
mkdir -p "$runs"
dirs=()
for m in "${models[@]}"; do
  "$root/resnet" train-artifacts --import-root "$root" "$here/mnist.resnet" --model "$m" -o "$runs/$m" --force
  "$root/resnet" train "$runs/$m" --data "$data" --epochs "$epochs" --batch 64 --seed 1
  dirs+=("$runs/$m")
done
"$root/resnet" plot "${dirs[@]}" -o "$here/curves.svg" --title "MNIST: plain vs residual (thin: train, bold: test)"
"$root/resnet" plot "${dirs[@]}" -o "$here/curves.png" --title "MNIST: plain vs residual (thin: train, bold: test)"
