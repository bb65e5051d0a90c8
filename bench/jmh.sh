#!/usr/bin/env bash
# JMH benchmarks of the per-request accounting path (issue 5, Performance 3), at 1 and 2 threads.
#
#   bench/jmh.sh                 # full: 1 fork, 3 x 2 s warm-up, 5 x 2 s measurement, per thread count (~15 min)
#   bench/jmh.sh --quick         # smoke: 1 x 1 s warm-up, 2 x 1 s measurement (~4 min)
#   bench/jmh.sh [--quick] CostBenchmark   # only the benchmark classes named (JMH regexes)
#
# Builds bench/jmh (Maven profile -Pbench; CI never builds it) and runs each benchmark class with
# -t 1 and right after with -t 2 (with -prof gc for bytes allocated per op), each time together
# with BaselineBenchmark (pure CPU work, no shared state), which shows how far two threads can
# scale on the machine at that moment. Prints one table: throughput at 1 and 2 threads, ns and
# bytes per op, and scaling, also read against the baseline measured next to it.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT_DIR=$(dirname "$BENCH_DIR")
WARMUP=(-wi 3 -w 2s) MEASURE=(-i 5 -r 2s)
ARGS=()
for a in "$@"; do
  case $a in
    --quick) WARMUP=(-wi 1 -w 1s) MEASURE=(-i 2 -r 1s) ;;
    -h|--help) sed -n '2,/^set -/p' "$0" | grep '^#'; exit 0 ;;
    *) ARGS+=("$a") ;;
  esac
done
command -v java >/dev/null || { echo "java is needed" >&2; exit 1; }
(cd "$ROOT_DIR" && ./mvnw -B -ntp -q -Pbench -pl bench/jmh -am package -DskipTests)
OUT=$BENCH_DIR/out/jmh-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu: $(nproc) x $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "tollgate: $(cd "$ROOT_DIR" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$OUT/meta.txt"
CLASSES=(SseUsageBenchmark JsonUsageBenchmark RequestInspectorBenchmark CostBenchmark BudgetBenchmark MetricsBenchmark AccountingPathBenchmark)
if [ ${#ARGS[@]} -gt 0 ]; then CLASSES=("${ARGS[@]}"); fi
for group in "${CLASSES[@]}"; do
  # t=1 and t=2 back to back, each next to the baseline, so that a machine whose load drifts
  # disturbs the scaling figures as little as possible.
  for t in 1 2; do
    echo "== $group, $t thread(s)" >&2
    java -jar "$BENCH_DIR/jmh/target/benchmarks.jar" -f 1 "${WARMUP[@]}" "${MEASURE[@]}" -t "$t" -prof gc \
      -rf json -rff "$OUT/jmh-$group-t$t.json" "BaselineBenchmark|$group" | tee "$OUT/jmh-$group-t$t.txt" \
      | grep -E '^[A-Z][A-Za-z]+Benchmark\.[A-Za-z]+ ' >&2 || true
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/meta.txt"
python3 "$BENCH_DIR/tools/jmh_table.py" "$OUT" | tee "$OUT/summary.txt"
echo "results in $OUT" >&2
