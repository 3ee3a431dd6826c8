#!/usr/bin/env bash
# Int8 inference speed on CPU, one machine, one run: ResNet-50 at batch 8 and ResNet-18 at batch 1, our int8 model
# (resnet quantize, default choices) against our fp32 export — both in one `resnet bench` process, alternating batch
# by batch — and against PyTorch's own int8 (torchvision.models.quantization, post-training static quantization;
# fbgemm, or oneDNN where the build has no fbgemm). The sides alternate round by round; ratios are medians of the
# per-round ratios. PyTorch runs twice per round: with OpenMP's default (active) waiting, and with
# OMP_WAIT_POLICY=PASSIVE, which on a machine shared with other work is several times faster for it.
# Needs a built CLI (mvn -B install -DskipTests) and Debian's /usr/bin/python3 with python3-torchvision.
#   bench/int8.sh [rounds] [iters50] [iters18]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/.."
out="${BENCH_DIR:-$root/target/bench}"
mkdir -p "$out"
rounds="${1:-3}"
iters50="${2:-8}"
iters18="${3:-40}"
grep -m1 'model name' /proc/cpuinfo
echo "cores: $(nproc); flags: $(grep -m1 -o -w -E 'avx2|avx512f|avx512bw|avx512_vnni|avx_vnni|amx_int8' /proc/cpuinfo | sort -u | tr '\n' ' ')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for m in resnet50 resnet18; do
    "$root/resnet" export "$root/specs/imagenet/$m.resnet" -o "$out/$m.onnx" >/dev/null
    # Speed does not depend on the calibration images; the sample images keep this self-contained.
    "$root/resnet" quantize "$out/$m.onnx" -o "$out/$m-int8.onnx" --calibrate "$root/samples/images" >/dev/null 2>&1
done
/usr/bin/python3 "$here/onnx_check.py" "$out/resnet50-int8.onnx" "$out/resnet18-int8.onnx"
log="$out/int8-bench.log"
: >"$log"
for r in $(seq "$rounds"); do
    for spec in "resnet50 8 $iters50" "resnet18 1 $iters18"; do
        set -- $spec
        echo "round $r $1 batch $2" | tee -a "$log"
        "$root/resnet" bench "$out/$1-int8.onnx" --vs "$out/$1.onnx" --batch "$2" --iters "$3" --warmup 3 | tee -a "$log"
        /usr/bin/python3 "$here/pytorch_int8.py" "$1" "$2" "$3" 3 | tee -a "$log"
        OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 "$here/pytorch_int8.py" "$1" "$2" "$3" 3 | sed 's/^pytorch /pytorch-passive /' | tee -a "$log"
    done
done
/usr/bin/python3 - "$log" <<'PY'
import re, statistics, sys
rows = {}
model = None
for line in open(sys.argv[1]):
    m = re.match(r"round (\d+) (\S+) batch (\d+)", line)
    if m:
        model = (m.group(2), m.group(3))
        current = rows.setdefault(model, [])
        current.append({})
        continue
    m = re.match(r"\S*/resnet\d+(-int8)?\.onnx\s+(?:int8\s+)?([\d.]+) images/s", line)
    if m:
        current[-1]["int8" if m.group(1) else "fp32"] = float(m.group(2))
    m = re.match(r"(pytorch(?:-passive)?) int8 (\S+) .*?([\d.]+) images/s", line)
    if m:
        current[-1][m.group(1)] = float(m.group(3))
        current[-1]["engine"] = m.group(2)
def med(values):
    return "**%.2f×** (%s)" % (statistics.median(values), ", ".join("%.2f" % v for v in values))
print("| model, batch | ours int8 images/s | ours fp32 | PyTorch int8 (%s), default / passive wait | int8 ÷ our fp32 | ours ÷ PyTorch int8, default / passive |"
      % next(iter(rows.values()))[0].get("engine", "?"))
print("|---|---|---|---|---|---|")
for (name, batch), rs in rows.items():
    print("| %s, %s | %s | %s | %s / %s | %s | %s / %s |" % (
        name, batch,
        ", ".join("%.1f" % r["int8"] for r in rs), ", ".join("%.1f" % r["fp32"] for r in rs),
        ", ".join("%.1f" % r["pytorch"] for r in rs), ", ".join("%.1f" % r["pytorch-passive"] for r in rs),
        med([r["int8"] / r["fp32"] for r in rs]),
        med([r["int8"] / r["pytorch"] for r in rs]), med([r["int8"] / r["pytorch-passive"] for r in rs])))
PY
