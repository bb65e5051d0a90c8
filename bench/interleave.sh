#!/usr/bin/env bash
# Compares two Tollgate variants with all their JVMs alive at once (issue 5, Performance 4: keep only
# the wins the benchmark shows). Where compare.sh runs one JVM after the other, this starts --jvms
# JVMs per variant side by side (on ports from 18090) and moves wrk from one to the next every
# --secs, round after round, in an order that reverses each round. A machine that drifts (this one
# does, by up to 2x within minutes: bench/README.md) then moves every JVM alike within a round, and
# the per-round B/A ratios compare like with like.
#
#   bench/interleave.sh --a old.jar --b proxy-server/target/tollgate.jar   # two builds
#   bench/interleave.sh --b-opts "-XX:+UseParallelGC"                      # one build, two JVM option sets
#   bench/interleave.sh --rounds 12 --secs 5 --body sse
#
# Per window: requests per second and the JVM's CPU time per request (/proc). Printed: each
# variant's medians, the B/A ratio of each round (the sums of its JVMs' figures), their median,
# and how many rounds favour B. The idle JVMs poll for at most busy_poll_us after their last
# request, then sleep.
#
# Options:
#   --a JAR / --b JAR         the jars (default: proxy-server/target/tollgate.jar for both)
#   --a-opts / --b-opts OPTS  extra JVM options per variant (default: none)
#   --jvms N (2)  --rounds N (8)  --secs S (5)  --warmup-runs N (5, of 6 s per JVM)
#   --conns C (64)  --body json|sse (json)  --out DIR (bench/out/interleave-<timestamp>)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

A_JAR=$JAR B_JAR=$JAR A_OPTS= B_OPTS= JVMS=2 ROUNDS=8 SECS=5 WARMUP_RUNS=5 CONNS=64 BODY=json OUT=
while [ $# -gt 0 ]; do
  case $1 in
    --a) A_JAR=$2; shift ;;
    --b) B_JAR=$2; shift ;;
    --a-opts) A_OPTS=$2; shift ;;
    --b-opts) B_OPTS=$2; shift ;;
    --jvms) JVMS=$2; shift ;;
    --rounds) ROUNDS=$2; shift ;;
    --secs) SECS=$2; shift ;;
    --warmup-runs) WARMUP_RUNS=$2; shift ;;
    --conns) CONNS=$2; shift ;;
    --body) BODY=$2; shift ;;
    --out) OUT=$2; shift ;;
    -h|--help) sed -n '2,/^set -/p' "$0" | grep '^#'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done
case $BODY in json|sse) ;; *) die "--body is json or sse" ;; esac

bench_prepare
for jar in "$A_JAR" "$B_JAR"; do [ -f "$jar" ] || die "no such jar: $jar"; done
check_ports "$UPSTREAM_PORT"
OUT=${OUT:-$BENCH_DIR/out/interleave-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "A: $A_JAR ($(sha256sum "$A_JAR" | cut -c1-12)) opts: ${A_OPTS:-none}"
  echo "B: $B_JAR ($(sha256sum "$B_JAR" | cut -c1-12)) opts: ${B_OPTS:-none}"
  echo "plan: $JVMS JVMs per variant alive at once, $ROUNDS rounds of ${SECS}s per JVM, c=$CONNS, body: $BODY"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/meta.txt" >&2

start_nginx upstream "$OUT" "$UPSTREAM_PORT" "$UPSTREAM_WORKERS" "$SLOW_RATE"

# One JVM per name (A1 B1 A2 B2 ...), each on its own port pair.
declare -A JVM_PID JVM_PORT
NAMES=()
for i in $(seq 1 "$JVMS"); do NAMES+=("A$i" "B$i"); done
index=0
for name in "${NAMES[@]}"; do
  if [ "${name:0:1}" = A ]; then jar=$A_JAR opts=$A_OPTS; else jar=$B_JAR opts=$B_OPTS; fi
  port=$((18090 + index)) admin=$((19470 + index))
  index=$((index + 1))
  check_ports "$port" "$admin"
  # shellcheck disable=SC2086 # opts is a list of JVM options
  TG_BENCH_PORT=$port TG_BENCH_ADMIN_PORT=$admin TG_BENCH_UPSTREAM_PORT=$UPSTREAM_PORT \
    java -Xms512m -Xmx512m $TOLLGATE_JAVA_OPTS $opts -jar "$jar" serve --config "$BENCH_DIR/tollgate-bench.yaml" \
    >>"$OUT/tollgate-$name.log" 2>&1 &
  JVM_PID[$name]=$! JVM_PORT[$name]=$port
  BENCH_PIDS+=("$!")
  wait_http "http://127.0.0.1:$admin/readyz" 60 || die "JVM $name did not start; see $OUT/tollgate-$name.log"
done
log "${#NAMES[@]} JVMs up: ${NAMES[*]}"

file=$BENCH_DIR/payloads/chat-request.json
[ "$BODY" = sse ] && file=$BENCH_DIR/payloads/chat-request-stream.json

# measure NAME SECS ROUND: one window of load on one JVM; appends "round name req/s cpu_us errors".
measure() {
  local name=$1 secs=$2 round=$3 t0 t1 summary
  t0=$(cpu_ticks "${JVM_PID[$name]}")
  summary=$(run_wrk "$OUT/wrk.txt" "http://127.0.0.1:${JVM_PORT[$name]}/$BODY/v1/chat/completions" "$file" "$CONNS" \
    "${WRK_THREADS:-2}" "$secs")
  t1=$(cpu_ticks "${JVM_PID[$name]}")
  echo "$round $name $(window_figures "$summary" "$t0" "$t1")"
}

for run in $(seq 1 "$WARMUP_RUNS"); do
  for name in "${NAMES[@]}"; do measure "$name" 6 warm >/dev/null; done
done
log "warmed up: $WARMUP_RUNS runs of 6 s per JVM"

order=("${NAMES[@]}")
for round in $(seq 1 "$ROUNDS"); do
  for name in "${order[@]}"; do
    measure "$name" "$SECS" "$round" | tee -a "$OUT/rows.txt" >&2
  done
  reversed=()
  for ((i = ${#order[@]} - 1; i >= 0; i--)); do reversed+=("${order[$i]}"); done
  order=("${reversed[@]}")
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/meta.txt" >&2

python3 - "$OUT/rows.txt" <<'PY' | tee "$OUT/summary.txt"
import collections, statistics, sys
rounds = collections.defaultdict(lambda: collections.defaultdict(list))  # round -> variant -> [(rps, cpu)]
errors = 0
for line in open(sys.argv[1]):
    rnd, name, rps, cpu, err = line.split()
    rounds[rnd][name[0]].append((float(rps), float(cpu)))
    errors += int(err)
print("%-8s %9s %9s" % ("variant", "req/s", "cpu us/r"))
for v in "AB":
    windows = [w for r in rounds.values() for w in r[v]]
    print("%-8s %9.0f %9.1f   (medians of %d windows)" % (v, statistics.median(w[0] for w in windows),
                                                          statistics.median(w[1] for w in windows), len(windows)))
def ratios(i):
    return [sum(w[i] for w in r["B"]) / sum(w[i] for w in r["A"]) for r in rounds.values()]
for label, i, better in (("req/s", 0, lambda x: x > 1), ("cpu us/r", 1, lambda x: x < 1)):
    rs = ratios(i)
    print("B/A %-8s median %.3f; per round %s; B better in %d of %d rounds" % (
        label, statistics.median(rs), " ".join("%.2f" % x for x in rs), sum(map(better, rs)), len(rs)))
if errors:
    print("wrk reported %d errors: see wrk.txt" % errors)
PY
log "results in $OUT"
