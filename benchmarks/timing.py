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
    """One line saying what the numbers were measured on."""
    return (f"python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
            f"load average {os.getloadavg()[0]:.2f}")


def timed(action, n):
    """Milliseconds of `n` calls of action(k), k = 0 .. n-1."""
    times = []
    for k in range(n):
        started = time.perf_counter()
        action(k)
        times.append(1000 * (time.perf_counter() - started))
    return times


def report(name, times, target_ms, targeted=True, width=52):
    """Print the median and 90th percentile of `times` (ms) against `target_ms`; returns the median
    (None for a row printed for information only)."""
    median = statistics.median(times)
    p90 = float(np.percentile(times, 90))
    verdict = ("PASS" if median < target_ms else "MISS") if targeted else "(information)"
    print(f"  {name:{width}s} median {median:7.1f} ms   p90 {p90:7.1f} ms   / {target_ms:.0f} ms = "
          f"{median / target_ms:5.2f}  {verdict}")
    return median if targeted else None
