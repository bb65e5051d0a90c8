#!/usr/bin/env python3
"""Summarises a bench/run.sh result directory: medians across rounds, ratios to nginx, the
latency Tollgate adds over the direct upstream, and the verdict against issue 5's targets.

  aggregate.py OUTDIR        (reads OUTDIR/samples.jsonl, OUTDIR/slow.json, OUTDIR/meta.txt)
"""
import json
import os
import statistics
import sys

TARGETS = ("direct", "nginx", "tollgate")
ADDED_P50_MAX_US = 80
ADDED_P99_MAX_US = 1000
THROUGHPUT_MIN_RATIO = 0.75
HEAP_PER_STREAM_MAX = 32 * 1024
SLOW_STREAMS_MIN = 2000
MAX_STEAL_PCT = int(os.environ.get("MAX_STEAL", "5"))  # as bench/run.sh


def rps(s):
    return s["requests"] / (s["duration_us"] / 1e6)


def cpu_us(s):
    """CPU time of the target's own processes per request, in microseconds."""
    if "cpu_ticks" not in s or not s["requests"]:
        return float("nan")
    return s["cpu_ticks"] * 1e6 / s["clk_tck"] / s["requests"]


def errors(s):
    return s["err_connect"] + s["err_read"] + s["err_write"] + s["err_status"] + s["err_timeout"]


def machine_pct(s, *states):
    """Share of the machine's CPU time in the given /proc/stat states during the measurement, in %."""
    ticks = s.get("machine_ticks")
    if not ticks or not sum(ticks.values()):
        return float("nan")
    return 100.0 * sum(ticks[state] for state in states) / sum(ticks.values())


def med(values):
    return statistics.median(values) if values else float("nan")


def load(outdir):
    path = os.path.join(outdir, "samples.jsonl")
    samples = []
    if os.path.exists(path):
        with open(path) as f:
            samples = [json.loads(line) for line in f if line.strip()]
    return samples


def by(samples, scenario, target):
    return [s for s in samples if s["scenario"] == scenario and s["target"] == target]


def paired_added(samples, scenario, key):
    """Per round, (tollgate - direct) and (nginx - direct), each pair from one round: {proxy: [diffs]}."""
    out = {}
    for proxy in ("nginx", "tollgate"):
        diffs = []
        for s in by(samples, scenario, proxy):
            direct = [d for d in by(samples, scenario, "direct") if d["round"] == s["round"]]
            if direct:
                diffs.append(s[key] - direct[0][key])
        out[proxy] = diffs
    return out


def per_round_ratios(samples, scenario):
    """(round, tollgate sample, nginx sample, tollgate/nginx req/s) for each round that has both."""
    out = []
    for s in by(samples, scenario, "tollgate"):
        n = [x for x in by(samples, scenario, "nginx") if x["round"] == s["round"]]
        if n:
            out.append((s["round"], s, n[0], rps(s) / rps(n[0])))
    return out


def round_table(samples, scenario):
    """One line per round: both proxies' req/s and CPU per request, their ratio, and how busy the
    machine was during each, so that a disturbed round can be told from a slow target."""
    lines = ["%s per round: req/s (CPU us per request), ratio, machine idle %% and steal %% during each:" % scenario,
             "%5s %16s %16s %7s %13s %13s" % ("round", "tollgate", "nginx", "ratio", "idle tg/ng", "steal tg/ng")]
    for rnd, t, n, ratio in per_round_ratios(samples, scenario):
        lines.append("%5s %8.0f (%5.1f) %8.0f (%5.1f) %6.0f%% %6.1f/%-6.1f %6.1f/%-6.1f" % (
            rnd, rps(t), cpu_us(t), rps(n), cpu_us(n), 100 * ratio,
            machine_pct(t, "idle", "iowait"), machine_pct(n, "idle", "iowait"),
            machine_pct(t, "steal"), machine_pct(n, "steal")))
    return lines


def verdict(ok, text, miss):
    return ("  OK      " if ok else "  MISSED  ") + text + ("" if ok else "  -> missed by " + miss)


def main():
    outdir = sys.argv[1]
    lines = []
    meta = os.path.join(outdir, "meta.txt")
    if os.path.exists(meta):
        lines += ["# " + line.rstrip() for line in open(meta)]
    samples = load(outdir)
    checks = []
    if samples:
        rounds = sorted({s["round"] for s in samples})
        lines.append("")
        lines.append("Medians over %d round(s); latency from wrk --latency at c=1, throughput at c=64." % len(rounds))
        lines.append("%-10s %-8s %10s %10s %10s %9s" % ("scenario", "metric", "direct", "nginx", "tollgate", "tg/nginx"))
        for body in ("json", "sse"):
            for scen, metrics in ((body + "-c1", (("p50 us", "p50_us"), ("p99 us", "p99_us"), ("req/s", rps))),
                                  (body + "-c64", (("req/s", rps), ("p50 us", "p50_us"), ("p99 us", "p99_us"),
                                                   ("cpu us/r", cpu_us)))):
                for label, key in metrics:
                    vals = {t: med([key(s) if callable(key) else s[key] for s in by(samples, scen, t)]) for t in TARGETS}
                    ratio = vals["tollgate"] / vals["nginx"] if vals["nginx"] else float("nan")
                    lines.append("%-10s %-8s %10.0f %10.0f %10.0f %8.2fx" % (
                        scen, label, vals["direct"], vals["nginx"], vals["tollgate"], ratio))
        lines.append("(cpu us/r: CPU time of the target's own processes per request; less disturbed by a busy machine than req/s)")
        for body in ("json", "sse"):
            lines.append("")
            lines += round_table(samples, body + "-c64")
        retaken = [s for s in samples if s.get("attempts", 1) > 1]
        still = [s for s in samples if round(machine_pct(s, "steal")) > MAX_STEAL_PCT]
        if retaken or still:
            lines.append("")
            lines.append("%d of %d measurements were taken again because the hypervisor took more than %d%% of the "
                         "machine (steal); %d still above after the last attempt: %s" % (
                             len(retaken), len(samples), MAX_STEAL_PCT, len(still),
                             ", ".join("r%s %s %s %.0f%%" % (s["round"], s["scenario"], s["target"],
                                                             machine_pct(s, "steal")) for s in still) or "none"))
        bad = [s for s in samples if errors(s) > 0]
        lines.append("")
        lines.append("Added latency over direct at c=1 (median of per-round differences, us):")
        lines.append("%-6s %12s %12s %12s %12s" % ("body", "nginx p50", "tollgate p50", "nginx p99", "tollgate p99"))
        for body in ("json", "sse"):
            p50_rounds = paired_added(samples, body + "-c1", "p50_us")
            p50 = {proxy: med(diffs) for proxy, diffs in p50_rounds.items()}
            p99 = {proxy: med(diffs) for proxy, diffs in paired_added(samples, body + "-c1", "p99_us").items()}
            lines.append("%-6s %12.0f %12.0f %12.0f %12.0f" % (body, p50["nginx"], p50["tollgate"], p99["nginx"], p99["tollgate"]))
            checks.append(verdict(p50["tollgate"] <= ADDED_P50_MAX_US,
                                  "%s added p50 %.0f us (target <= %d us; rounds %.0f to %.0f us)" % (
                                      body, p50["tollgate"], ADDED_P50_MAX_US,
                                      min(p50_rounds["tollgate"], default=float("nan")),
                                      max(p50_rounds["tollgate"], default=float("nan"))),
                                  "%.0f us" % (p50["tollgate"] - ADDED_P50_MAX_US)))
            checks.append(verdict(p99["tollgate"] <= ADDED_P99_MAX_US,
                                  "%s added p99 %.0f us (target <= %d us)" % (body, p99["tollgate"], ADDED_P99_MAX_US),
                                  "%.0f us" % (p99["tollgate"] - ADDED_P99_MAX_US)))
        for body in ("json", "sse"):
            ratios = [r for _, _, _, r in per_round_ratios(samples, body + "-c64")]
            ratio = med(ratios)
            below = sum(1 for r in ratios if r < THROUGHPUT_MIN_RATIO)
            checks.append(verdict(ratio >= THROUGHPUT_MIN_RATIO,
                                  "%s throughput %.0f%% of nginx (median of per-round ratios; target >= %.0f%%; "
                                  "rounds %.0f-%.0f%%, %d of %d below)" % (
                                      body, 100 * ratio, 100 * THROUGHPUT_MIN_RATIO,
                                      100 * min(ratios, default=float("nan")), 100 * max(ratios, default=float("nan")),
                                      below, len(ratios)),
                                  "%.0f points" % (100 * (THROUGHPUT_MIN_RATIO - ratio))))
        for body in ("json", "sse"):
            d = med([rps(s) for s in by(samples, body + "-c64", "direct")])
            n = med([rps(s) for s in by(samples, body + "-c64", "nginx")])
            if d < 1.3 * n:
                lines.append("note: direct %s is only %.2fx nginx: the upstream or wrk may be limiting; "
                             "ratios to nginx understate the gap" % (body, d / n))
        if bad:
            lines.append("WARNING: %d measurement(s) had errors (non-2xx, timeouts, socket errors): %s" % (
                len(bad), ", ".join("r%s %s %s: %d" % (s["round"], s["scenario"], s["target"], errors(s)) for s in bad)))
    slow_path = os.path.join(outdir, "slow.json")
    if os.path.exists(slow_path):
        slow = json.load(open(slow_path))
        per = slow.get("heap_per_stream_bytes")
        wrk = slow.get("wrk") or {}
        lines.append("")
        lines.append("Slow streams (Tollgate -Xmx256m): %d requested, %d in flight at the heap sample, %d client connections" % (
            slow["streams"], slow["inflight"], slow["client_connections"]))
        lines.append("  heap after full GC: %.1f MiB loaded vs %.1f MiB idle; RSS %.0f MiB (idle %.0f MiB); "
                     "Netty direct memory used %.1f MiB" % (
                         slow["heap_loaded_bytes"] / 2**20, slow["heap_base_bytes"] / 2**20,
                         slow["rss_loaded_kib"] / 1024, slow["rss_base_kib"] / 1024,
                         slow["netty_direct_used_bytes"] / 2**20))
        if wrk:
            lines.append("  wrk: %d streams completed in %.0f s, %d errors (timeouts %d), stream p50 %.1f s" % (
                wrk["requests"], wrk["duration_us"] / 1e6, errors(wrk), wrk["err_timeout"], wrk["p50_us"] / 1e6))
        checks.append(verdict(slow["inflight"] >= SLOW_STREAMS_MIN,
                              "%d concurrent slow streams with -Xmx256m (target >= %d)" % (slow["inflight"], SLOW_STREAMS_MIN),
                              "%d streams" % (SLOW_STREAMS_MIN - slow["inflight"])))
        if per is not None:
            checks.append(verdict(per <= HEAP_PER_STREAM_MAX,
                                  "heap per in-flight stream %.1f KiB (target <= 32 KiB)" % (per / 1024),
                                  "%.1f KiB" % ((per - HEAP_PER_STREAM_MAX) / 1024)))
    if checks:
        lines.append("")
        lines.append("Issue 5 targets:")
        lines += checks
    print("\n".join(lines))


if __name__ == "__main__":
    main()
