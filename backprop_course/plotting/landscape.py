"""The cost as a landscape: contours of J over two weights, with gradient-descent paths on top.

Draws what :mod:`backprop_course.landscape` computes (``notebooks/08_gradient_descent.ipynb``).
"""

import matplotlib
import numpy as np

from .style import HIGHLIGHT, PALETTE, SEQUENTIAL_CMAP, axes_or_new

__all__ = ["plot_cost_surface", "update_descent_paths"]


def plot_cost_surface(W1, W2, J, paths=None, ax=None, labels=("w₁", "w₂"), log_levels=True, levels=20,
                      center=None):
    """Contours of J over two weights, with optional descent paths drawn on top.

    Parameters
    ----------
    W1, W2, J : ndarray, shape (n, n)
        From :func:`~backprop_course.landscape.cost_surface` (or a quadratic bowl).
    paths : dict {label: ndarray of shape (S, 2)}, optional
        Descent paths; each point is a step, joined by lines, the start marked with a square.
    ax : matplotlib Axes, optional
    labels : pair of str
        Axis names of the two weights.
    log_levels : bool
        Space the contour levels logarithmically (bowls are steep at the rim).
    levels : int
    center : pair of float, optional
        Mark the minimum with a star.

    Returns
    -------
    matplotlib Axes
    """
    W1, W2, J = (np.asarray(v, dtype=np.float64) for v in (W1, W2, J))
    if not (W1.shape == W2.shape == J.shape) or J.ndim != 2:
        raise ValueError(f"W1, W2 and J must be 2-D arrays of one shape; got {W1.shape}, {W2.shape}, {J.shape}.")
    ax = axes_or_new(ax, 5.6, 5.0)
    lo, hi = float(J.min()), float(J.max())
    if log_levels and hi > lo:
        offset = lo - 1e-3 * (hi - lo)
        lv = offset + np.geomspace(1e-3 * (hi - lo), hi - offset, levels)
    else:
        lv = np.linspace(lo, hi, levels)
    ax.contourf(W1, W2, J, levels=lv, cmap=SEQUENTIAL_CMAP, alpha=0.85)
    ax.contour(W1, W2, J, levels=lv, colors="white", linewidths=0.5, alpha=0.6)
    if center is not None:
        ax.plot([center[0]], [center[1]], marker="*", markersize=16, color="white", markeredgecolor="black")
    for k, (name, path) in enumerate((paths or {}).items()):
        path = np.asarray(path, dtype=np.float64)
        color = [HIGHLIGHT, PALETTE["vermillion"], PALETTE["sky"], PALETTE["green"]][k % 4]
        size = matplotlib.rcParams["lines.markersize"]            # larger in presenter_style
        ax.plot(path[:, 0], path[:, 1], color=color, marker="o", markersize=0.7 * size,
                linewidth=0.75 * matplotlib.rcParams["lines.linewidth"], label=name, gid=f"bpc-path-{k}")
        ax.plot(path[0, 0], path[0, 1], marker="s", markersize=1.5 * size, color=color, markeredgecolor="black",
                gid=f"bpc-start-{k}")
    ax.set_xlim(W1.min(), W1.max())
    ax.set_ylim(W2.min(), W2.max())
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    if paths:
        ax.legend(loc="upper right", framealpha=0.9)
    return ax


def update_descent_paths(ax, paths):
    """Give the paths of :func:`plot_cost_surface` new points and names (as many paths as drawn).

    Returns the artists that changed: the path lines, their start markers and the legend.
    """
    changed = []
    legend = ax.get_legend()
    for k, (name, path) in enumerate(paths.items()):
        path = np.asarray(path, dtype=np.float64)
        line = next((ln for ln in ax.lines if ln.get_gid() == f"bpc-path-{k}"), None)
        start = next((ln for ln in ax.lines if ln.get_gid() == f"bpc-start-{k}"), None)
        if line is None or start is None:
            raise ValueError(f"ax has no path {k}; draw the paths with plot_cost_surface(..., paths=...) first.")
        line.set_data(path[:, 0], path[:, 1])
        line.set_label(name)
        start.set_data([path[0, 0]], [path[0, 1]])
        if legend is not None:
            legend.get_texts()[k].set_text(name)
        changed += [line, start]
    return changed + ([legend] if legend is not None else [])
