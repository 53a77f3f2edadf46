"""What the widget and sigmoid benchmarks share: the machine line, the --quick flag and a timed row.

Imported by the scripts beside it (``python benchmarks/bench_widgets.py`` puts this folder on the path).
"""

import argparse
import os
import platform
import statistics
import time

import numpy as np


def arguments(doc, argv=None):
    """Parse ``--quick`` for a benchmark whose module docstring is `doc`."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a rough look)")
    return parser.parse_args(argv)


def machine():
    """One line saying what the numbers were measured on (and a warning when other programs keep the
    cores busy, so that wall-clock times include waiting for a core)."""
    load, cpus = os.getloadavg()[0], os.cpu_count()
    line = f"python {platform.python_version()}, numpy {np.__version__}, {cpus} CPUs, load average {load:.2f}"
    if load > 0.75 * cpus:
        line += ("\nthe machine is busy: wall-clock times include waiting for a core; the cpu column "
                 "(this process's own time) is closer to what a quiet machine shows")
    return line


class Times(list):
    """Wall-clock milliseconds of each call, with `.cpu`: this process's CPU milliseconds of each call."""

    def __init__(self):
        super().__init__()
        self.cpu = []


def timed(action, n):
    """Wall-clock and CPU milliseconds of `n` calls of action(k), k = 0 .. n-1."""
    times = Times()
    for k in range(n):
        wall, cpu = time.perf_counter(), time.process_time()
        action(k)
        times.append(1000 * (time.perf_counter() - wall))
        times.cpu.append(1000 * (time.process_time() - cpu))
    return times


def report(name, times, target_ms, targeted=True, width=52):
    """Print the median and 90th percentile of the wall-clock `times` (ms) and the median CPU time
    against `target_ms`; returns the wall-clock median (None for a row printed for information only)."""
    median = statistics.median(times)
    p90 = float(np.percentile(times, 90))
    cpu = statistics.median(times.cpu)
    verdict = ("PASS" if median < target_ms else "MISS") if targeted else "(information)"
    print(f"  {name:{width}s} median {median:7.1f} ms   p90 {p90:7.1f} ms   cpu {cpu:7.1f} ms   "
          f"/ {target_ms:.0f} ms = {median / target_ms:5.2f}  {verdict}")
    return median if targeted else None
