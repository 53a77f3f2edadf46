"""One look for every figure: a colorblind-safe palette and sizes readable on a projector.

The palette is Okabe and Ito's (2008) set of eight colors that stay distinct under the common
forms of color blindness. Positive weights are drawn in blue, negative in vermillion.
"""

import contextlib
import io

import matplotlib
from matplotlib.figure import Figure

PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
SERIES = [PALETTE[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky", "yellow", "black")]
POSITIVE = PALETTE["blue"]
NEGATIVE = PALETTE["vermillion"]
HIGHLIGHT = PALETTE["orange"]
SEQUENTIAL_CMAP = "cividis"   # perceptually uniform and colorblind-safe
DIVERGING_CMAP = "RdBu_r"     # symmetric around zero, for weights and gradients

BASE_RC = {
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.labelsize": 12,
    "lines.linewidth": 2.0,
    "axes.prop_cycle": matplotlib.cycler(color=SERIES),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
}
PRESENTER_RC = {
    **BASE_RC,
    "font.size": 20,
    "axes.titlesize": 22,
    "axes.labelsize": 20,
    "xtick.labelsize": 16,
    "ytick.labelsize": 16,
    "legend.fontsize": 16,
    "lines.linewidth": 4.0,
    "lines.markersize": 12,
    "axes.linewidth": 2.0,
}


@contextlib.contextmanager
def presenter_style(presenter=False):
    """Context manager applying the course style; ``presenter=True`` makes everything larger.

    matplotlib reads most sizes when an artist is created, so draw *inside* the block::

        with presenter_style(presenter):
            fig = new_figure(presenter=presenter)
            ax = fig.add_subplot()
            ax.plot(...)
    """
    with matplotlib.rc_context(PRESENTER_RC if presenter else BASE_RC):
        yield


def new_figure(width=6.4, height=4.0, presenter=False, **kwargs):
    """A ``matplotlib.figure.Figure`` (not pyplot) in the course style.

    Use it for figures that widgets redraw: it is not registered with pyplot, so
    ``interact`` and the inline backend never show it in another cell by accident.
    """
    with presenter_style(presenter):
        fig = Figure(figsize=(width, height), layout="constrained", **kwargs)
    return fig


def to_png(fig, dpi=None):
    """The figure rendered as PNG bytes (for ``ipywidgets.Image``)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
