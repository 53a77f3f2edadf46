"""Settings shared by every test: no GUI backend, deterministic Hypothesis, no files left in the clone.

Test modules need nothing from here explicitly; the settings apply on import.
"""

import os

# Plots render off-screen; a test never opens a window (and CI has no display).
os.environ.setdefault("MPLBACKEND", "Agg")

try:
    from hypothesis import settings
except ImportError:  # hypothesis is in the test extra; without it its tests fail on import, as they should
    settings = None

if settings is not None:
    # derandomize: the same examples every run, so a failure reproduces; database=None: no .hypothesis/
    # folder in the clone; deadline=None: a slow CI machine is not a bug.
    settings.register_profile("backprop", derandomize=True, database=None, deadline=None)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "backprop"))
