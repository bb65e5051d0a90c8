#!/usr/bin/env bash
# Soak run (issue 5, item 9): mixed traffic through Tollgate for a while, RSS and connections sampled.
#
#   bench/soak.sh                   # 10 minutes
#   bench/soak.sh --minutes 1       # smoke
#
# Traffic, all at once for the whole run, closed loop (each client sends as fast as answered):
#   wrk c=8  OpenAI chat JSON                        wrk c=8  OpenAI chat SSE (include_usage injected)
#   wrk c=4  Anthropic message SSE                   wrk c=2  JSON with "Connection: close" (connection churn)
#   5/s      clients that hang up mid-stream (tools/abort_client.py on the slow stream)
# Every --interval seconds a row goes to samples.csv: Tollgate's RSS, open fds, threads, established
# client and upstream connections, sockets in CLOSE-WAIT, requests in flight, heap used and live
# data after the last GC, Netty direct memory, old generation. After the traffic stops, one more
# row (phase idle); then 20 slow streams (~3 s each) are started and Tollgate gets SIGTERM: how
# many finish, how long the shutdown takes, and whether a new request is refused meanwhile. The verdict (tools/soak_verdict.py): RSS,
# fds and connections of the last quarter within --tolerance % of the second quarter.
#
# Options: --minutes M (10)  --interval S (10, less for runs under 2 minutes)  --tolerance PCT (10)  --out DIR
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

MINUTES=10 INTERVAL= TOLERANCE=10 OUT=
while [ $# -gt 0 ]; do
  case $1 in
    --minutes) MINUTES=$2; shift ;;
    --interval) INTERVAL=$2; shift ;;
    --tolerance) TOLERANCE=$2; shift ;;
    --out) OUT=$2; shift ;;
    -h|--help) sed -n '2,/^set -/p' "$0" | grep '^#'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done
SECS=$(python3 -c "print(int(float('$MINUTES') * 60))")
# 10 s by default; shorter runs sample more often so the verdict has at least 12 samples.
INTERVAL=${INTERVAL:-$(( SECS / 12 < 10 ? (SECS / 12 > 1 ? SECS / 12 : 1) : 10 ))}

bench_prepare
check_ports "$UPSTREAM_PORT" "$TOLLGATE_PORT" "$ADMIN_PORT"
OUT=${OUT:-$BENCH_DIR/out/soak-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
trap bench_cleanup EXIT
trap 'exit 130' INT TERM
P=$BENCH_DIR/payloads
CHAT=/v1/chat/completions
BASE=http://127.0.0.1:$TOLLGATE_PORT

SLOW_RATE=${SOAK_SLOW_RATE:-3000} # /slow/ streams of ~3 s: hang-ups happen mid-stream, shutdown streams fit the grace
start_nginx upstream "$OUT" "$UPSTREAM_PORT" "$UPSTREAM_WORKERS" "$SLOW_RATE"
# The heap is touched up front, so that RSS moves only with memory outside it (direct buffers,
# metaspace, code, threads); the heap itself is followed by the old-generation column.
start_tollgate "$OUT" "${TOLLGATE_HEAP:-512m}" -XX:+AlwaysPreTouch
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu: $(nproc) x $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "tollgate: $(cd "$ROOT_DIR" && git rev-parse --short HEAD 2>/dev/null || echo unknown) heap ${TOLLGATE_HEAP:-512m}"
  echo "plan: $SECS s, sample every $INTERVAL s, tolerance $TOLERANCE %"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$OUT/meta.txt"

sample() { # sample PHASE ELAPSED
  local pid=$TOLLGATE_PID
  curl -s --max-time 5 -o "$OUT/.metrics" "http://127.0.0.1:$ADMIN_PORT/metrics" || : >"$OUT/.metrics"
  python3 "$BENCH_DIR/tools/soak_row.py" "$OUT/.metrics" "$1" "$2" \
    "$(ps -o rss= -p "$pid" | tr -d ' ')" \
    "$(ls "/proc/$pid/fd" | wc -l)" \
    "$(ls "/proc/$pid/task" | wc -l)" \
    "$(ss -tnH state established "( sport = :$TOLLGATE_PORT )" | wc -l)" \
    "$(ss -tnH state established "( dport = :$UPSTREAM_PORT )" | wc -l)" \
    "$(ss -tnH state close-wait "( sport = :$TOLLGATE_PORT or dport = :$UPSTREAM_PORT )" | wc -l)" \
    >>"$OUT/samples.csv"
}

echo "phase,elapsed_s,rss_kib,fds,threads,client_conns,upstream_conns,close_wait,inflight,heap_used_bytes,live_data_bytes,netty_direct_bytes,requests_total,old_gen_bytes" \
  >"$OUT/samples.csv"
log "soak: $SECS s of mixed traffic, sampling every $INTERVAL s into $OUT/samples.csv"
traffic=()
TG_BODY=$P/chat-request.json wrk -t1 -c8 -d"${SECS}s" --timeout 30s -s "$BENCH_DIR/wrk/chat.lua" "$BASE/json$CHAT" \
  >"$OUT/wrk-json.txt" 2>&1 & traffic+=($!)
TG_BODY=$P/chat-request-stream.json wrk -t1 -c8 -d"${SECS}s" --timeout 30s -s "$BENCH_DIR/wrk/chat.lua" "$BASE/sse$CHAT" \
  >"$OUT/wrk-sse.txt" 2>&1 & traffic+=($!)
TG_BODY=$P/anthropic-request-stream.json wrk -t1 -c4 -d"${SECS}s" --timeout 30s -s "$BENCH_DIR/wrk/chat.lua" \
  "$BASE/anthropic/v1/messages" >"$OUT/wrk-anthropic.txt" 2>&1 & traffic+=($!)
TG_BODY=$P/chat-request.json wrk -t1 -c2 -d"${SECS}s" --timeout 30s -H "Connection: close" -s "$BENCH_DIR/wrk/chat.lua" \
  "$BASE/json$CHAT" >"$OUT/wrk-close.txt" 2>&1 & traffic+=($!)
python3 "$BENCH_DIR/tools/abort_client.py" "$TOLLGATE_PORT" "/slow$CHAT" "$P/chat-request-stream.json" "$SECS" 5 \
  >"$OUT/aborts.txt" 2>&1 & traffic+=($!)
BENCH_PIDS+=("${traffic[@]}")

start=$SECONDS
next=$INTERVAL
while [ $((SECONDS - start)) -lt "$SECS" ]; do
  sleep 1
  if [ $((SECONDS - start)) -ge "$next" ] && [ $((SECONDS - start)) -lt "$SECS" ]; then
    sample load $((SECONDS - start))
    tail -1 "$OUT/samples.csv" | awk -F, '{printf "t=%ss rss=%d MiB fds=%s conns=%s+%s close_wait=%s inflight=%s\n", $2, $3/1024, $4, $6, $7, $8, $9}' >&2
    next=$((next + INTERVAL))
  fi
done
for pid in "${traffic[@]}"; do wait "$pid" || true; done
sleep 6 # let aborted and idle connections settle; pooled upstream connections stay open by design
sample idle $((SECONDS - start))
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/meta.txt"

# Graceful shutdown with streams in flight: 20 slow streams (~3 s each at SLOW_RATE), then SIGTERM.
# They should all finish (grace 5 s in tollgate-bench.yaml), and a new connection be refused meanwhile.
log "graceful shutdown: 20 streams in flight, then SIGTERM"
mkdir -p "$OUT/shutdown"
curls=()
for i in $(seq 1 20); do
  curl -sS -N --max-time 30 -o "$OUT/shutdown/stream-$i.out" -H 'Content-Type: application/json' \
    -H 'X-Tollgate-Tenant: acme' --data-binary "@$P/chat-request-stream.json" "$BASE/slow$CHAT" \
    2>"$OUT/shutdown/stream-$i.err" & curls+=($!)
done
sleep 1
inflight_at_term=$(metric '^tollgate_inflight_requests\{')
( sleep 0.5; curl -sS --max-time 3 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -H 'X-Tollgate-Tenant: acme' --data-binary "@$P/chat-request.json" "$BASE/json$CHAT" \
    >"$OUT/shutdown/new-request.txt" 2>&1 || true ) &
probe=$!
stop_tollgate
wait "$probe" || true
for pid in "${curls[@]}"; do wait "$pid" || true; done
completed=$(grep -l 'data: \[DONE\]' "$OUT"/shutdown/stream-*.out 2>/dev/null | wc -l)
{
  cat "$OUT/meta.txt"
  for f in json sse anthropic close; do
    sed -n 's/^TGJSON //p' "$OUT/wrk-$f.txt" | python3 -c '
import json, sys
d = json.loads(sys.stdin.read() or "{}")
if d:
    errs = d["err_connect"] + d["err_read"] + d["err_write"] + d["err_status"] + d["err_timeout"]
    print("%-9s %9d requests  %7.0f req/s  p99 %6.1f ms  errors %d" % (sys.argv[1], d["requests"],
          d["requests"] / (d["duration_us"] / 1e6), d["p99_us"] / 1000, errs))' "$f"
  done
  cat "$OUT/aborts.txt"
  tail -1 "$OUT/samples.csv" | awk -F, '{printf "after traffic stopped: %s client connections, %s upstream connections (idle pool), %s in CLOSE-WAIT, %s in flight\n", $6, $7, $8, $9}'
  echo "graceful shutdown: $inflight_at_term in flight at SIGTERM, $completed of 20 streams completed," \
    "stopped ${TOLLGATE_STOP_SECS}s after SIGTERM (exit status $TOLLGATE_EXIT);" \
    "a new request meanwhile: $(tr -d '\n' <"$OUT/shutdown/new-request.txt" | cut -c1-80)"
  python3 "$BENCH_DIR/tools/soak_verdict.py" "$OUT/samples.csv" --tolerance "$TOLERANCE" || true
} | tee "$OUT/summary.txt"
log "results in $OUT"
grep -q '^SOAK PASS' "$OUT/summary.txt"
