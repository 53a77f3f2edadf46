"""Settings shared by every test: no GUI backend, deterministic Hypothesis, no files left in the clone.

Test modules need nothing from here explicitly; the settings apply on import.
"""

import os
import tempfile
from pathlib import Path

# Plots render off-screen; a test never opens a window (and CI has no display).
os.environ.setdefault("MPLBACKEND", "Agg")

try:
    from hypothesis import settings
    from hypothesis.configuration import set_hypothesis_home_dir
except ImportError:  # hypothesis is in the test extra; without it its tests fail on import, as they should
    settings = None

if settings is not None:
    # derandomize: the same examples every run, so a failure reproduces; database=None: no .hypothesis/
    # folder in the clone; deadline=None: a slow CI machine is not a bug.
    settings.register_profile("backprop", derandomize=True, database=None, deadline=None)
    # Hypothesis also caches constants on disk; keep that out of the clone too.
    set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "backprop-course-hypothesis")
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "backprop"))
