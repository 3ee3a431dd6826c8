#!/usr/bin/env bash
# The measurements behind the quantizer's defaults (docs/quantization.md): ResNet-18 at batch 1 and ResNet-50 at
# batch 8, our fp32 export against int8 variants — QDQ vs QLinearConv, uint8 vs int8 activations, first conv in
# float, classifier in int8 — all in one `resnet bench` process per round, alternating batch by batch; the speed-up
# reported per variant is the median over rounds of (variant images/s ÷ fp32 images/s).
# Needs a built CLI (mvn -B install -DskipTests).
#   bench/int8-choices.sh [rounds] [iters18] [iters50]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/.."
out="${BENCH_DIR:-$root/target/bench}"
mkdir -p "$out"
rounds="${1:-3}"
iters18="${2:-40}"
iters50="${3:-8}"
grep -m1 'model name' /proc/cpuinfo
echo "flags: $(grep -m1 -o -w -E 'avx2|avx512f|avx512_vnni|avx_vnni' /proc/cpuinfo | sort -u | tr '\n' ' ')"
variants=("qdq-u8:--keep-float classifier"
          "qlinear-u8:--format qlinear --keep-float classifier"
          "qdq-s8:--activations int8 --keep-float classifier"
          "qdq-u8-float-first-conv:--keep-float first-conv,classifier"
          "qdq-u8-int8-classifier:--keep-float none")
log="$out/int8-choices.log"
: >"$log"
for m in resnet18 resnet50; do
    "$root/resnet" export "$root/specs/imagenet/$m.resnet" -o "$out/$m.onnx" >/dev/null
    for v in "${variants[@]}"; do
        # Speed does not depend on the calibration images; the sample images keep this self-contained.
        "$root/resnet" quantize "$out/$m.onnx" -o "$out/$m-${v%%:*}.onnx" --calibrate "$root/samples/images" \
            ${v#*:} >/dev/null 2>&1
    done
done
for r in $(seq "$rounds"); do
    for spec in "resnet18 1 $iters18" "resnet50 8 $iters50"; do
        set -- $spec
        args=()
        for v in "${variants[@]}"; do args+=(--vs "$out/$1-${v%%:*}.onnx"); done
        echo "round $r $1 batch $2" | tee -a "$log"
        "$root/resnet" bench "$out/$1.onnx" "${args[@]}" --batch "$2" --iters "$3" --warmup 3 | tee -a "$log"
    done
done
/usr/bin/python3 - "$log" <<'PY'
import re, statistics, sys
rounds, current = [], None
for line in open(sys.argv[1]):
    m = re.match(r"round \d+ (\S+) batch (\d+)", line)
    if m:
        current = {"model": m.group(1), "batch": m.group(2), "rates": {}}
        rounds.append(current)
        continue
    m = re.match(r"\S*/(resnet\d+)(-[\w-]+)?\.onnx\s+(?:int8\s+)?([\d.]+) images/s", line)
    if m and current:
        current["rates"][(m.group(2) or "-fp32")[1:]] = float(m.group(3))
print("| model, batch | variant | int8 ÷ fp32, median (per round) |")
print("|---|---|---|")
for model in ("resnet18", "resnet50"):
    rs = [r for r in rounds if r["model"] == model]
    for v in [k for k in rs[0]["rates"] if k != "fp32"]:
        ratios = [r["rates"][v] / r["rates"]["fp32"] for r in rs]
        print("| %s, %s | %s | **%.2f×** (%s) |" % (model, rs[0]["batch"], v, statistics.median(ratios),
              ", ".join("%.2f" % x for x in ratios)))
PY
