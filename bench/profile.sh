#!/usr/bin/env bash
# Profiles Tollgate under load with JFR or async-profiler (issue 5, Performance 4: profile before tuning).
#
#   bench/profile.sh [--secs S] [--conns C]     # default 30 s per body at c=64
#   JFR_SETTINGS=my.jfc bench/profile.sh        # other JFR settings (e.g. a 1 ms sampling period)
#   bench/profile.sh --async                    # async-profiler instead: kernel frames included
#   ASYNC_INTERVAL=200us bench/profile.sh --async   # its CPU sampling period (default 1ms)
#
# Starts the fake upstream and Tollgate (as run.sh does) and, per body (OpenAI chat JSON, OpenAI
# chat SSE): warms up 10 s; measures CPU per request by thread and write syscalls per request from
# /proc (tools/thread_cpu.py); then records a JFR file with settings=profile (method samples every
# 10-20 ms, allocation samples) and prints the event loops' hot spots (tools/jfr_top.py).
#
# With --async, async-profiler (fetched once from Maven Central, tools.profiler:async-profiler, into
# bench/out/) is loaded into the running JVM instead and samples CPU time through perf_events, so
# system calls show where their time goes in the kernel: on loopback most of a proxy's CPU is
# there, which JFR cannot see. Needs root (or kernel.perf_event_paranoid <= 1). Writes collapsed
# stacks (for flame graph tools) and a summary (tools/collapsed_top.py).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
SECS=30 CONNS=64 ASYNC=0
ASYNC_PROFILER_VERSION=4.1
while [ $# -gt 0 ]; do
  case $1 in
    --async) ASYNC=1 ;;
    --secs) SECS=$2; shift ;;
    --conns) CONNS=$2; shift ;;
    -h|--help) sed -n '2,/^set -/p' "$0" | grep '^#'; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
  shift
done
# The path of libasyncProfiler.so for this machine, fetched from Maven Central on first use.
async_profiler_lib() {
  local arch dir
  case $(uname -m) in
    x86_64) arch=linux-x64 ;;
    aarch64) arch=linux-arm64 ;;
    *) die "async-profiler has no library for $(uname -m)" ;;
  esac
  dir=$BENCH_DIR/out/.async-profiler-$ASYNC_PROFILER_VERSION
  if [ ! -f "$dir/$arch/libasyncProfiler.so" ]; then
    (cd "$ROOT_DIR" && ./mvnw -B -ntp -q dependency:copy \
      -Dartifact="tools.profiler:async-profiler:$ASYNC_PROFILER_VERSION" -DoutputDirectory="$dir") >&2 \
      || die "could not fetch async-profiler from Maven Central"
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])' \
      "$dir/async-profiler-$ASYNC_PROFILER_VERSION.jar" "$arch/libasyncProfiler.so" "$dir"
  fi
  echo "$dir/$arch/libasyncProfiler.so"
}

# recorder_start NAME / recorder_stop NAME: records Tollgate between the two; stop prints the hot spots.
recorder_start() {
  if [ "$ASYNC" = 1 ]; then
    # jcmd passes the options as one argument only when they are quoted inside it.
    jcmd "$TOLLGATE_PID" JVMTI.agent_load "$PROFILER_LIB" \
      "\"start,event=cpu,interval=${ASYNC_INTERVAL:-1ms},cstack=vm,threads\"" >/dev/null
  else
    jcmd "$TOLLGATE_PID" JFR.start name="$1" settings="${JFR_SETTINGS:-profile}" >/dev/null
  fi
}
recorder_stop() {
  if [ "$ASYNC" = 1 ]; then
    jcmd "$TOLLGATE_PID" JVMTI.agent_load "$PROFILER_LIB" "\"stop,file=$OUT/collapsed-$1.txt,collapsed\"" >/dev/null
    python3 "$BENCH_DIR/tools/collapsed_top.py" "$OUT/collapsed-$1.txt" --top 25
  else
    jcmd "$TOLLGATE_PID" JFR.stop name="$1" filename="$OUT/tollgate-$1.jfr" >/dev/null
    python3 "$BENCH_DIR/tools/jfr_top.py" "$OUT/tollgate-$1.jfr" --top 25
  fi
}

bench_prepare
check_ports "$UPSTREAM_PORT" "$TOLLGATE_PORT" "$ADMIN_PORT"
OUT=$BENCH_DIR/out/profile-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
trap bench_cleanup EXIT
P=$BENCH_DIR/payloads
start_nginx upstream "$OUT" "$UPSTREAM_PORT" "$UPSTREAM_WORKERS" "$SLOW_RATE"
if [ "$ASYNC" = 1 ]; then
  PROFILER_LIB=$(async_profiler_lib)
  # Samples may then land between safepoints, where the hot code is.
  start_tollgate "$OUT" "${TOLLGATE_HEAP:-512m}" -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints
else
  start_tollgate "$OUT" "${TOLLGATE_HEAP:-512m}"
fi
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" >"$OUT/meta.txt"
for body in json sse; do
  file=$P/chat-request.json
  [ "$body" = sse ] && file=$P/chat-request-stream.json
  url=http://127.0.0.1:$TOLLGATE_PORT/$body/v1/chat/completions
  log "$body: warm-up 20 s, then $SECS s measured and $SECS s recorded at c=$CONNS"
  run_wrk "$OUT/warm-$body.txt" "$url" "$file" "$CONNS" "${WRK_THREADS:-2}" 20 >/dev/null
  # First without the recorder: CPU per request by thread, and write syscalls, from /proc.
  python3 "$BENCH_DIR/tools/thread_cpu.py" snap "$TOLLGATE_PID" >"$OUT/cpu-$body.before"
  run_wrk "$OUT/wrk-cpu-$body.txt" "$url" "$file" "$CONNS" "${WRK_THREADS:-2}" "$SECS" >"$OUT/wrk-cpu-$body.json"
  python3 "$BENCH_DIR/tools/thread_cpu.py" snap "$TOLLGATE_PID" >"$OUT/cpu-$body.after"
  python3 "$BENCH_DIR/tools/thread_cpu.py" diff "$OUT/cpu-$body.before" "$OUT/cpu-$body.after" \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["requests"])' "$OUT/wrk-cpu-$body.json")" \
    | tee "$OUT/cpu-$body.txt" >&2
  recorder_start "$body"
  run_wrk "$OUT/wrk-$body.txt" "$url" "$file" "$CONNS" "${WRK_THREADS:-2}" "$SECS" >"$OUT/wrk-$body.json"
  recorder_stop "$body" >"$OUT/hotspots-$body.txt"
  log "$body: $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%.0f req/s" % (d["requests"]/(d["duration_us"]/1e6)))' "$OUT/wrk-$body.json"); hot spots in $OUT/hotspots-$body.txt"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/meta.txt"
log "results in $OUT"
