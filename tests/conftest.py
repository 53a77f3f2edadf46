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


# -- small problems that several test modules share -------------------------------------------------------

import numpy as np  # noqa: E402  (after the settings above, which must come first)
import pytest  # noqa: E402


@pytest.fixture(scope="module")
def sin_problem():
    """A 2-2-1 network with sin/cos weights and six examples: deterministic, non-symmetric."""
    Theta = {1: np.sin(np.arange(9.0)).reshape(3, 3), 2: np.cos(np.arange(4.0)).reshape(1, 4)}
    X = np.sin(np.arange(12.0) * 0.7).reshape(2, 6)
    Y = np.array([[0.0, 1.0, 1.0, 0.0, 1.0, 0.0]])
    return Theta, X, Y


@pytest.fixture
def widget_net():
    """A 2-2-2 network and three examples with one-hot targets, as the step-through and explorers get."""
    Theta = {1: np.array([[0.15, -0.25, 0.40], [0.30, 0.60, -0.10]]),
             2: np.array([[-0.20, 0.70, -0.45], [0.10, -0.35, 0.80]])}
    X = np.array([[0.5, -0.3, 1.2], [-1.0, 0.8, 0.4]])
    Y = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]])
    return Theta, X, Y


@pytest.fixture(scope="module")
def moons():
    from backprop_course import datasets
    return datasets.moons(m=60, noise=0.1, seed=0)


@pytest.fixture(scope="module")
def small_net():
    return {1: np.sin(np.arange(9.0)).reshape(3, 3), 2: np.cos(np.arange(4.0)).reshape(1, 4)}


@pytest.fixture
def is_png():
    """Whether bytes start with the PNG signature."""
    return lambda data: bytes(data[:8]) == b"\x89PNG\r\n\x1a\n"

