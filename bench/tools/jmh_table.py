#!/usr/bin/env python3
"""Joins bench/jmh.sh's JMH JSON results into one table.

  jmh_table.py OUTDIR     (reads OUTDIR/jmh-GROUP-t1.json and -t2.json for each group, OUTDIR/meta.txt)

Scaling is throughput at 2 threads / at 1 thread (2.00 = perfect on two free cores); "vs base"
divides it by the scaling of BaselineBenchmark measured in the same two runs, so a benchmark that
scales as well as pure CPU work with no shared state reads ~1.00 whatever else the machine is doing.
"""
import glob
import json
import os
import sys


def load(path):
    if not os.path.exists(path):
        return {}
    out = {}
    for r in json.load(open(path)):
        name = r["benchmark"].replace("dev.tollgate.bench.", "")
        params = r.get("params") or {}
        if params:
            name += "(" + ",".join("%s" % v for v in params.values()) + ")"
        alloc = (r.get("secondaryMetrics") or {}).get("gc.alloc.rate.norm", {}).get("score")
        out[name] = (r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"], alloc)
    return out


def main():
    outdir = sys.argv[1]
    meta = os.path.join(outdir, "meta.txt")
    if os.path.exists(meta):
        print("\n".join("# " + line.rstrip() for line in open(meta)))
    print("%-62s %12s %9s %8s %12s %8s %8s" % ("benchmark (one op = one request)", "ops/s 1t", "ns/op", "B/op",
                                               "ops/s 2t", "scaling", "vs base"))
    for first in sorted(glob.glob(os.path.join(outdir, "jmh-*-t1.json"))):
        t1 = load(first)
        t2 = load(first[:-len("t1.json")] + "t2.json")
        base = None
        for name in t1:
            if name.startswith("BaselineBenchmark") and name in t2:
                base = t2[name][0] / t1[name][0]
        for name in sorted(t1):
            s1, _, alloc = t1[name]
            s2 = t2.get(name, (float("nan"), 0, None))[0]
            scaling = s2 / s1
            label = name if not name.startswith("BaselineBenchmark") else "  (baseline next to %s)" % (
                os.path.basename(first)[4:-8])
            print("%-62s %12.0f %9.0f %8s %12.0f %7.2fx %8s" % (
                label, s1, 1e9 / s1, "-" if alloc is None else "%.0f" % alloc, s2, scaling,
                "-" if base is None else "%.2f" % (scaling / base)))


if __name__ == "__main__":
    main()
