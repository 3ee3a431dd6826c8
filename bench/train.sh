#!/usr/bin/env bash
# Training throughput, ours (ONNX Runtime, resnet bench-train) against PyTorch on CPU, one machine, one run:
# the CIFAR ResNet-20 at batch 128 and ResNet-50 at batch 16, SGD with momentum, random data.
# The two sides alternate, round by round, so that both see the same machine state; the ratio reported is
# the median of the per-round ratios (ours images/s over PyTorch's).
# Needs a built CLI (mvn -B install -DskipTests) and Debian's /usr/bin/python3 with python3-torch.
#   bench/train.sh [rounds] [steps20] [steps50]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/.."
out="${BENCH_DIR:-$root/target/bench}"
mkdir -p "$out"
rounds="${1:-3}"
steps20="${2:-5}"
steps50="${3:-3}"
lscpu | grep -E 'Model name|^CPU\(s\)'
"$root/resnet" train-artifacts "$root/specs/cifar/resnet20.resnet" -o "$out/train_r20" --force >/dev/null
"$root/resnet" train-artifacts "$root/specs/imagenet/resnet50.resnet" -o "$out/train_r50" --force >/dev/null
log="$out/train-bench.log"
: >"$log"
for r in $(seq "$rounds"); do
    echo "round $r" | tee -a "$log"
    "$root/resnet" bench-train "$out/train_r20" --batch 128 --steps "$steps20" --warmup 2 | sed 's/^/ours resnet20 /' | tee -a "$log"
    /usr/bin/python3 "$here/pytorch_train_step.py" resnet20 128 "$steps20" 2 | sed 's/^/torch resnet20 /' | tee -a "$log"
    "$root/resnet" bench-train "$out/train_r50" --batch 16 --steps "$steps50" --warmup 2 | sed 's/^/ours resnet50 /' | tee -a "$log"
    /usr/bin/python3 "$here/pytorch_train_step.py" resnet50 16 "$steps50" 2 | sed 's/^/torch resnet50 /' | tee -a "$log"
done
/usr/bin/python3 - "$log" <<'PY'
import re, statistics, sys
rates = {}
for line in open(sys.argv[1]):
    m = re.match(r"(ours|torch) (resnet\d+) .*?([\d.]+) images/s", line)
    if m:
        rates.setdefault((m.group(1), m.group(2)), []).append(float(m.group(3)))
print("| model | ours images/s (per round) | PyTorch images/s (per round) | ratio, median of rounds |")
print("|---|---|---|---:|")
for model in ("resnet20", "resnet50"):
    ours, torch = rates.get(("ours", model), []), rates.get(("torch", model), [])
    ratios = [o / t for o, t in zip(ours, torch)]
    if ratios:
        print("| %s | %s | %s | **%.2f×** (%s) |" % (
            model, ", ".join("%.1f" % v for v in ours), ", ".join("%.1f" % v for v in torch),
            statistics.median(ratios), ", ".join("%.2f" % v for v in ratios)))
PY
