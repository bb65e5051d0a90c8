#!/usr/bin/env bash
# Compares two Tollgate variants in alternating fresh JVMs (issue 5, Performance 4: keep only the
# wins the benchmark shows). A variant is a jar plus JVM options; the pairs alternate A B, B A, ...
# so that a machine that drifts slower over the run favours neither.
#
#   bench/compare.sh --a old.jar --b proxy-server/target/tollgate.jar           # two builds
#   bench/compare.sh --b-opts "-XX:+UseParallelGC"                              # one build, two JVM option sets
#   bench/compare.sh --b-env "TG_BENCH_IO_THREADS=1"                            # two settings of tollgate-bench.yaml
#   bench/compare.sh --pairs 6 --warmup 20 --secs 6 --bodies "json sse"
#
# Per JVM: warm-up at c=64 per body, then --reps measurements of --secs each per body; the JVM's
# figure is the median of its reps. Printed per variant and body: the median over JVMs of req/s and
# of CPU µs per request (the whole JVM, from /proc), each JVM's figure, and B/A. CPU per request is
# the figure to trust on a shared machine; req/s also moves with what else runs.
#
# Options:
#   --a JAR / --b JAR         the jars (default: proxy-server/target/tollgate.jar for both)
#   --a-opts / --b-opts OPTS  extra JVM options per variant (default: none)
#   --a-env / --b-env VARS    NAME=VALUE pairs in the variant's environment, e.g. the TG_BENCH_*
#                             settings that bench/tollgate-bench.yaml reads (default: none)
#   --pairs N (4)  --warmup S (20)  --secs S (5)  --reps N (3)  --conns C (64)  --bodies "json sse"
#   --out DIR                 where results go (default bench/out/compare-<timestamp>)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

A_JAR=$JAR B_JAR=$JAR A_OPTS= B_OPTS= A_ENV= B_ENV= PAIRS=4 WARMUP=20 SECS=5 REPS=3 CONNS=64 BODIES="json sse" OUT=
while [ $# -gt 0 ]; do
  case $1 in
    --a) A_JAR=$2; shift ;;
    --b) B_JAR=$2; shift ;;
    --a-opts) A_OPTS=$2; shift ;;
    --b-opts) B_OPTS=$2; shift ;;
    --a-env) A_ENV=$2; shift ;;
    --b-env) B_ENV=$2; shift ;;
    --pairs) PAIRS=$2; shift ;;
    --warmup) WARMUP=$2; shift ;;
    --secs) SECS=$2; shift ;;
    --reps) REPS=$2; shift ;;
    --conns) CONNS=$2; shift ;;
    --bodies) BODIES=$2; shift ;;
    --out) OUT=$2; shift ;;
    -h|--help) sed -n '2,/^set -/p' "$0" | grep '^#'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done

bench_prepare
for jar in "$A_JAR" "$B_JAR"; do [ -f "$jar" ] || die "no such jar: $jar"; done
check_ports "$UPSTREAM_PORT" "$TOLLGATE_PORT" "$ADMIN_PORT"
OUT=${OUT:-$BENCH_DIR/out/compare-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "A: $A_JAR ($(sha256sum "$A_JAR" | cut -c1-12)) opts: ${A_OPTS:-none} env: ${A_ENV:-none}"
  echo "B: $B_JAR ($(sha256sum "$B_JAR" | cut -c1-12)) opts: ${B_OPTS:-none} env: ${B_ENV:-none}"
  echo "plan: $PAIRS pairs, warm-up ${WARMUP}s per body, $REPS x ${SECS}s per body, c=$CONNS, bodies: $BODIES"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/meta.txt" >&2

start_nginx upstream "$OUT" "$UPSTREAM_PORT" "$UPSTREAM_WORKERS" "$SLOW_RATE"

# measure_jvm VARIANT PAIR: one fresh JVM of the variant; appends "variant body pair rep req/s cpu_us" rows.
measure_jvm() {
  local variant=$1 pair=$2 jar opts vars body file url rep t0 t1 summary assignment
  if [ "$variant" = A ]; then jar=$A_JAR opts=$A_OPTS vars=$A_ENV; else jar=$B_JAR opts=$B_OPTS vars=$B_ENV; fi
  for assignment in $vars; do export "${assignment?}"; done
  # shellcheck disable=SC2086 # opts is a list of JVM options
  JAR=$jar start_tollgate "$OUT" "${TOLLGATE_HEAP:-512m}" $opts
  for assignment in $vars; do unset "${assignment%%=*}"; done
  for body in $BODIES; do
    file=$BENCH_DIR/payloads/chat-request.json
    [ "$body" = sse ] && file=$BENCH_DIR/payloads/chat-request-stream.json
    url=http://127.0.0.1:$TOLLGATE_PORT/$body/v1/chat/completions
    run_wrk "$OUT/warm.txt" "$url" "$file" "$CONNS" "${WRK_THREADS:-2}" "$WARMUP" >/dev/null
    for rep in $(seq 1 "$REPS"); do
      t0=$(cpu_ticks "$TOLLGATE_PID")
      summary=$(run_wrk "$OUT/wrk-$variant-$pair-$body-$rep.txt" "$url" "$file" "$CONNS" "${WRK_THREADS:-2}" "$SECS")
      t1=$(cpu_ticks "$TOLLGATE_PID")
      echo "$variant $body $pair $rep $(window_figures "$summary" "$t0" "$t1")" | tee -a "$OUT/rows.txt" >&2
    done
  done
  stop_tollgate
}

for pair in $(seq 1 "$PAIRS"); do
  if [ $((pair % 2)) -eq 1 ]; then order="A B"; else order="B A"; fi
  for variant in $order; do
    log "pair $pair/$PAIRS: variant $variant"
    measure_jvm "$variant" "$pair"
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/meta.txt" >&2

python3 - "$OUT/rows.txt" <<'PY' | tee "$OUT/summary.txt"
import collections, statistics, sys
rows = collections.defaultdict(list)  # (variant, body, pair) -> [(rps, cpu)]
errors = 0
for line in open(sys.argv[1]):
    variant, body, pair, rep, rps, cpu, err = line.split()
    rows[(variant, body, int(pair))].append((float(rps), float(cpu)))
    errors += int(err)
bodies = sorted({b for _, b, _ in rows})
print("Per JVM: median of its reps. Per variant: median over JVMs.")
print("%-5s %-8s %9s %9s   %s" % ("body", "variant", "req/s", "cpu us/r", "cpu us/r per JVM"))
for body in bodies:
    medians = {}
    for variant in "AB":
        jvms = [(statistics.median(r for r, _ in v), statistics.median(c for _, c in v))
                for (var, b, _), v in sorted(rows.items()) if var == variant and b == body]
        medians[variant] = (statistics.median(r for r, _ in jvms), statistics.median(c for _, c in jvms))
        print("%-5s %-8s %9.0f %9.1f   %s" % (body, variant, *medians[variant], " ".join("%.1f" % c for _, c in jvms)))
    (ra, ca), (rb, cb) = medians["A"], medians["B"]
    print("%-5s %-8s %8.2fx %8.2fx" % (body, "B/A", rb / ra, cb / ca))
if errors:
    print("wrk reported %d errors: see wrk-*.txt" % errors)
PY
log "results in $OUT"
