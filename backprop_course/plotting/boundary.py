r"""What a classifier has learned, drawn over its input plane: the playground's live views.

- :func:`plot_decision_boundary`: the network's output a(L) on a grid as a colored background,
  the 0.5 level (the decision boundary of one sigmoid output) as a line, the data on top;
- :func:`plot_cost_curves`: J on the training and the test columns against the epoch;
- :func:`plot_neuron_heatmaps`: every unit's output over the input plane, one small map per unit,
  a column per layer, so a learner sees hidden units carving the plane and the output combining them.

Each function takes arrays and an optional ``ax`` and returns the Axes. For live redraws each
also has an ``update_*`` partner that changes only the data of the artists already drawn, which
is several times faster than drawing again (the playground redraws many times a second).
"""

import numpy as np
from matplotlib.colors import LinearSegmentedColormap, to_rgb

from .style import NEGATIVE, PALETTE, POSITIVE, new_figure

__all__ = ["CLASS_COLORS", "output_to_rgb", "plot_decision_boundary", "update_decision_boundary",
           "plot_cost_curves", "update_cost_curves", "plot_neuron_heatmaps", "update_neuron_heatmaps",
           "heatmap_mosaic", "activation_range", "LiveFigure",
           "network_edge_lines", "update_network_edges", "trim_edges", "compact_png"]

# Class 0 orange, class 1 blue (as in the Okabe-Ito palette), then green, purple, ... for K > 2.
CLASS_COLORS = [PALETTE["orange"], PALETTE["blue"], PALETTE["green"], PALETTE["purple"], PALETTE["vermillion"],
                PALETTE["sky"], PALETTE["yellow"], PALETTE["black"]]
_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
# The background for one sigmoid output: orange (a = 0) through white (a = 0.5) to blue (a = 1).
BINARY_CMAP = LinearSegmentedColormap.from_list("bpc_binary", [CLASS_COLORS[0], "#FFFFFF", CLASS_COLORS[1]])
# Hidden units: negative vermillion, zero white, positive blue (the sign colors of the weights).
UNIT_CMAP = LinearSegmentedColormap.from_list("bpc_units", [NEGATIVE, "#FFFFFF", POSITIVE])
_TEST_EDGE = PALETTE["black"]


def output_to_rgb(out, strength=0.75):
    """The background colors for the network's output on a grid.

    Parameters
    ----------
    out : ndarray, shape (r, c) or (K, r, c)
        a(L) on the grid: one sigmoid output (values in [0, 1]) or K class scores per point.
    strength : float in (0, 1]
        How saturated a fully confident point is; lower keeps the data points readable.

    Returns
    -------
    ndarray, shape (r, c, 3)
        RGB in [0, 1]. One output: the diverging orange-white-blue map of a. K outputs: the color
        of the winning class, faded towards white where the network is unsure.
    """
    out = np.asarray(out, dtype=float)
    if out.ndim == 2:
        rgb = BINARY_CMAP(np.clip(out, 0.0, 1.0))[..., :3]
        return 1.0 - strength * (1.0 - rgb)
    if out.ndim != 3:
        raise ValueError(f"out must have shape (r, c) for one output or (K, r, c) for K classes; got {out.shape}.")
    K = out.shape[0]
    colors = np.array([to_rgb(CLASS_COLORS[k % len(CLASS_COLORS)]) for k in range(K)])
    winner = np.argmax(out, axis=0)
    total = np.clip(out.sum(axis=0), 1e-12, None)
    confidence = np.take_along_axis(out, winner[None], axis=0)[0] / total     # 1/K .. 1
    weight = strength * np.clip((confidence - 1.0 / K) / (1.0 - 1.0 / K), 0.0, 1.0)
    return 1.0 - weight[..., None] * (1.0 - colors[winner])


def _to_uint8(rgb):
    """8-bit pixels: matplotlib resamples them several times faster than float ones."""
    return (np.clip(rgb, 0.0, 1.0) * 255 + 0.5).astype(np.uint8)


def _check_grid(x1, x2, out):
    x1, x2 = np.asarray(x1, dtype=float), np.asarray(x2, dtype=float)
    out = np.asarray(out, dtype=float)
    if x1.ndim != 1 or x2.ndim != 1 or out.shape[-2:] != (x2.size, x1.size):
        raise ValueError(
            f"out must be a map over the grid, shape (len(x2), len(x1)) = ({x2.size}, {x1.size}) or "
            f"(K, {x2.size}, {x1.size}); got {out.shape} (row r of the map is x2[r], column c is x1[c])."
        )
    return x1, x2, out


def plot_decision_boundary(x1, x2, out, X, labels, ax=None, X_test=None, labels_test=None, presenter=False,
                           title=None):
    """The network's output over the plane, its decision boundary and the data.

    Parameters
    ----------
    x1, x2 : ndarray, shapes (c,) and (r,)
        Grid coordinates along each input axis.
    out : ndarray, shape (r, c) or (K, r, c)
        a(L) at the grid points (see :func:`output_to_rgb`).
    X : ndarray, shape (2, m)
        Training points, one per column.
    labels : ndarray of int, shape (m,)
        Their classes 0 .. K-1.
    X_test, labels_test : optional
        Test points, drawn hollow with a black edge.
    ax : matplotlib Axes, optional
    presenter : bool
        Bigger markers and lines.

    Returns
    -------
    matplotlib.axes.Axes
    """
    x1, x2, out = _check_grid(x1, x2, out)
    X = np.asarray(X, dtype=float)
    labels = np.asarray(labels)
    if X.ndim != 2 or X.shape[0] != 2 or labels.shape != (X.shape[1],):
        raise ValueError(f"X must have shape (2, m) with labels of shape (m,); got X {X.shape}, labels {labels.shape}.")
    if ax is None:
        ax = new_figure(5.0, 4.6, presenter=presenter).add_subplot()
    size = 70 if presenter else 28
    extent = (x1[0], x1[-1], x2[0], x2[-1])
    image = ax.imshow(_to_uint8(output_to_rgb(out)), origin="lower", extent=extent, aspect="auto",
                      interpolation="bilinear", zorder=0)
    image.set_gid("bpc-boundary-image")
    classes = int(max(labels.max(initial=0), 1 if X_test is None else np.max(labels_test, initial=0))) + 1
    for k in range(classes):
        color, marker = CLASS_COLORS[k % len(CLASS_COLORS)], _MARKERS[k % len(_MARKERS)]
        pts = X[:, labels == k]
        ax.scatter(pts[0], pts[1], s=size, c=color, marker=marker, edgecolors="white", linewidths=0.8,
                   zorder=3, label=f"class {k}")
        if X_test is not None and np.size(X_test):
            pts = np.asarray(X_test)[:, np.asarray(labels_test) == k]
            ax.scatter(pts[0], pts[1], s=size, facecolors="white", marker=marker, edgecolors=color,
                       linewidths=2.2 if presenter else 1.5, zorder=3)
    ax._bpc_level = None
    _draw_level(ax, x1, x2, out, presenter)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_xlabel(r"$x_1$")
    ax.set_ylabel(r"$x_2$")
    ax.set_title(title or ("decision boundary: a$^{(L)}$ = 0.5" if out.ndim == 2 else "predicted class"))
    return ax


def _draw_level(ax, x1, x2, out, presenter):
    """The a = 0.5 line of one sigmoid output (nothing for K outputs: the colors show the regions).

    The line is one LineCollection whose segments are replaced on every update (contourpy, the
    library behind ``ax.contour``, finds them), which is much cheaper than a new ``ax.contour``.
    """
    import contourpy
    from matplotlib.collections import LineCollection

    level = getattr(ax, "_bpc_level", None)
    if level is None:
        level = LineCollection([], colors=PALETTE["black"], linewidths=3.0 if presenter else 1.6, zorder=2,
                               gid="bpc-boundary-line")
        ax.add_collection(level, autolim=False)
        ax._bpc_level = level
    segments = []
    if out.ndim == 2 and np.nanmin(out) < 0.5 < np.nanmax(out):
        segments = contourpy.contour_generator(x1, x2, np.nan_to_num(out, nan=0.5),
                                               line_type=contourpy.LineType.Separate).lines(0.5)
    level.set_segments(segments)
    return level


def update_decision_boundary(ax, x1, x2, out, presenter=False):
    """Redraw only the background and the boundary line of an Axes from :func:`plot_decision_boundary`."""
    x1, x2, out = _check_grid(x1, x2, out)
    image = next((im for im in ax.images if im.get_gid() == "bpc-boundary-image"), None)
    if image is None:
        raise ValueError("ax has no decision boundary to update; draw it first with plot_decision_boundary.")
    image.set_data(_to_uint8(output_to_rgb(out)))
    _draw_level(ax, x1, x2, out, presenter)
    return ax


def plot_cost_curves(epochs, cost, test_cost=None, ax=None, presenter=False, title="cost J"):
    """J against the epoch for the training columns (solid) and the test columns (dashed).

    Parameters
    ----------
    epochs : ndarray, shape (E,)
    cost : ndarray, shape (E,)
        J on the training columns after each epoch.
    test_cost : ndarray, shape (E,), optional
        J on the held-out columns; a gap that widens while the training cost falls is overfitting.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    if ax is None:
        ax = new_figure(5.0, 3.2, presenter=presenter).add_subplot()
    # a dot marks the latest value, so the curve is visible from its first point on
    size = 9 if presenter else 5
    ax.plot([], [], color=PALETTE["blue"], label="training J", gid="bpc-train", marker="o", markevery=[-1],
            markersize=size)
    ax.plot([], [], color=PALETTE["vermillion"], ls="--", label="test J", gid="bpc-test", marker="o",
            markevery=[-1], markersize=size)
    ax.set_xlabel("epoch")
    ax.set_ylabel(r"$J(\Theta)$")
    if title:
        ax.set_title(title, loc="left")
    ax.grid(alpha=0.3)
    # above the plot, where no curve can hide it
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2, frameon=False, borderaxespad=0.2)
    update_cost_curves(ax, epochs, cost, test_cost)
    return ax


def update_cost_curves(ax, epochs, cost, test_cost=None):
    """Give the lines of :func:`plot_cost_curves` new data and rescale the axes."""
    epochs = np.asarray(epochs, dtype=float)
    cost = np.asarray(cost, dtype=float)
    if cost.shape != epochs.shape:
        raise ValueError(f"cost must have one value per epoch, shape {epochs.shape}; got {cost.shape}.")
    lines = {line.get_gid(): line for line in ax.lines}
    lines["bpc-train"].set_data(epochs, cost)
    has_test = test_cost is not None and np.isfinite(np.asarray(test_cost, dtype=float)).any()
    if has_test:
        test_cost = np.asarray(test_cost, dtype=float)
        lines["bpc-test"].set_data(epochs, test_cost)
    else:
        lines["bpc-test"].set_data([], [])
    lines["bpc-test"].set_visible(has_test)
    finite = [c[np.isfinite(c)] for c in ([cost, test_cost] if has_test else [cost])]
    top = max((c.max() for c in finite if c.size), default=1.0)
    last = float(epochs[-1]) if epochs.size else 0.0
    # Limits move in steps (10, 20, 50, 100, ...), not every epoch: a live view then redraws its
    # axes only now and then, and the curve does not jitter while it grows.
    x_max = next(n for n in _nice_steps() if n >= last)
    y_max = _nice_ceiling(1.05 * top) if top > 0 else 1.0
    if ax.get_xlim() != (0.0, x_max):
        ax.set_xlim(0.0, x_max)
    if ax.get_ylim() != (0.0, y_max):
        ax.set_ylim(0.0, y_max)
    return ax


def _nice_steps():
    """10, 20, 50, 100, 200, 500, ..."""
    base = 10
    while True:
        for f in (1, 2, 5):
            yield f * base
        base *= 10


def _nice_ceiling(value):
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten that is >= value."""
    power = 10.0 ** np.floor(np.log10(value))
    for f in (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if f * power >= value * (1 - 1e-12):
            return float(f * power)
    return float(10 * power)


def heatmap_mosaic(maps, layer_ranges, max_units=8, gap=4):
    """All units' maps as one RGB picture: a column per layer, a tile per unit.

    Drawing one image is far cheaper than one small Axes per unit, which keeps live redraws fast.

    Parameters
    ----------
    maps : dict {l: ndarray of shape (s_l, r, c)}
        Unit outputs over the grid for layers l = 2 .. L (see ``PlaygroundState.grid_activations``).
    layer_ranges : dict {l: (low, high)}
        The value range each layer's colors span: (-1, 1) for tanh, (0, 1) for sigmoid outputs.
    max_units : int
        Units shown per layer; the rest are counted in the labels.
    gap : int
        White pixels between tiles.

    Returns
    -------
    image : ndarray, shape (H, W, 3)
    tiles : dict {(l, j): (row, col)}
        Where unit j (1-based) of layer l sits in the mosaic (tile indices).
    """
    layers = sorted(maps)
    if not layers:
        raise ValueError("maps is empty; it needs the unit outputs of at least one layer.")
    r, c = maps[layers[0]].shape[1:]
    rows = min(max(maps[l].shape[0] for l in layers), max_units)
    H, W = rows * r + (rows - 1) * gap, len(layers) * c + (len(layers) - 1) * gap
    image = np.ones((H, W, 3))
    tiles = {}
    for col, l in enumerate(layers):
        low, high = layer_ranges[l]
        units = maps[l][:max_units]
        offset = (rows - units.shape[0]) * (r + gap) // 2        # center short layers vertically
        for j, unit in enumerate(units):
            if l == layers[-1] and maps[l].shape[0] > 1:
                # one output unit per class: white (0) to the class's color (1), as in the boundary view
                color = np.array(to_rgb(CLASS_COLORS[j % len(CLASS_COLORS)]))
                share = np.clip(unit, 0.0, 1.0)[..., None]
                rgb = 1.0 - share * (1.0 - color)
            elif l == layers[-1] and low == 0.0 and high == 1.0:
                rgb = BINARY_CMAP(np.clip(unit, 0.0, 1.0))[..., :3]
            else:
                rgb = UNIT_CMAP(np.clip((unit - low) / (high - low), 0.0, 1.0))[..., :3]
            top = offset + j * (r + gap)
            left = col * (c + gap)
            # row 0 of a map is the lowest x2: flip so that up in the picture is up in the plane
            image[top:top + r, left:left + c] = rgb[::-1]
            tiles[(l, j + 1)] = (top, left)
    return image, tiles


def plot_neuron_heatmaps(maps, layer_ranges, ax=None, presenter=False, max_units=8, title="each unit's output"):
    """Every unit's output over the input plane, one tile per unit, one column per layer.

    Parameters
    ----------
    maps : dict {l: ndarray of shape (s_l, r, c)}
        From ``PlaygroundState.grid_activations``: layer 2 .. L-1 hidden units and the output layer L.
    layer_ranges : dict {l: (low, high)}
        Color range per layer; hidden units are vermillion (low) - white - blue (high).
    ax : matplotlib Axes, optional
    max_units : int
        At most this many units per layer are drawn.

    Returns
    -------
    matplotlib.axes.Axes
    """
    if ax is None:
        ax = new_figure(1.3 * len(maps) + 0.6, 5.0, presenter=presenter).add_subplot()
    image, tiles = heatmap_mosaic(maps, layer_ranges, max_units=max_units)
    ax.imshow(_to_uint8(image), interpolation="nearest", aspect="equal", gid="bpc-mosaic")
    layers = sorted(maps)
    r, c = maps[layers[0]].shape[1:]
    L = layers[-1]
    for col, l in enumerate(layers):
        more = maps[l].shape[0] - max_units
        name = ("output" if l == L else f"layer {l}") + (f"\n+{more} more" if more > 0 else "")
        ax.text(col * (c + 4) + c / 2, -3, name, ha="center", va="bottom",
                fontsize=(16 if presenter else 9))
    ax.set_axis_off()
    ax.set_title(title, pad=(34 if presenter else 22))
    ax._bpc_tiles = tiles
    return ax


def update_neuron_heatmaps(ax, maps, layer_ranges, max_units=8):
    """New unit outputs for an Axes from :func:`plot_neuron_heatmaps` (same network shape)."""
    image, _ = heatmap_mosaic(maps, layer_ranges, max_units=max_units)
    mosaic = next((im for im in ax.images if im.get_gid() == "bpc-mosaic"), None)
    if mosaic is None or mosaic.get_array().shape != image.shape:
        raise ValueError("ax has no mosaic of this network's shape; draw it with plot_neuron_heatmaps first.")
    mosaic.set_data(_to_uint8(image))
    return ax


def activation_range(activation, values=None):
    """The color range for a hidden activation: tanh (-1, 1), sigmoid (0, 1), relu/identity from the data."""
    if activation == "tanh":
        return (-1.0, 1.0)
    if activation == "sigmoid":
        return (0.0, 1.0)
    top = float(np.max(np.abs(values))) if values is not None and np.size(values) else 1.0
    top = top if top > 0 else 1.0
    return (-top, top)



class LiveFigure:
    """Fast repeated PNG renders of a figure whose artists change: draw the still parts once.

    The first render (and any render after an axis limit changed) draws the whole figure and keeps
    a copy of it without the *dynamic* artists; later renders paste that copy back and draw only
    the dynamic artists on top (matplotlib's "blitting"). A playground frame then costs a few
    milliseconds per view instead of tens.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    dynamic : callable () -> list of Artist
        The artists that change between renders, asked for at every render (so artists replaced
        since the last one, such as a new contour, are picked up).
    dpi : float
        Resolution of the PNG; lower is faster.
    """

    def __init__(self, fig, dynamic, dpi=80):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        fig.set_dpi(dpi)
        self.fig = fig
        self.canvas = FigureCanvasAgg(fig)
        self.dynamic = dynamic
        self._background = None
        self._limits = None
        self.full_renders = 0

    def _current_limits(self):
        return [(ax.get_xlim(), ax.get_ylim(), ax.get_position().bounds) for ax in self.fig.axes]

    def invalidate(self):
        """Force the next render to draw everything (after changing a still artist)."""
        self._background = None

    def render(self):
        """The figure as RGBA pixels, shape (height, width, 4), uint8."""
        artists = list(self.dynamic())
        for artist in artists:
            artist.set_animated(True)
        if self._background is None or self._limits != self._current_limits():
            self.canvas.draw()                   # everything but the animated artists
            if self.fig.get_layout_engine() is not None:
                self.fig.set_layout_engine("none")   # keep the positions constrained layout found
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
            self._limits = self._current_limits()
            self.full_renders += 1
        else:
            self.canvas.restore_region(self._background)
        for artist in artists:
            if artist.get_visible():
                self.fig.draw_artist(artist)
        return np.asarray(self.canvas.buffer_rgba())

    def png(self):
        """The figure as compact PNG bytes (see :func:`compact_png`)."""
        return _encode_png(self.render())


def _encode_png(pixels):
    """RGBA pixels -> PNG with a 256-color palette and fast compression.

    The views are flat colors, lines and a smooth background; 256 colors show them without visible
    loss, and the file is about ten times smaller and faster to encode than a full-color one.
    """
    import io

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
    return _encode_png(np.asarray(canvas.buffer_rgba()))


def network_edge_lines(ax, layer_sizes):
    """The edge lines :func:`~backprop_course.plotting.network.draw_network` drew on `ax`, by edge.

    Returns
    -------
    dict {(l, i, j): matplotlib.lines.Line2D}
        The line of weight ``Theta[l][i, j]``, found from where it starts and ends (the node
        positions), so that a live view can restyle the edges instead of drawing the network again.
    """
    from .network import node_positions

    where = {tuple(np.round(xy, 6)): node for node, xy in node_positions(layer_sizes).items()}
    edges = {}
    for line in ax.lines:
        xs, ys = line.get_xdata(), line.get_ydata()
        if len(xs) != 2:
            continue
        start = where.get((round(float(xs[0]), 6), round(float(ys[0]), 6)))
        end = where.get((round(float(xs[1]), 6), round(float(ys[1]), 6)))
        if start and end and end[0] == start[0] + 1:
            edges[(start[0], end[1] - 1, start[1])] = line
    return edges


def update_network_edges(edges, edge_values, presenter=False, max_width=None):
    """Restyle edge lines for new weights (or D): width proportional to |value|, color by sign.

    The same rule as ``draw_network``: the largest magnitude gets `max_width` points (6, presenter
    10), zero gets 0.5; positive values are blue, negative vermillion.

    Parameters
    ----------
    edges : dict {(l, i, j): Line2D}
        From :func:`network_edge_lines`.
    edge_values : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}
        Theta, D or anything shaped like them.
    """
    from .network import edge_style

    max_width = max_width or (10.0 if presenter else 6.0)
    with np.errstate(invalid="ignore"):
        scale = max(float(np.nanmax(np.abs(M))) if np.size(M) else 0.0 for M in edge_values.values())
    scale = scale if np.isfinite(scale) and scale > 0 else 1.0
    for (l, i, j), line in edges.items():
        v = float(edge_values[l][i, j])
        if not np.isfinite(v):
            line.set_color(PALETTE["black"])
            line.set_linewidth(max_width)
            continue
        color, width = edge_style(v, scale, max_width)
        line.set_color(color)
        line.set_linewidth(width)


def trim_edges(edges, radius=0.5):
    """Shorten each edge line so it stops at the rim of its two units (radius in data units).

    A live view then keeps the units in its still background and redraws only the edges on
    top without covering the units.
    """
    for line in edges.values():
        (x0, x1), (y0, y1) = line.get_xdata(), line.get_ydata()
        length = float(np.hypot(x1 - x0, y1 - y0))
        if length <= 2 * radius:
            continue
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        line.set_data([x0 + radius * ux, x1 - radius * ux], [y0 + radius * uy, y1 - radius * uy])
        line.set_solid_capstyle("butt")
    return edges
