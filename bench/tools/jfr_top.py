#!/usr/bin/env python3
"""Hot spots of a JFR recording, from `jfr print --json` (JDK 17 has no `jfr view`).

  jfr_top.py RECORDING.jfr [--top N] [--threads REGEX]

Prints, over jdk.ExecutionSample events of the threads matching REGEX (default: Tollgate's event
loops and JMH workers): the top methods by self samples, by inclusive samples, and the first
dev.tollgate frame of each sample (where Tollgate's own code spends or causes the time); then,
over jdk.ObjectAllocationSample, the allocated classes by weight and the dev.tollgate frames that
allocate them.
"""
import collections
import json
import re
import subprocess
import sys


def frames_of(event):
    st = event["values"].get("stackTrace") or {}
    out = []
    for f in st.get("frames") or []:
        m = f["method"]
        out.append("%s.%s" % (m["type"]["name"].replace("/", "."), m["name"]))
    return out


def thread_name(event):
    t = event["values"].get("sampledThread") or event["values"].get("eventThread") or {}
    return t.get("javaName") or t.get("osName") or ""


def first_own(frames):
    for f in frames:
        if f.startswith("dev.tollgate."):
            return f
    return "(no dev.tollgate frame)"


def table(title, counter, total, top, unit="samples"):
    print("\n%s (%d %s)" % (title, total, unit))
    for name, n in counter.most_common(top):
        print("  %5.1f%%  %s" % (100.0 * n / total if total else 0, name))


def main():
    args = sys.argv[1:]
    path = args[0]
    top = int(args[args.index("--top") + 1]) if "--top" in args else 20
    threads = re.compile(args[args.index("--threads") + 1] if "--threads" in args else r"tollgate-io|jmh-worker")
    raw = subprocess.run(["jfr", "print", "--json", "--events",
                          "jdk.ExecutionSample,jdk.NativeMethodSample,jdk.ObjectAllocationSample", path],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(raw)["recording"]["events"]
    self_c, incl_c, own_c = collections.Counter(), collections.Counter(), collections.Counter()
    alloc_cls, alloc_own = collections.Counter(), collections.Counter()
    samples = alloc_total = native = 0
    native_c = collections.Counter()
    for e in events:
        if not threads.search(thread_name(e)):
            continue
        frames = frames_of(e)
        if e["type"] == "jdk.NativeMethodSample":
            native += 1
            native_c[frames[0] if frames else "?"] += 1
            continue
        if not frames:
            continue
        if e["type"] == "jdk.ExecutionSample":
            samples += 1
            self_c[frames[0]] += 1
            for f in set(frames):
                incl_c[f] += 1
            own_c[first_own(frames)] += 1
        else:
            weight = int(e["values"].get("weight") or 0)
            cls = (e["values"].get("objectClass") or {}).get("name", "?").replace("/", ".")
            alloc_total += weight
            alloc_cls[cls] += weight
            alloc_own[first_own(frames) + "  ->  " + cls] += weight
    print("Samples of the selected threads: %d in Java code, %d in native methods (epoll, socket I/O); "
          "JFR takes them at different rates, so compare within a kind only." % (samples, native))
    table("Native methods", native_c, native, 5)
    table("Top methods by self time", self_c, samples, top)
    table("Top methods by inclusive time", incl_c, samples, top)
    table("First dev.tollgate frame of each sample", own_c, samples, top)
    if alloc_total:
        table("Allocated classes by sampled weight", alloc_cls, alloc_total, top, "bytes")
        table("Allocating dev.tollgate frame -> class", alloc_own, alloc_total, top, "bytes")


if __name__ == "__main__":
    main()
