r"""Plots of one-variable functions: an activation g with its derivative g', a cost curve J(w).

Both take arrays or the name of a library function, an optional ``ax``, and return the Axes. Their
mark (the current point) has an ``update_*`` partner that moves it without drawing the curves again,
for widgets whose slider moves the point (``NeuronExplorer``, ``CostExplorer``).
"""

import numpy as np

from ..activations import ACTIVATIONS
from .style import HIGHLIGHT, PALETTE, new_figure, presenter_style

__all__ = ["plot_activation", "update_activation_mark", "plot_curve", "update_curve_mark"]


def plot_activation(activation="sigmoid", z=None, ax=None, mark=None, presenter=False, derivative=True):
    r"""Plot g(z) and (optionally) g'(z) for a library activation; return the Axes.

    Parameters
    ----------
    activation : str
        A hidden activation of :data:`backprop_course.activations.ACTIVATIONS`.
    z : ndarray of shape (N,), optional
        Where to evaluate; default 401 points over the activation's ``z_range``.
    ax : matplotlib Axes, optional
    mark : float, optional
        A value z_0 to mark with dots on both curves and a dashed vertical line (the neuron's current z).
    presenter : bool
    derivative : bool
        Also draw g'(z) (dashed).

    Returns
    -------
    matplotlib.axes.Axes
    """
    fn = ACTIVATIONS[activation]
    if fn.g_prime is None:
        raise ValueError(f"plot_activation draws an elementwise activation and its slope; {activation!r} "
                         f"is not elementwise. Choose one of the hidden activations.")
    z = np.linspace(*fn.z_range, 401) if z is None else np.asarray(z, dtype=float)
    name = fn.latex
    with presenter_style(presenter):
        if ax is None:
            ax = new_figure(presenter=presenter).add_subplot()
        ax.plot(z, fn.g(z), color=PALETTE["blue"], label=f"${name}(z)$")
        if derivative:
            ax.plot(z, fn.g_prime(z), color=PALETTE["orange"], ls="--", label=f"${name}'(z)$")
        if mark is not None:
            ax.axvline(mark, color=PALETTE["black"], lw=1, ls=":", gid="bpc-mark")
            ax.plot([mark], [fn.g(mark)], "o", color=PALETTE["blue"], ms=10 if presenter else 7, gid="bpc-mark-g")
            if derivative:
                ax.plot([mark], [fn.g_prime(mark)], "o", color=PALETTE["orange"], ms=10 if presenter else 7,
                        gid="bpc-mark-g-prime")
        ax.axhline(0, color="#999999", lw=0.8)
        ax.set_xlabel("$z$ (weighted input)")
        ax.set_ylabel("value")
        ax.legend(loc="upper left", frameon=False)
    return ax


def _marks(ax, gids):
    marks = {line.get_gid(): line for line in ax.lines if line.get_gid() in gids}
    if not marks:
        raise ValueError("ax has no mark to move; draw the plot with mark=... first.")
    return marks


def update_activation_mark(ax, activation, mark):
    """Move the mark of :func:`plot_activation` to z = `mark`; returns the moved artists."""
    fn = ACTIVATIONS[activation]
    marks = _marks(ax, ("bpc-mark", "bpc-mark-g", "bpc-mark-g-prime"))
    marks["bpc-mark"].set_xdata([mark, mark])
    marks["bpc-mark-g"].set_data([mark], [fn.g(mark)])
    if "bpc-mark-g-prime" in marks:
        marks["bpc-mark-g-prime"].set_data([mark], [fn.g_prime(mark)])
    return list(marks.values())


def plot_curve(x, y, ax=None, xlabel="$w$", ylabel=r"$J(\Theta)$", mark=None, label=None, presenter=False,
               color=None):
    """Plot y against x (e.g. the cost J as one weight varies), optionally marking the point x = mark.

    Parameters
    ----------
    x, y : ndarray of shape (N,)
    ax : matplotlib Axes, optional
    xlabel, ylabel : str
    mark : float, optional
        An x value; the point (mark, y interpolated) is drawn as a large orange dot.
    label : str, optional
        Legend entry for the curve.
    presenter : bool
    color : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError(f"x and y must be 1-D arrays of the same length; got shapes {x.shape} and {y.shape}.")
    with presenter_style(presenter):
        if ax is None:
            ax = new_figure(presenter=presenter).add_subplot()
        ax.plot(x, y, label=label, color=color)
        if mark is not None:
            ax.plot([mark], [np.interp(mark, x, y)], "o", color=HIGHLIGHT, ms=12 if presenter else 8, zorder=5,
                    gid="bpc-mark")
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        if label:
            ax.legend(frameon=False)
    return ax


def update_curve_mark(ax, x, y, mark):
    """Move the mark of :func:`plot_curve` to the point (mark, y interpolated at mark) of the curve (x, y)."""
    (line,) = _marks(ax, ("bpc-mark",)).values()
    line.set_data([mark], [np.interp(mark, np.asarray(x, dtype=float), np.asarray(y, dtype=float))])
    return line
