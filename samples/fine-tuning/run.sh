#!/usr/bin/env bash
# Fine-tuning evidence on a harder data set than MNIST (issue 10, item 6):
#  1. pretrain the MNIST ResNet-20 layout on Fashion-MNIST classes 0-4 (all 30,000 training images);
#  2. fine-tune to classes 5-9 from 50 training images per class, three ways with the same steps
#     and seeds: from scratch, head only (backbone frozen) and full fine-tuning;
#  3. the full Fashion-MNIST ResNet-20 test accuracy (all ten classes).
# Needs Debian's dataset-fashion-mnist package (apt-get install dataset-fashion-mnist) and
# `mvn -B install -DskipTests` first. Writes runs/fine-tuning (or $1) and prints a summary table.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/../.."
resnet="$root/resnet"
fashion="${FASHION_MNIST:-/usr/share/datasets/fashion-mnist}"
out="${1:-runs/fine-tuning}"
pre_epochs="${PRE_EPOCHS:-8}"
ft_epochs="${FT_EPOCHS:-30}"
full_epochs="${FULL_EPOCHS:-20}"
mkdir -p "$out"

step() { printf '\n== %s\n' "$*"; }
grep -m1 'model name' /proc/cpuinfo || true

step "split Fashion-MNIST: classes 0-4 for pretraining, 50 images of each of classes 5-9 for fine-tuning"
rm -rf "$out/data"
java "$here/SplitFashion.java" "$fashion" "$out/data" 50 1

step "pretrain on classes 0-4 ($pre_epochs epochs)"
"$resnet" train-artifacts --import-root "$root/specs" "$root/specs/mnist/resnet20.resnet" -o "$out/pretrain" --force
"$resnet" train "$out/pretrain" --data "mnist:$out/data/pretrain" --epochs "$pre_epochs" --batch 64 \
  --lr-schedule "multistep:0.1:$((pre_epochs * 3 / 4))"

# The same 30 epochs of 10 steps (250 images, batch 25) and the same seed for each way; the rate is
# each way's usual one: 0.1 from scratch and for a fresh head, 0.01 when every pretrained weight moves.
step "fine-tune to classes 5-9 three ways ($ft_epochs epochs of 250 images)"
spec="$here/fashion5.resnet"
pretrained="$out/pretrain/checkpoint.safetensors"
"$resnet" train-artifacts "$spec" -o "$out/scratch" --force
"$resnet" train-artifacts "$spec" -o "$out/head-only" --force --weights "$pretrained" --new-head --freeze backbone
"$resnet" train-artifacts "$spec" -o "$out/full" --force --weights "$pretrained" --new-head
for way in scratch head-only full; do
  lr=0.1
  [ "$way" = full ] && lr=0.01
  "$resnet" train "$out/$way" --data "folder:$out/data/finetune" --epochs "$ft_epochs" --batch 25 \
    --lr-schedule "constant:$lr" --seed 1 --unit-variance
done
"$resnet" plot "$out/scratch" "$out/head-only" "$out/full" -o "$out/fine-tuning.png"

step "Fashion-MNIST ResNet-20, all ten classes ($full_epochs epochs, pad-crop-flip augmentation)"
"$resnet" train-artifacts --import-root "$root/specs" "$root/specs/mnist/resnet20.resnet" -o "$out/fashion-full" --force
"$resnet" train "$out/fashion-full" --data "fashion-mnist:$fashion" --epochs "$full_epochs" --batch 128 \
  --lr-schedule "multistep:0.1:$((full_epochs / 2)),$((full_epochs * 3 / 4))" --augment

step "summary (test accuracy after the last epoch)"
for run in pretrain scratch head-only full fashion-full; do
  printf '%-14s %s\n' "$run" "$(tail -1 "$out/$run/metrics.csv" | awk -F, '{printf "%.2f%% (epoch %d, %.0f s)", 100*$5, $1, $7}')"
done
