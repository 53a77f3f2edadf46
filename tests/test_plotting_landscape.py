"""plotting.landscape: contours of J over two weights with descent paths."""

import numpy as np
import pytest

from backprop_course import plotting as plots
from backprop_course.plotting import to_png


def _renders(ax):
    png = to_png(ax.figure)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 1000


def test_cost_surface_draws_contours_paths_and_the_minimum():
    W1, W2 = np.meshgrid(np.linspace(-1, 1, 11), np.linspace(-1, 1, 11))
    J = W1**2 + 4 * W2**2
    path = np.array([[1.0, 1.0], [0.5, -0.5], [0.0, 0.0]])
    ax = plots.plot_cost_surface(W1, W2, J, paths={"α = 0.1": path}, center=(0, 0), labels=("a", "b"))
    line = [ln for ln in ax.get_lines() if ln.get_label() == "α = 0.1"][0]
    np.testing.assert_array_equal(line.get_xydata(), path)
    assert ax.get_xlabel() == "a" and ax.get_ylabel() == "b" and ax.collections, "contours drawn"
    _renders(ax)
    with pytest.raises(ValueError, match="one shape"):
        plots.plot_cost_surface(W1, W2, J[:5])


def test_descent_paths_move_and_rename_without_drawing_anew():
    W1, W2 = np.meshgrid(np.linspace(-1, 1, 11), np.linspace(-1, 1, 11))
    ax = plots.plot_cost_surface(W1, W2, W1**2 + W2**2, paths={"α = 0.1": np.array([[1.0, 1.0], [0.5, 0.5]])})
    contours = len(ax.collections)
    changed = plots.update_descent_paths(ax, {"α = 0.9": np.array([[1.0, -1.0], [-0.8, 0.8], [0.6, -0.6]])})
    line = next(ln for ln in ax.lines if ln.get_gid() == "bpc-path-0")
    np.testing.assert_array_equal(line.get_xydata(), [[1.0, -1.0], [-0.8, 0.8], [0.6, -0.6]])
    assert ax.get_legend().get_texts()[0].get_text() == "α = 0.9" and ax.get_legend() in changed
    assert len(ax.collections) == contours, "the contours stay"
    with pytest.raises(ValueError, match="no path 1"):
        plots.update_descent_paths(ax, {"a": np.zeros((2, 2)), "b": np.zeros((2, 2))})
