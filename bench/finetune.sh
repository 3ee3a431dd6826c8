#!/usr/bin/env bash
# Step time of fine-tuning against full training (issue 10): ResNet-18 (torchvision's layout, 224x224, a
# 10-class head) at batch 16 — every layer trained, only the last stage (conv5_x) and the head trained, and the
# head alone — each a training bundle timed with `resnet bench-train`. The three alternate round by round, so
# that they see the same machine state; the ratios are the medians of the per-round ratios to full training.
# Needs a built CLI (mvn -B install -DskipTests). Writes target/bench/finetune-*.
#   bench/finetune.sh [rounds] [steps]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/.."
out="${BENCH_DIR:-$root/target/bench}"
mkdir -p "$out"
rounds="${1:-3}"
steps="${2:-3}"
grep -m1 'model name' /proc/cpuinfo
grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|fma|avx512f|avx512_vnni|avx_vnni|avx512_bf16)$' | tr '\n' ' '; echo
nproc
spec="$out/finetune18.resnet"
sed -e 's/classes 1000/classes 10/' -e 's/model ResNet18/model ResNet18Birds/' \
    "$root/specs/imagenet/resnet18.resnet" > "$spec"
"$root/resnet" train-artifacts "$spec" -o "$out/finetune-full" --force >/dev/null
"$root/resnet" train-artifacts "$spec" -o "$out/finetune-last" --force --freeze stem,conv2_x,conv3_x,conv4_x >/dev/null
"$root/resnet" train-artifacts "$spec" -o "$out/finetune-head" --force --freeze backbone >/dev/null
log="$out/finetune-bench.log"
: >"$log"
for r in $(seq "$rounds"); do
  echo "round $r" | tee -a "$log"
  for way in full last head; do
    "$root/resnet" bench-train "$out/finetune-$way" --batch 16 --steps "$steps" --warmup 2 \
      | sed "s/^/$way /" | tee -a "$log"
  done
done
python3 - "$log" <<'PY'
import re, statistics, sys
rates = {}
for line in open(sys.argv[1]):
    m = re.match(r"(full|last|head) .*?([\d.]+) images/s", line)
    if m:
        rates.setdefault(m.group(1), []).append(float(m.group(2)))
print("| trained | images/s (per round) | speed vs full training, median of rounds |")
print("|---|---|---:|")
names = {"full": "every layer", "last": "conv5_x + head (stem, conv2_x-conv4_x frozen)", "head": "head only (backbone frozen)"}
for way in ("full", "last", "head"):
    r = rates.get(way, [])
    ratios = [v / f for v, f in zip(r, rates.get("full", []))]
    print("| %s | %s | **%.2f×** |" % (names[way], ", ".join("%.2f" % v for v in r), statistics.median(ratios) if ratios else float("nan")))
PY
