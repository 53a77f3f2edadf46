"""One look and one way out for every figure: the palette, projector sizes, figures and their PNGs.

The palette is Okabe and Ito's (2008) set of eight colors that stay distinct under the common
forms of color blindness. Positive weights are drawn in blue, negative in vermillion.

Figures are made with :func:`new_figure` (never pyplot) and leave as PNG bytes: :func:`to_png` for
a picture drawn once, :func:`compact_png` for a small 256-color one, and :class:`LiveFigure` for a
figure that a widget redraws many times, which draws its still parts once and only the changing
artists after that.
"""

import contextlib
import io

import matplotlib
import numpy as np
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


def axes_or_new(ax, width=6.4, height=4.0):
    """`ax`, or the Axes of a new :func:`new_figure` of the given size when `ax` is None."""
    if ax is None:
        ax = new_figure(width, height).add_subplot()
    return ax


def to_png(fig, dpi=None):
    """The figure rendered as PNG bytes (for ``ipywidgets.Image``)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


class LiveFigure:
    """Fast repeated PNG renders of a figure whose artists change: draw the still parts once.

    The first render (and any render after an axis limit changed) draws the whole figure and keeps
    a copy of it without the *dynamic* artists; later renders paste that copy back and draw only
    the dynamic artists on top (matplotlib's "blitting"). A playground frame then costs a few
    milliseconds per view instead of tens.

    A widget whose still part takes a few forms (the precision shown, the measure plotted) names
    the form as the ``scene`` of :meth:`render`: each scene's background is drawn once and kept
    (the last :attr:`KEEP` of them), so switching back and forth redraws only the dynamic artists.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    dynamic : callable () -> list of Artist
        The artists that change between renders, asked for at every render (so artists replaced
        since the last one, such as a new contour, are picked up). They are drawn over the still
        background in the order of their zorder.
    dpi : float
        Resolution of the PNG; lower is faster.
    """

    KEEP = 8

    def __init__(self, fig, dynamic, dpi=80):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        fig.set_dpi(dpi)
        self.fig = fig
        self.canvas = FigureCanvasAgg(fig)
        self.dynamic = dynamic
        self._backgrounds = {}
        self.full_renders = 0

    def _still_state(self):
        """What the background depends on besides the scene: every Axes' limits, place and visibility."""
        return tuple((ax.get_xlim(), ax.get_ylim(), ax.get_position().bounds, ax.get_visible())
                     for ax in self.fig.axes)

    def invalidate(self):
        """Force the next render to draw everything (after changing a still artist)."""
        self._backgrounds = {}

    def render(self, scene=None):
        """The figure as RGBA pixels, shape (height, width, 4), uint8.

        `scene` names the present form of the still part (any hashable); None when it has one form.
        """
        artists = list(self.dynamic())
        for artist in artists:
            artist.set_animated(True)
        key = (scene, self._still_state())
        background = self._backgrounds.get(key)
        if background is None:
            self.canvas.draw()                   # everything but the animated artists
            if self.fig.get_layout_engine() is not None:
                self.fig.set_layout_engine("none")   # keep the positions constrained layout found
                key = (scene, self._still_state())
            if len(self._backgrounds) >= self.KEEP:
                self._backgrounds.pop(next(iter(self._backgrounds)))
            self._backgrounds[key] = self.canvas.copy_from_bbox(self.fig.bbox)
            self.full_renders += 1
        else:
            self.canvas.restore_region(background)
        for artist in sorted(artists, key=lambda a: a.get_zorder()):      # stable: equal zorders keep their order
            if artist.get_visible():
                self.fig.draw_artist(artist)
        return np.asarray(self.canvas.buffer_rgba())

    def png(self, scene=None):
        """The figure as compact PNG bytes (see :func:`compact_png`); `scene` as in :meth:`render`."""
        return encode_png(self.render(scene))


def encode_png(pixels):
    """RGBA pixels -> PNG with a 256-color palette and fast compression.

    The views are flat colors, lines and a smooth background; 256 colors show them without visible
    loss, and the file is about ten times smaller and faster to encode than a full-color one.
    """
    from PIL import Image

    # from the renderer's RGBA buffer; dropping alpha first leaves all 256 colors to the picture
    height, width = pixels.shape[:2]
    picture = Image.frombuffer("RGBA", (width, height), pixels, "raw", "RGBA", 0, 1).convert("RGB")
    picture = picture.quantize(256, method=Image.Quantize.FASTOCTREE)
    buffer = io.BytesIO()
    picture.save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def compact_png(fig, dpi=80):
    """A whole figure as a small PNG (256 colors), e.g. for a static picture stored in a notebook."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return encode_png(np.asarray(canvas.buffer_rgba()))

