"""What does a learner's kernel cost a JupyterHub? Memory and CPU of each notebook, measured in one run.

    python benchmarks/bench_kernel_resources.py                 # every notebook, a few minutes
    python benchmarks/bench_kernel_resources.py 13 18           # only notebooks 13 and 18

Each notebook runs top to bottom (as Run All would) in a fresh ``python3`` kernel started by nbclient,
from a temp copy of ``notebooks/`` and ``exercises/`` (the exercise stubs: check(...) cells grade them).
For the kernel process it reads Linux's own accounting in ``/proc/PID``:

* peak memory: ``VmHWM``, the kernel's peak resident set size (the short-lived grader processes that
  check(...) starts are separate processes and not included);
* memory at the end: ``VmRSS`` after the last cell, what an idle learner keeps holding;
* CPU: user + system time of the kernel and its waited-for children (``utime+stime+cutime+cstime``),
  over the wall time of the run: the average number of cores the notebook kept busy.

The figures for the instructor's guide (docs/instructors.md) come from this script. Linux only.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TICKS = os.sysconf("SC_CLK_TCK")


def _status_kib(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def _cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    utime, stime, cutime, cstime = (int(x) for x in fields[11:15])  # fields 14-17 of proc(5)
    return (utime + stime + cutime + cstime) / TICKS


def measure(notebook, timeout=900):
    """{"peak_mib", "end_mib", "cpu_s", "wall_s", "start_mib"} for one notebook run in a fresh kernel."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(Path(notebook).parent)}})
    with client.setup_kernel():
        pid = client.km.provisioner.process.pid
        start_mib = _status_kib(pid, "VmRSS") / 1024
        cpu0, t0 = _cpu_seconds(pid), time.monotonic()
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        wall = time.monotonic() - t0
        cpu = _cpu_seconds(pid) - cpu0
        return {"start_mib": start_mib, "peak_mib": _status_kib(pid, "VmHWM") / 1024,
                "end_mib": _status_kib(pid, "VmRSS") / 1024, "cpu_s": cpu, "wall_s": wall}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("only", nargs="*", help="notebook numbers, e.g. 13 18 (default: all)")
    args = parser.parse_args(argv)
    os.environ.pop("MPLBACKEND", None)  # the inline backend, as in a learner's Jupyter
    with tempfile.TemporaryDirectory(prefix="bench-kernel-") as tmp:
        for folder in ("notebooks", "exercises"):
            shutil.copytree(REPO / folder, Path(tmp) / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        notebooks = sorted((Path(tmp) / "notebooks").glob("*.ipynb"))
        if args.only:
            notebooks = [nb for nb in notebooks if nb.name[:2] in {n.zfill(2) for n in args.only}]
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; one fresh kernel per notebook")
        print(f"{'notebook':34s} {'start MiB':>9s} {'peak MiB':>9s} {'end MiB':>8s} {'CPU s':>7s} {'wall s':>7s} "
              f"{'cores':>6s}")
        for notebook in notebooks:
            r = measure(notebook)
            print(f"{notebook.stem:34s} {r['start_mib']:9.0f} {r['peak_mib']:9.0f} {r['end_mib']:8.0f} "
                  f"{r['cpu_s']:7.1f} {r['wall_s']:7.1f} {r['cpu_s'] / r['wall_s']:6.2f}", flush=True)


if __name__ == "__main__":
    main()
