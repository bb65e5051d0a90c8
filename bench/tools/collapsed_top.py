#!/usr/bin/env python3
"""Summarises an async-profiler collapsed-stack file (one "frame;frame;... count" per line).

    collapsed_top.py FILE [--threads tollgate-io] [--top 25]

Only stacks whose first frame names a thread matching --threads count (record with the
`threads` option). Prints: the kernel's share and the system calls it was spent in, the hottest
frames by self time, and Tollgate's and Netty's HTTP frames by inclusive time, each as a share of
the selected threads' samples.
"""
import argparse
import collections
import re

SYSCALL = re.compile(r"^__(?:x64|arm64)_sys_(\w+)_\[k\]$")


def read(path, threads):
    for line in open(path, encoding="utf-8", errors="replace"):
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not count.isdigit():
            continue
        frames = stack.split(";")
        if threads in frames[0]:
            yield frames, int(count)


def syscall_of(frames):
    """The system call a kernel stack serves: its __x64_sys_ frame, else the user frame that
    entered the kernel (the libc wrapper, e.g. writev); stacks that entered otherwise are
    interrupts and scheduling."""
    for frame in frames:
        match = SYSCALL.match(frame)
        if match:
            return match.group(1)
    first_kernel = next(i for i, frame in enumerate(frames) if frame.endswith("_[k]"))
    if frames[first_kernel].startswith("entry_SYSCALL") and first_kernel > 0:
        return frames[first_kernel - 1]
    return "interrupts and scheduling"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--threads", default="tollgate-io")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()

    total = 0
    kernel = collections.Counter()
    self_time = collections.Counter()
    inclusive = collections.Counter()
    for frames, count in read(args.file, args.threads):
        total += count
        if frames[-1].endswith("_[k]"):
            kernel[syscall_of(frames)] += count
        self_time[frames[-1]] += count
        for frame in set(frames):
            if frame.startswith(("dev/tollgate", "io/netty/handler/codec/http")):
                inclusive[frame] += count
    if total == 0:
        print(f"no samples of threads matching {args.threads!r}")
        return

    def share(n):
        return f"{100 * n / total:6.2f} %"

    print(f"{total} samples of threads matching {args.threads!r}")
    print(f"\nkernel: {share(sum(kernel.values()))} of samples, by system call")
    for name, n in kernel.most_common(10):
        print(f"  {share(n)}  {name}")
    print(f"\nhottest frames, self time")
    for name, n in self_time.most_common(args.top):
        print(f"  {share(n)}  {name}")
    print(f"\nTollgate and Netty HTTP frames, inclusive time (kernel time below them included)")
    for name, n in inclusive.most_common(args.top):
        print(f"  {share(n)}  {name}")


if __name__ == "__main__":
    main()
