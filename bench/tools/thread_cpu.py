#!/usr/bin/env python3
"""CPU time per request of one process, by thread group, plus its write syscalls per request.

  thread_cpu.py snap PID > SNAPSHOT          (per-thread user/system ticks and /proc/PID/io)
  thread_cpu.py diff BEFORE AFTER REQUESTS   (prints µs of CPU per request by thread group)

Thread names are grouped by dropping trailing numbers (tollgate-io-4-1 and -2 are one group).
"""
import json
import os
import re
import sys

TCK = os.sysconf("SC_CLK_TCK")


def snap(pid):
    threads = {}
    for tid in os.listdir("/proc/%s/task" % pid):
        try:
            name = open("/proc/%s/task/%s/comm" % (pid, tid)).read().strip()
            fields = open("/proc/%s/task/%s/stat" % (pid, tid)).read().rpartition(")")[2].split()
        except OSError:
            continue
        group = re.sub(r"([-#_ ]?\d+)+$", "", name)
        user, system = int(fields[11]), int(fields[12])
        u, s = threads.get(group, (0, 0))
        threads[group] = (u + user, s + system)
    io = {}
    for line in open("/proc/%s/io" % pid):
        key, _, value = line.partition(":")
        io[key] = int(value)
    return {"threads": threads, "io": io}


def diff(before, after, requests):
    b, a = json.load(open(before)), json.load(open(after))
    per = 1e6 / TCK / requests
    total_u = total_s = 0
    print("CPU per request by thread (us): %d requests" % requests)
    for group in sorted(a["threads"]):
        u0, s0 = b["threads"].get(group, (0, 0))
        u1, s1 = a["threads"][group]
        du, ds = u1 - u0, s1 - s0
        total_u, total_s = total_u + du, total_s + ds
        if du + ds:
            print("  %-24s user %6.1f  sys %6.1f" % (group, du * per, ds * per))
    print("  %-24s user %6.1f  sys %6.1f  total %6.1f" % ("ALL", total_u * per, total_s * per, (total_u + total_s) * per))
    print("write syscalls per request: %.2f" % ((a["io"]["syscw"] - b["io"]["syscw"]) / requests))


if __name__ == "__main__":
    if sys.argv[1] == "snap":
        json.dump(snap(sys.argv[2]), sys.stdout)
    else:
        diff(sys.argv[2], sys.argv[3], int(sys.argv[4]))
