"""nbval guards the worked examples: break one derivative in a copy of the library and see it fail.

Notebook 05 prints the library's D at fixed precision. We copy the notebook and the package to a
temporary folder, remove the factor g'(z(l)) from the delta recursion (BP2) of the copy's
``deltas``, which ``backprop_loop`` and ``backprop`` share (the very slip of the short article the
course follows, with g' missing altogether), and run nbval on the copy
with PYTHONPATH pointing at it. The unbroken copy must pass and the broken one must fail, and
the failure must be about the printed numbers that changed.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = "05_backprop_one_example.ipynb"
BP2_LINE = "d[l] *= g_prime_from_a(a[l][1:], out=ws.empty(\"g'\", z[l].shape, z[l].dtype))"


def _copy_course(tmp_path, break_derivative):
    shutil.copytree(ROOT / "backprop_course", tmp_path / "backprop_course",
                    ignore=shutil.ignore_patterns("__pycache__"))
    # The notebook grades the learner's exercise at its end, so the exercises travel along.
    shutil.copytree(ROOT / "exercises", tmp_path / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / NOTEBOOK, tmp_path / "notebooks" / NOTEBOOK)
    if break_derivative:
        network = tmp_path / "backprop_course" / "network.py"
        source = network.read_text()
        assert source.count(BP2_LINE) == 1, f"expected the (BP2) line {BP2_LINE!r} once in network.py"
        network.write_text(source.replace(BP2_LINE, "pass"))
    return tmp_path


def _run_nbval(folder):
    env = {**os.environ, "PYTHONPATH": str(folder)}
    check = subprocess.run([sys.executable, "-c", "import backprop_course; print(backprop_course.__file__)"],
                           cwd=folder, env=env, capture_output=True, text=True, check=True)
    assert check.stdout.strip().startswith(str(folder)), "the copy of the library must shadow the installed one"
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
               "--nbval-cell-timeout=120", "-q", f"notebooks/{NOTEBOOK}"]
    sanitize = ROOT / "tests" / "nbval_sanitize.cfg"
    if sanitize.exists():
        command[5:5] = ["--nbval-sanitize-with", str(sanitize)]
    return subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.timeout(900)
def test_nbval_passes_on_the_intact_copy_and_fails_when_g_prime_is_dropped(tmp_path):
    intact = _run_nbval(_copy_course(tmp_path / "intact", break_derivative=False))
    assert intact.returncode == 0, f"the unbroken copy must pass nbval:\n{intact.stdout[-3000:]}"

    broken = _run_nbval(_copy_course(tmp_path / "broken", break_derivative=True))
    report = broken.stdout
    assert broken.returncode != 0, "nbval passed although (BP2) lost its g'(z) factor"
    # The stored D(1) of the worked example is no longer what the broken library prints ...
    assert "bp.backprop_loop D(1)" in report and "-0.146001" in report, report[-3000:]
    # ... and the visible check in the notebook names the disagreement.
    assert "differs from bp.backprop_loop" in report, report[-3000:]
