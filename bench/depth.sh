#!/usr/bin/env bash
# Training cost against depth (docs/training-graphs.md, "Depth"): for the paper's CIFAR ResNet-20/56/110/1202,
# the time to write the bundle (train-artifacts), to open it, and of a step at batch 8, the step graph's nodes and
# the peak resident memory; then the same graphs unrolled (no loops) for ResNet-20/56/110, alternating with the
# looped ones process by process; then ResNet-1202's memory at batch 32 and 128. Wall times depend on what else
# runs on the machine, so CPU times (the process's, ONNX Runtime's threads included) are printed next to them.
# Needs a built CLI (mvn -B install -DskipTests) and GNU time (/usr/bin/time).
#   bench/depth.sh [rounds] [memory]     rounds of the looped/unrolled comparison (default 2); memory: yes|no
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/.."
out="${BENCH_DIR:-$root/target/bench/depth}"
mkdir -p "$out"
export ORT_DISABLE_TELEMETRY="${ORT_DISABLE_TELEMETRY-1}"
rounds="${1:-2}"
memory="${2:-yes}"
jar="$root/cli/target/resnet-cli.jar"
log="$out/depth.log"
: >"$log"

lscpu | grep -E 'Model name|^CPU\(s\)|Flags' | sed 's/^Flags:\s*/Flags: /' | cut -c1-200
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# timed LABEL CMD...: runs CMD under GNU time; appends "LABEL wall=… cpu=… rss_mb=…" and CMD's output to the log.
timed() {
    local label="$1"
    shift
    local t="$out/time.txt"
    /usr/bin/time -o "$t" -f "wall=%e user=%U sys=%S rss_kb=%M" "$@" >"$out/cmd.txt" 2>&1 || {
        cat "$out/cmd.txt" >&2
        return 1
    }
    local w u s r
    w=$(sed -n 's/.*wall=\([0-9.]*\).*/\1/p' "$t")
    u=$(sed -n 's/.*user=\([0-9.]*\).*/\1/p' "$t")
    s=$(sed -n 's/.*sys=\([0-9.]*\).*/\1/p' "$t")
    r=$(sed -n 's/.*rss_kb=\([0-9]*\).*/\1/p' "$t")
    echo "$label wall=$w cpu=$(awk "BEGIN {print $u + $s}") rss_mb=$((r / 1024))" | tee -a "$log"
    sed "s/^/$label | /" "$out/cmd.txt" >>"$log"
}

echo "== the looped bundles: train-artifacts, then bench-train --batch 8 --steps 3 --warmup 0"
for n in 20 56 110 1202; do
    timed "artifacts$n" "$root/resnet" train-artifacts "$root/specs/cifar/resnet$n.resnet" -o "$out/r$n" --force
    timed "bench$n" "$root/resnet" bench-train "$out/r$n" --batch 8 --steps 3 --warmup 0
done
echo "== the issue's check: ResNet-1202, train-artifacts then one step at batch 8"
timed "done_artifacts" "$root/resnet" train-artifacts "$root/specs/cifar/resnet1202.resnet" -o "$out/r1202" --force
timed "done_step" "$root/resnet" bench-train "$out/r1202" --batch 8 --steps 1 --warmup 0

echo "== looped against unrolled graphs (bench/DepthBench.java, one process each, alternating)"
for r in $(seq "$rounds"); do
    for n in 20 56 110; do
        for variant in loops unrolled; do
            java -cp "$jar" "$here/DepthBench.java" "$root/specs/cifar/resnet$n.resnet" "$variant" 8 4 |
                sed "s/^/depthbench round=$r /" | tee -a "$log"
        done
    done
done

if [ "$memory" = yes ]; then
    echo "== ResNet-1202's memory at batch 32 and 128 (one step each after the first)"
    timed "mem32" "$root/resnet" bench-train "$out/r1202" --batch 32 --steps 2 --warmup 0
    timed "mem128" "$root/resnet" bench-train "$out/r1202" --batch 128 --steps 1 --warmup 0
fi

echo "== ResNet-1202's layout on MNIST: 100 steps at batch 8, lr 0.05 (bench/TrainSteps.java)"
"$root/resnet" train-artifacts "$root/specs/mnist/resnet1202.resnet" --import-root "$root/specs" -o "$out/m1202" --force
java -cp "$jar" "$here/TrainSteps.java" "$out/m1202" "mnist:$root/samples/mnist-subset" 8 100 0.05 | tail -n 3

/usr/bin/python3 - "$log" <<'PY'
import re, statistics, sys
lines = open(sys.argv[1]).read().splitlines()
def kv(line):
    return dict(re.findall(r"(\w+)=([^ ]+)", line))
timed = {}
for l in lines:
    m = re.match(r"(\w+) wall=", l)
    if m:
        timed[m.group(1)] = kv(l)
detail = {}
for l in lines:
    m = re.match(r"(bench\d+|done_step|mem\d+) \|\s+opened in ([\d.]+) s \(([\d.]+) s CPU\); first step ([\d.]+) s \(([\d.]+) s CPU\); timed steps ([\d.]+) s CPU each; .*?: ([\d,]+) nodes(?: \((\d+) loops[^)]*\), ([\d,]+) run per step)?; peak resident memory ([\d.]+) GB", l)
    if m:
        detail[m.group(1)] = m.groups()[1:]
print()
print("| model | step graph nodes: file (run per step) | train-artifacts wall / CPU | open wall / CPU | first step wall / CPU | later step CPU | peak RSS |")
print("|---|---|---|---|---|---|---|")
for n in (20, 56, 110, 1202):
    a, d = timed.get("artifacts%d" % n), detail.get("bench%d" % n)
    if not a or not d:
        continue
    o, oc, f, fc, later, nodes, loops, run, rss = d
    print("| ResNet-%d | %s (%s) | %.1f s / %.1f s | %s s / %s s | %s s / %s s | %s s | %s GB |" % (
        n, nodes, run or nodes, float(a["wall"]), float(a["cpu"]), o, oc, f, fc, later, rss))
a, s = timed.get("done_artifacts"), timed.get("done_step")
if a and s:
    print()
    print("ResNet-1202, train-artifacts then one step at batch 8: %.1f s + %.1f s = **%.1f s wall** (%.1f s CPU)" % (
        float(a["wall"]), float(s["wall"]), float(a["wall"]) + float(s["wall"]), float(a["cpu"]) + float(s["cpu"])))
rows = {}
for l in lines:
    if l.startswith("depthbench"):
        d = kv(l)
        rows.setdefault((d["model"], d["variant"]), []).append(d)
if rows:
    print()
    print("| model | graph | nodes: file (run per step) | open train_step CPU (median) | later step CPU (median) | peak RSS (median) |")
    print("|---|---|---|---|---|---|")
    for model in ("ResNet20", "ResNet56", "ResNet110"):
        for variant in ("loops", "unrolled"):
            rs = rows.get((model, variant))
            if not rs:
                continue
            med = lambda k: statistics.median(float(r[k]) for r in rs)
            print("| %s | %s | %s (%s) | %.2f s | %.3f s | %d MB |" % (
                model, variant, rs[0]["file_nodes"], rs[0]["step_nodes"], med("open_train_cpu_s"),
                med("later_step_cpu_s"), med("peak_rss_mb")))
for b in (32, 128):
    d = detail.get("mem%d" % b)
    if d:
        print("ResNet-1202 at batch %d: peak RSS %s GB, first step %s s wall (%s s CPU), later step %s s CPU" % (
            b, d[8], d[2], d[3], d[4]))
PY
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
