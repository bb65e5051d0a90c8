# Shared by run.sh, soak.sh and profile.sh: tools, the fake upstream, nginx, Tollgate, wrk.
# Everything listens on 127.0.0.1 only and is stopped on exit (trap bench_cleanup EXIT).
# shellcheck shell=bash

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(dirname "$BENCH_DIR")
JAR=${TOLLGATE_JAR:-$ROOT_DIR/proxy-server/target/tollgate.jar}

UPSTREAM_PORT=${UPSTREAM_PORT:-18081}
NGINX_PORT=${NGINX_PORT:-18082}
TOLLGATE_PORT=${TOLLGATE_PORT:-18080}
ADMIN_PORT=${ADMIN_PORT:-19464}
UPSTREAM_WORKERS=${UPSTREAM_WORKERS:-1}     # the fake upstream: one nginx worker ("the upstream on its core")
NGINX_WORKERS=${NGINX_WORKERS:-auto}        # nginx as proxy: one worker per core, as Tollgate has one event loop per core
SLOW_RATE=${SLOW_RATE:-400}                 # bytes/s of the /slow/ stream: ~9.7 KB in ~25 s
TOLLGATE_JAVA_OPTS=${TOLLGATE_JAVA_OPTS:-}

BENCH_PIDS=()
BENCH_NGINX_CONFS=()
TOLLGATE_PID=

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Installs what is missing (Debian packages), raises the fd limit, builds the jar if absent.
bench_prepare() {
  local need=()
  command -v nginx >/dev/null 2>&1 || need+=(nginx-light)
  command -v wrk >/dev/null 2>&1 || need+=(wrk)
  command -v curl >/dev/null 2>&1 || need+=(curl)
  command -v ss >/dev/null 2>&1 || need+=(iproute2)
  command -v ps >/dev/null 2>&1 || need+=(procps)
  command -v python3 >/dev/null 2>&1 || need+=(python3)
  command -v java >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
  if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]}"
    if [ "$(id -u)" -eq 0 ]; then
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -q && apt-get install -y -q "${need[@]}" >&2
    else
      sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >&2
    fi
  fi
  # nginx-light starts a default server on :80 when installed with systemd; we never use it.
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  if [ ! -f "$JAR" ]; then
    log "building $JAR"
    (cd "$ROOT_DIR" && ./mvnw -B -ntp -q package -DskipTests) >&2 || die "build failed"
  fi
}

port_free() { ! ss -ltnH "sport = :$1" 2>/dev/null | grep -q .; }

check_ports() {
  local p
  for p in "$@"; do
    port_free "$p" || die "port $p is in use (set UPSTREAM_PORT/NGINX_PORT/TOLLGATE_PORT/ADMIN_PORT)"
  done
}

# wait_http URL SECONDS: until URL answers anything at all.
wait_http() {
  local url=$1 deadline=$((SECONDS + ${2:-30}))
  until curl -s -o /dev/null --max-time 1 "$url"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}

# start_nginx KIND RUNDIR PORT WORKERS EXTRA: KIND upstream (EXTRA = slow rate) or proxy (EXTRA = upstream port).
start_nginx() {
  local kind=$1 rundir=$2 port=$3 workers=$4 extra=$5
  local conf=$rundir/$kind-nginx.conf
  python3 "$BENCH_DIR/tools/render_nginx.py" "$kind" "$rundir" "$port" "$workers" "$extra" > "$conf"
  nginx -q -t -p "$rundir" -e "$rundir/$kind-error.log" -c "$conf" || die "nginx $kind config invalid: $conf"
  nginx -p "$rundir" -e "$rundir/$kind-error.log" -c "$conf" || die "nginx $kind did not start"
  BENCH_NGINX_CONFS+=("$kind|$rundir|$conf")
  eval "NGINX_${kind^^}_UP=1"
  wait_http "http://127.0.0.1:$port/" 10 || die "nginx $kind not answering on $port"
}

stop_nginx_all() {
  local entry kind rundir conf pid
  for entry in "${BENCH_NGINX_CONFS[@]}"; do
    IFS='|' read -r kind rundir conf <<<"$entry"
    pid=$(cat "$rundir/$kind.pid" 2>/dev/null) || continue
    kill -QUIT "$pid" 2>/dev/null || true
  done
  BENCH_NGINX_CONFS=()
}

# start_tollgate RUNDIR HEAP [extra JVM args...]: starts the jar with bench/tollgate-bench.yaml.
start_tollgate() {
  local rundir=$1 heap=$2
  shift 2
  # shellcheck disable=SC2086 # TOLLGATE_JAVA_OPTS is a list of options
  TG_BENCH_PORT=$TOLLGATE_PORT TG_BENCH_ADMIN_PORT=$ADMIN_PORT TG_BENCH_UPSTREAM_PORT=$UPSTREAM_PORT \
    java "-Xms$heap" "-Xmx$heap" $TOLLGATE_JAVA_OPTS "$@" -jar "$JAR" serve --config "$BENCH_DIR/tollgate-bench.yaml" \
    >>"$rundir/tollgate.log" 2>&1 &
  TOLLGATE_PID=$!
  BENCH_PIDS+=("$TOLLGATE_PID")
  wait_http "http://127.0.0.1:$ADMIN_PORT/readyz" 60 || die "Tollgate did not start; see $rundir/tollgate.log"
  log "Tollgate pid $TOLLGATE_PID ($heap heap) on :$TOLLGATE_PORT, admin :$ADMIN_PORT"
}

# stop_tollgate: SIGTERM (graceful), then SIGKILL after 30 s. Sets TOLLGATE_STOP_SECS, TOLLGATE_EXIT.
# Not in a subshell: it waits for its own child.
stop_tollgate() {
  [ -n "$TOLLGATE_PID" ] || return 0
  local start=$SECONDS
  kill -TERM "$TOLLGATE_PID" 2>/dev/null || true
  local i
  for i in $(seq 1 300); do
    kill -0 "$TOLLGATE_PID" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$TOLLGATE_PID" 2>/dev/null; then
    log "Tollgate did not stop within 30 s of SIGTERM; killing it"
    kill -KILL "$TOLLGATE_PID" 2>/dev/null || true
  fi
  TOLLGATE_EXIT=0
  wait "$TOLLGATE_PID" 2>/dev/null || TOLLGATE_EXIT=$?
  TOLLGATE_PID=
  TOLLGATE_STOP_SECS=$((SECONDS - start))
}

bench_cleanup() {
  local pid
  stop_tollgate || true
  for pid in "${BENCH_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  stop_nginx_all
}

# machine_ticks: the machine's CPU time so far, per state, from /proc/stat's "cpu" line:
# user nice system idle iowait irq softirq steal (in clock ticks).
machine_ticks() {
  awk '/^cpu / {print $2, $3, $4, $5, $6, $7, $8, $9; exit}' /proc/stat
}

# ticks_delta BEFORE AFTER: two machine_ticks lines -> {"user":..,"idle":..,"steal":..,...} (JSON).
ticks_delta() {
  awk -v a="$1" -v b="$2" 'BEGIN {
    split(a, x); split(b, y); n = split("user nice system idle iowait irq softirq steal", name)
    printf "{"; for (i = 1; i <= n; i++) printf "%s\"%s\":%d", (i > 1 ? "," : ""), name[i], y[i] - x[i]; printf "}"
  }'
}

# cpu_ticks PID...: user + system CPU time of the processes (all their threads), in clock ticks.
cpu_ticks() {
  local total=0 pid
  for pid in "$@"; do
    # Fields 14 and 15 of /proc/PID/stat, counted after the ")" that ends the command name.
    total=$((total + $(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')))
  done
  echo "$total"
}

# window_figures WRK_SUMMARY TICKS_BEFORE TICKS_AFTER: "req/s cpu_us_per_request errors" for one wrk
# window (run_wrk's JSON line) on processes whose cpu_ticks were taken around it.
window_figures() {
  python3 -c '
import json, sys
d = json.loads(sys.argv[1]); n = d["requests"]; s = d["duration_us"] / 1e6
errors = d["err_connect"] + d["err_read"] + d["err_write"] + d["err_status"] + d["err_timeout"]
cpu_us = (int(sys.argv[3]) - int(sys.argv[2])) * 1e6 / int(sys.argv[4]) / n
print("%.0f" % (n / s), "%.2f" % cpu_us, errors)
' "$1" "$2" "$3" "$(getconf CLK_TCK)"
}

# nginx_workers KIND RUNDIR: the worker pids of a started nginx.
nginx_workers() {
  pgrep -P "$(cat "$2/$1.pid")" | tr '\n' ' '
}

# Heap used after a full GC, in bytes (jcmd GC.run, then GC.heap_info).
heap_after_gc() {
  local pid=$1
  jcmd "$pid" GC.run >/dev/null 2>&1 || return 1
  jcmd "$pid" GC.heap_info 2>/dev/null | python3 -c '
import re, sys
text = sys.stdin.read()
m = re.search(r"heap\s+total\s+\d+K, used (\d+)K", text)
print(int(m.group(1)) * 1024 if m else -1)'
}

# metric NAME_REGEX: sum of the matching samples of Tollgate's /metrics.
metric() {
  curl -s --max-time 5 "http://127.0.0.1:$ADMIN_PORT/metrics" | python3 -c '
import re, sys
pat = re.compile(sys.argv[1])
total = 0.0
for line in sys.stdin:
    if line.startswith("#"):
        continue
    name, _, value = line.rpartition(" ")
    if pat.search(name):
        total += float(value)
print("%.0f" % total)' "$1"
}

# run_wrk OUTFILE URL BODY CONNS THREADS SECONDS [extra wrk args]: prints the TGJSON summary.
run_wrk() {
  local out=$1 url=$2 body=$3 conns=$4 threads=$5 secs=$6
  shift 6
  TG_BODY=$body wrk -t"$threads" -c"$conns" -d"${secs}s" --latency --timeout 30s "$@" \
    -s "$BENCH_DIR/wrk/chat.lua" "$url" >"$out" 2>&1
  sed -n 's/^TGJSON //p' "$out"
}
