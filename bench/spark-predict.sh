#!/usr/bin/env bash
# Batch prediction on Spark against single-process prediction, one machine, one JVM, the sides alternating:
# resnet predict against resnet-spark predict in local[2] on the same JPEG files and model (torchvision's ResNet-18
# from ../shared unless MODEL is set), reporting images/s, the median ratio and the ONNX Runtime sessions opened.
#   bench/spark-predict.sh [images] [rounds] [maven args…]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/.."
images="${1:-200}"
rounds="${2:-3}"
shift $(( $# > 2 ? 2 : $# ))
lscpu | grep -E 'Model name|^CPU\(s\)'
mvn -B -q -f "$root/pom.xml" -pl spark -o test "$@" -Dtest=PredictBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench=true -Dbench.images="$images" -Dbench.rounds="$rounds" -Dbench.model="${MODEL:-}" \
  -Dresnet.shared="${RESNET_SHARED:-$root/../shared}" -Dspotless.apply.skip=true 2>&1 \
  | grep -E '^(round|median|warm-up|model name)|images/s' || true
