#!/usr/bin/env python3
"""One CSV row of bench/soak.sh: the process figures given as arguments, then sums of a few
series of Tollgate's /metrics scrape.

  soak_row.py METRICS_FILE PHASE ELAPSED RSS FDS THREADS CLIENT_CONNS UPSTREAM_CONNS CLOSE_WAIT
"""
import re
import sys

SERIES = (r"^tollgate_inflight_requests\{",
          r'^jvm_memory_used_bytes\{.*area="heap"',
          r"^jvm_gc_live_data_size_bytes",
          r'^netty_allocator_memory_used\{.*memory_type="direct"',
          r"^tollgate_requests_total\{",
          r'^jvm_memory_used_bytes\{.*id="(G1 Old Gen|Tenured Gen|PS Old Gen|ZHeap)"')


def main():
    lines = [l for l in open(sys.argv[1]).read().splitlines() if l and not l.startswith("#")]
    values = []
    for pattern in SERIES:
        pat = re.compile(pattern)
        total = 0.0
        for line in lines:
            name, _, value = line.rpartition(" ")
            if pat.search(name):
                total += float(value)
        values.append("%.0f" % total)
    print(",".join(sys.argv[2:10] + values))


if __name__ == "__main__":
    main()
