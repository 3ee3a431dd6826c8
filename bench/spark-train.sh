#!/usr/bin/env bash
# Data-parallel training on Spark against single-process training, one machine, one run, the sides alternating:
# MNIST ResNet-20 (specs/mnist/resnet20.resnet), global batch 128; single-process `resnet train` against
# `resnet-spark train --workers 2 --master local[2]` averaging every K = 1, 4 and 16 steps.
#   bench/spark-train.sh speed [rounds] [train-images]   images/s on a subset (default 3 rounds of 6,400 images):
#       two epochs each, the second one's training images/s (the first pays for JIT, opening the workers' bundles
#       and shipping their data shares)
#   bench/spark-train.sh accuracy K [epochs]              full MNIST, 2 workers (K = 0: single process)
# Needs mvn -B install -DskipTests, and ../shared/data/mnist (or MNIST=DIR).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/.."
out="${BENCH_DIR:-$root/target/bench}"
mnist="${MNIST:-$root/../shared/data/mnist}"
mkdir -p "$out"
lscpu | grep -E 'Model name|^CPU\(s\)'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine slows both sides)"
mode="${1:-speed}"
run() { # name K data epochs [extra…]: K = 0 is single-process resnet train
  local name="$1" k="$2" data="$3" epochs="$4"
  shift 4
  local dir="$out/spark-train-$name"
  "$root/resnet" train-artifacts "$root/specs/mnist/resnet20.resnet" --import-root "$root/specs" -o "$dir" --force >/dev/null
  rm -f "$dir/metrics.csv"
  if [[ "$k" == 0 ]]; then
    "$root/resnet" train "$dir" --data "$data" --epochs "$epochs" --batch 128 "$@"
  else
    "$root/resnet-spark" train "$dir" --data "$data" --epochs "$epochs" --batch 128 --workers 2 \
      --average-every "$k" --master 'local[2]' "$@"
  fi
}
case "$mode" in
  speed)
    rounds="${2:-3}"
    n="${3:-6400}"
    subset="$out/mnist-$n"
    /usr/bin/python3 "$here/mnist_subset.py" "$mnist" "$subset" "$n" 1000
    log="$out/spark-train-speed.log"
    : >"$log"
    for r in $(seq "$rounds"); do
      for k in 0 1 4 16; do
        # The last progress line of epoch 2: images/s over its training steps (evaluation excluded).
        rate="$(run "speed-k$k" "$k" "mnist:$subset" 2 | grep -oE '[0-9]+ img/s' | tail -1 | cut -d' ' -f1)"
        # Test accuracy after the two epochs (1,000 held-out images), from the run's own metrics.csv.
        acc="$(tail -1 "$out/spark-train-speed-k$k/metrics.csv" | cut -d, -f5)"
        echo "round $r K=$k $rate images/s test accuracy $acc" | tee -a "$log"
      done
    done
    /usr/bin/python3 - "$log" <<'PY'
import re, statistics, sys
rates, accs = {}, {}
for line in open(sys.argv[1]):
    m = re.match(r"round (\d+) K=(\d+) (\d+) images/s test accuracy ([\d.]+)", line)
    if m:
        rates.setdefault(int(m.group(2)), {})[int(m.group(1))] = float(m.group(3))
        accs.setdefault(int(m.group(2)), []).append(100 * float(m.group(4)))
single = rates.get(0, {})
print("| run | images/s per round | ratio to single process, median of rounds | test accuracy after 2 epochs |")
print("|---|---|---:|---|")
for k in sorted(rates):
    name = "single process (resnet train)" if k == 0 else f"2 workers, K = {k}"
    ratios = [rates[k][r] / single[r] for r in rates[k] if r in single]
    print(f"| {name} | {', '.join(f'{v:.0f}' for v in rates[k].values())} | {statistics.median(ratios):.2f} |"
          f" {', '.join(f'{a:.2f}%' for a in accs[k])} |")
PY
    ;;
  accuracy)
    k="${2:?K (0 for single process)}"
    epochs="${3:-2}"
    run "accuracy-k$k" "$k" "mnist:$mnist" "$epochs" --lr-schedule multistep:0.1:1
    cat "$out/spark-train-accuracy-k$k/metrics.csv"
    ;;
  *)
    echo "usage: bench/spark-train.sh speed [rounds] [train-images] | accuracy K [epochs]" >&2
    exit 1
    ;;
esac
