#!/usr/bin/env bash
# Int8 accuracy on a ResNet-20 trained with the project's own trainer on Fashion-MNIST (Debian's
# dataset-fashion-mnist: /usr/share/datasets/fashion-mnist): calibration on training images, comparison with the
# float model on all 10,000 test images (never seen by training or calibration), for each calibration method, a few
# image counts and the float-layer choices. Trains the model first unless BUNDLE already holds a trained one (that
# takes a while: about 20 minutes an epoch on 2 busy cores).
# Needs a built CLI (mvn -B install -DskipTests) and Debian's /usr/bin/python3 with python3-onnx.
#   bench/int8-accuracy.sh [BUNDLE] [DATA]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/.."
out="${BENCH_DIR:-$root/target/bench}"
mkdir -p "$out"
bundle="${1:-$out/fashion-resnet20}"
data="${2:-/usr/share/datasets/fashion-mnist}"
spec="$root/specs/mnist/resnet20.resnet"
if [ ! -f "$bundle/metrics.csv" ]; then
    "$root/resnet" train-artifacts "$spec" --import-root "$root/specs" -o "$bundle"
    "$root/resnet" train "$bundle" --data "mnist:$data" --epochs 4 --batch 64 --lr-schedule multistep:0.1:2,3
fi
tail -1 "$bundle/metrics.csv"
model="$out/fashion-resnet20.onnx"
# The bundle's export carries the trainer's preprocessing, which calibration and the comparison read.
"$root/resnet" export "$bundle" -o "$model"
log="$out/int8-accuracy.log"
: >"$log"
run() {
    local label="$1"
    shift
    echo "== $label" | tee -a "$log"
    "$root/resnet" quantize "$model" -o "$out/fashion-int8.onnx" --calibrate "mnist:$data" --compare 10000 "$@" \
        | grep -E 'held-out' | tee -a "$log"
    /usr/bin/python3 "$here/onnx_check.py" "$out/fashion-int8.onnx" | tee -a "$log"
}
for method in minmax percentile entropy; do
    for images in 64 512 2048; do
        run "$method $images" --method "$method" --images "$images"
    done
done
run "minmax 512 first conv float" --images 512 --keep-float first-conv,classifier
run "minmax 512 classifier int8" --images 512 --keep-float none
run "minmax 512 int8 activations" --images 512 --activations int8
for seed in 1 2; do
    run "minmax 512 seed $seed" --images 512 --calibration-seed "$seed"
done
/usr/bin/python3 - "$log" <<'PY'
import re, sys
print("| calibration | float acc | int8 acc | Δ points | top-1 agreement |")
print("|---|---:|---:|---:|---:|")
label = None
for line in open(sys.argv[1]):
    if line.startswith("== "):
        label = line[3:].strip()
        continue
    m = re.search(r"agreement ([\d.]+)% \((\d+)/(\d+)\); accuracy float ([\d.]+)%, int8 ([\d.]+)% \(([-+\d.]+) points\)", line)
    if m:
        print("| %s | %s%% | %s%% | %s | %s%% |" % (label, m.group(4), m.group(5), m.group(6), m.group(1)))
PY
