#!/usr/bin/env bash
# What the bundle's check that no training step commits a NaN or an infinity costs next to the step: the CIFAR
# ResNet-20 at batch 128 and ResNet-50 at batch 16 on CPU (see docs/security.md for the numbers). Times are
# medians of alternating rounds in one process; a shared machine makes them noisy, the ratio less so.
# Needs `mvn -B install -DskipTests` (it runs the benchmark class from the training module's test classes).
#   bench/finite_check.sh [rounds]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/.."
out="${BENCH_DIR:-$root/target/bench}"
rounds="${1:-9}"
mkdir -p "$out"
export ORT_DISABLE_TELEMETRY="${ORT_DISABLE_TELEMETRY-1}"
"$root/resnet" train-artifacts "$root/specs/cifar/resnet20.resnet" -o "$out/finite_r20" --force >/dev/null
"$root/resnet" train-artifacts "$root/specs/imagenet/resnet50.resnet" -o "$out/finite_r50" --force >/dev/null
cp="$root/training/target/test-classes:$root/cli/target/resnet-cli.jar"
java -cp "$cp" dev.resnetdsl.training.bundle.FiniteCheckBenchmark "$out/finite_r20" 128 "$rounds"
java -cp "$cp" dev.resnetdsl.training.bundle.FiniteCheckBenchmark "$out/finite_r50" 16 "$rounds" | grep -v '^CPU'
