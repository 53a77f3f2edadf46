"""The sdist and wheel of this checkout, built once per test run (offline) for the tests that install them.

``build()`` copies the checkout (without .git, virtual environments and build leftovers) to a temp
folder, so nothing lands in the repo, and runs ``python -m build --no-isolation`` there: the sdist first,
then the wheel built from the unpacked sdist, as a release would. The temp folder goes at exit.
"""

import atexit
import functools
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LEFT_OUT = shutil.ignore_patterns(".git", ".venv*", "build", "dist", "*.egg-info", "test-artifacts", "__pycache__",
                                  "*.pyc", ".ipynb_checkpoints", ".pytest_cache", ".ruff_cache", ".hypothesis",
                                  "node_modules")


@functools.cache
def build():
    """(sdist path, wheel path); raises AssertionError with the build log when the build fails."""
    base = Path(tempfile.mkdtemp(prefix="backprop-dist-"))
    atexit.register(shutil.rmtree, base, True)
    source = base / "src"
    shutil.copytree(REPO, source, ignore=LEFT_OUT)
    result = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(base / "dist"),
                             str(source)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"building the sdist and wheel failed:\n{result.stdout[-4000:]}\n{result.stderr}"
    (sdist,) = (base / "dist").glob("backprop_course-*.tar.gz")
    (wheel,) = (base / "dist").glob("backprop_course-*.whl")
    return sdist, wheel
