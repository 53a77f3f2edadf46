r"""Drawing a small network: units as circles, weights as lines, values written on them.

:func:`draw_network` serves every picture of a network in the course:

- the plain architecture: ``draw_network([2, 3, 1])``;
- the weights: ``draw_network(sizes, Theta)`` draws each edge with a width proportional to
  :math:`|\Theta^{(l)}_{ij}|` and colors it by sign (blue positive, vermillion negative);
- a gradient: ``draw_network(sizes, edge_values=D)`` does the same for D (any dict shaped like
  Theta: D, Delta, an update);
- one moment of the step-through: ``node_values`` writes z, a, d on the units,
  ``highlight_nodes`` / ``highlight_edges`` mark what the current equation touches and fade the rest.

It draws with a :class:`NetworkPicture`, which keeps every artist by its key. A live view (the
step-through, the forward explorer, the playground) makes one picture and calls
:meth:`NetworkPicture.restyle` for every new moment instead of drawing again: the units, their
names and the layer names stay in the still background of a
:class:`~backprop_course.plotting.style.LiveFigure`, and only edges, highlights, numbers and the
title are drawn anew (:meth:`NetworkPicture.dynamic`). :func:`draw_scalar_graph` and
:class:`ScalarGraphPicture` do the same for the chain rule's graph of scalars.

Keys follow :mod:`backprop_course.stepper`: a node is ``(l, j)``, unit j of layer l with j = 0 the
bias unit (layers l < L) and j = 1 .. s_l the others; an edge is ``(l, i, j)``, the weight
``Theta[l][i, j]`` from node ``(l, j)`` to node ``(l + 1, i + 1)``.
"""

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import to_hex, to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyBboxPatch

from .style import HIGHLIGHT, NEGATIVE, PALETTE, POSITIVE, new_figure, presenter_style

__all__ = ["draw_network", "NetworkPicture", "network_figure", "draw_scalar_graph", "ScalarGraphPicture",
           "node_positions", "edge_style"]

_FADED = "#BBBBBB"
LAYER_GAP = 3.6
UNIT_GAP = 2.1
RADIUS = 0.42


def node_positions(layer_sizes, show_bias=True, layer_gap=LAYER_GAP, unit_gap=UNIT_GAP):
    """Where :func:`draw_network` puts each node: ``{(l, j): (x, y)}``.

    Layer l sits at x = (l - 1) * layer_gap; its units are stacked top to bottom and centered on
    y = 0, the bias unit (j = 0) on top, for every layer but the last.
    """
    sizes = [int(s) for s in layer_sizes]
    L = len(sizes)
    pos = {}
    for l, s_l in enumerate(sizes, start=1):
        units = ([0] if (show_bias and l < L) else []) + list(range(1, s_l + 1))
        top = (len(units) - 1) * unit_gap / 2
        for row, j in enumerate(units):
            pos[(l, j)] = ((l - 1) * layer_gap, top - row * unit_gap)
    return pos


def _node_value_map(node_values):
    """Accept {(l, j): value} or {l: sequence for units 1 .. s_l}; return {(l, j): value}."""
    if node_values is None:
        return {}
    out = {}
    for key, value in node_values.items():
        if isinstance(key, tuple):
            out[key] = value
        else:
            for j, v in enumerate(np.ravel(value), start=1):
                out[(int(key), j)] = v
    return out


def _edge_matrices(layer_sizes, Theta, edge_values):
    """The matrices that color the edges: edge_values if given, else Theta, else None."""
    source = edge_values if edge_values is not None else Theta
    if source is None:
        return None
    L = len(layer_sizes)
    mats = {}
    for l in range(1, L):
        if l not in source:
            raise ValueError(f"edge values must be a dict keyed by layer l = 1 .. {L - 1} like Theta; "
                             f"layer {l} is missing (got keys {sorted(source)}).")
        M = np.asarray(source[l], dtype=float)
        expected = (layer_sizes[l], layer_sizes[l - 1] + 1)
        if M.shape != expected:
            raise ValueError(f"edge values for layer {l} have shape {M.shape}; a network with layer sizes "
                             f"{list(layer_sizes)} needs shape {expected} (like Theta[{l}], bias column first).")
        mats[l] = M
    return mats


def edge_style(value, scale, max_width):
    """(color, width in points) of an edge showing `value`: blue if >= 0 else vermillion, width
    0.5 + (max_width - 0.5) |value| / scale, so the largest magnitude `scale` gets `max_width`."""
    return (POSITIVE if value >= 0 else NEGATIVE), 0.5 + (max_width - 0.5) * abs(value) / scale


def network_figure(layer_sizes, presenter=False, show_bias=True, title_lines=0, unit=None):
    """A ``Figure`` with one Axes sized for a network of `layer_sizes`, with a fixed layout.

    A fixed layout instead of :func:`~backprop_course.plotting.style.new_figure`'s constrained one:
    the layout solver doubles the render time of this text-heavy diagram, which widgets redraw at
    every click. `title_lines` leaves room for a title of that many lines; `unit` is the size in
    inches of one unit of the drawing (default 0.8, presenter 1.15).
    """
    sizes = [int(s) for s in layer_sizes]
    L = len(sizes)
    tallest = max(sizes) + (1 if show_bias else 0)
    unit = unit or (1.15 if presenter else 0.8)                      # inches per data unit
    height = unit * (UNIT_GAP * tallest + 1.6)
    fig = Figure(figsize=(unit * (LAYER_GAP * (L - 1) + 2.4), height))
    line = (0.42 if presenter else 0.26) * 1.25
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=1 - (title_lines * line + 0.1) / height)
    return fig.add_subplot()


class NetworkPicture:
    """The artists of one network drawing, kept by key so that a new moment only restyles them.

    Parameters
    ----------
    ax : matplotlib Axes
    layer_sizes : sequence of int, ``[s_1, ..., s_L]``
    presenter : bool
        Projector sizes (bigger fonts, thicker lines).
    show_bias : bool
        Draw the bias units (j = 0) and their edges.
    fmt : str
        Format of numbers written on nodes and edges.
    max_width : float, optional
        Width in points of the edge with the largest magnitude (default 6, presenter 10).
    layer_names : bool
        Write ``layer l`` above each column of units.

    Attributes
    ----------
    edge_keys : list of (l, i, j)
        Every edge, the weight ``Theta[l][i, j]``; :meth:`edge_style` says how it is drawn now.
    positions : dict {(l, j): (x, y)}

    The edges are two ``LineCollection`` artists, not one line each: the faded edges behind, the
    others in front. Drawing a hundred separate lines took most of a redraw of the playground's
    network; two collections draw them in one call each.
    """

    def __init__(self, ax, layer_sizes, presenter=False, show_bias=True, fmt="{:.2f}", max_width=None,
                 layer_names=True):
        sizes = [int(s) for s in layer_sizes]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"layer_sizes must list at least 2 positive unit counts such as [2, 3, 1]; got {sizes}.")
        self.ax, self.sizes, self.presenter, self.fmt = ax, sizes, bool(presenter), fmt
        self.max_width = max_width or (10.0 if presenter else 6.0)
        self.font = 18 if presenter else 10
        self.positions = pos = node_positions(sizes, show_bias=show_bias)
        L = len(sizes)
        self._glows, self._labels, self._values, self._rings, self._fades = {}, {}, {}, {}, {}
        self.edge_keys = [(l, i, j) for l in range(1, L) for i in range(sizes[l])
                          for j in range(0 if show_bias else 1, sizes[l - 1] + 1)]
        self._segments = np.array([_trimmed(pos[(l, j)], pos[(l + 1, i + 1)]) for l, i, j in self.edge_keys])
        E = len(self.edge_keys)
        self._rgba, self._width, self._active = np.empty((E, 4)), np.empty(E), np.ones(E, dtype=bool)
        self._back = ax.add_collection(LineCollection([], capstyle="butt", zorder=1), autolim=False)
        self._front = ax.add_collection(LineCollection([], capstyle="butt", zorder=2), autolim=False)
        with presenter_style(presenter):
            for (l, j), (x, y) in pos.items():
                bias = j == 0
                shape = _square if bias else _circle
                ax.add_patch(shape((x, y), RADIUS, fc="#F2F2F2" if bias else "white", ec=PALETTE["black"], lw=1.5))
                name = "1" if bias else (rf"$x_{{{j}}}$" if l == 1 else rf"$a^{{({l})}}_{{{j}}}$")
                ax.text(x, y, name, ha="center", va="center", fontsize=self.font, zorder=6, color=PALETTE["black"])
            xs = [p[0] for p in pos.values()]
            ys = [p[1] for p in pos.values()]
            if layer_names:
                for l in range(1, L + 1):
                    ax.text((l - 1) * LAYER_GAP, max(ys) + 0.6, f"layer {l}" + (" (output)" if l == L else ""),
                            ha="center", va="bottom", fontsize=self.font)
            ax.set_xlim(min(xs) - 1.1, max(xs) + 1.1)
            ax.set_ylim(min(ys) - 1.5, max(ys) + (1.2 if layer_names else 0.6))
            ax.set_aspect("equal")
            ax.axis("off")

    def restyle(self, Theta=None, edge_values=None, node_values=None, highlight_nodes=(), highlight_edges=(),
                edge_labels=False, fade=True):
        """Show a new moment: the edges' values, the numbers on the units, what is highlighted.

        Parameters as :func:`draw_network`. Returns the picture.
        """
        mats = _edge_matrices(self.sizes, Theta, edge_values)
        values = _node_value_map(node_values)
        hl_nodes = {tuple(n) for n in highlight_nodes}
        hl_edges = {tuple(e) for e in highlight_edges}
        emphasis = bool(hl_nodes or hl_edges)
        faded_mode = emphasis and fade
        scale = max((np.abs(M).max() for M in mats.values()), default=1.0) if mats else 1.0
        scale = scale if scale > 0 and np.isfinite(scale) else 1.0
        for e, (l, i, j) in enumerate(self.edge_keys):
            active = (l, i, j) in hl_edges or not faded_mode
            v = None if mats is None else float(mats[l][i, j])
            if v is None:
                color, width = PALETTE["black"], 1.5
            elif not np.isfinite(v):
                color, width = PALETTE["black"], self.max_width
            else:
                color, width = edge_style(v, scale, self.max_width)
            if not active:
                color, width = _FADED, min(width, 1.5)
            self._rgba[e] = _rgba(color, 1.0 if active else 0.5)
            self._width[e], self._active[e] = width, active
            glow = emphasis and not faded_mode and (l, i, j) in hl_edges
            self._show(self._glows, (l, i, j), glow, self._glow, lambda a, w=width: a.set_linewidth(w + 6))
            text = None
            if isinstance(edge_labels, dict):
                text = edge_labels.get((l, i, j))
            elif edge_labels and v is not None and active:
                text = self.fmt.format(v)
            self._show(self._labels, (l, i, j), bool(text), self._label,
                       lambda a, t=text, c=(color if active else "#777777"): a.set(text=t, color=c))
        for node in self.positions:
            highlighted = node in hl_nodes
            faded = faded_mode and not highlighted
            self._show(self._rings, node, highlighted, self._ring)
            self._show(self._fades, node, faded, self._fade)
            v = values.get(node)
            text = None if v is None else (self.fmt.format(v) if isinstance(v, (int, float, np.number)) else str(v))

            def style(a, t=text, hl=highlighted, faded=faded):
                a.set(text=t, color="#555555" if faded else PALETTE["black"])
                a.get_bbox_patch().set(facecolor="#FFF7E0" if hl else "white", edgecolor=HIGHLIGHT if hl else "#CCCCCC")
            self._show(self._values, node, text is not None, self._value, style)
        for collection, chosen in ((self._back, ~self._active), (self._front, self._active)):
            collection.set_segments(self._segments[chosen])
            collection.set_color(self._rgba[chosen])
            collection.set_linewidth(self._width[chosen])
        return self

    def edge_style(self, key):
        """How edge `key` = (l, i, j) is drawn now: (color as ``#rrggbb``, width in points, alpha)."""
        e = self.edge_keys.index(tuple(key))
        return to_hex(self._rgba[e]), float(self._width[e]), float(self._rgba[e, 3])

    def dynamic(self):
        """The artists :meth:`restyle` changes, for a :class:`~backprop_course.plotting.style.LiveFigure`."""
        return [self._back, self._front, *(a for group in (self._glows, self._labels, self._values, self._rings,
                                                         self._fades) for a in group.values())]

    # -- the optional artists, made the first time they are needed -------------------------------

    @staticmethod
    def _show(store, key, visible, make, style=None):
        """Show or hide the optional artist `key` of `store`, making it the first time it is shown."""
        artist = store.get(key)
        if artist is None and not visible:
            return
        if artist is None:
            artist = store[key] = make(key)
        artist.set_visible(visible)
        if visible and style is not None:
            style(artist)

    def _glow(self, key):
        (x0, y0), (x1, y1) = self._segments[self.edge_keys.index(key)]
        glow, = self.ax.plot([x0, x1], [y0, y1], color=HIGHLIGHT, alpha=0.6, zorder=1, solid_capstyle="butt")
        return glow

    def _label(self, key):
        l, i, j = key
        (x0, y0), (x1, y1) = self.positions[(l, j)], self.positions[(l + 1, i + 1)]
        f = 0.3 + 0.12 * (i % 3)                # staggered, so the labels of edges into one unit do not collide
        return self.ax.text(x0 + f * (x1 - x0), y0 + f * (y1 - y0), "", fontsize=self.font * 0.8, ha="center",
                            va="center", zorder=5, bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none",
                                                             alpha=0.85))

    def _ring(self, node):
        return self.ax.add_patch(_unit_shape(node, self.positions[node], fc="none", ec=HIGHLIGHT,
                                             lw=5 if self.presenter else 3, zorder=4.5))

    def _fade(self, node):
        return self.ax.add_patch(_unit_shape(node, self.positions[node], fc="white", ec="none", alpha=0.55,
                                             zorder=6.5))

    def _value(self, node):
        x, y = self.positions[node]
        return self.ax.text(x, y - RADIUS * 1.1, "", ha="center", va="top", fontsize=self.font * 0.9,
                            linespacing=1.05, zorder=7,
                            bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="#CCCCCC", alpha=0.95))


def _trimmed(start, end, radius=RADIUS + 0.05):
    """The segment from `start` to `end` shortened to stop at the rim of both units."""
    (x0, y0), (x1, y1) = start, end
    length = float(np.hypot(x1 - x0, y1 - y0))
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    return (x0 + radius * ux, y0 + radius * uy), (x1 - radius * ux, y1 - radius * uy)


_RGB = {}          # the few colors of the edges, each converted once


def _rgba(color, alpha):
    """RGBA of a color name with `alpha`."""
    if color not in _RGB:
        _RGB[color] = to_rgba(color)[:3]
    return (*_RGB[color], alpha)


def _circle(xy, r, **kwargs):
    return Circle(xy, r, **{"zorder": 4, **kwargs})


def _square(xy, r, **kwargs):
    x, y = xy
    return FancyBboxPatch((x - r * 0.8, y - r * 0.8), 1.6 * r, 1.6 * r, boxstyle="round,pad=0.05",
                          **{"zorder": 4, **kwargs})


def _unit_shape(node, xy, **kwargs):
    """The outline of unit `node`: a rounded square for a bias unit (j = 0), a circle otherwise."""
    return (_square if node[1] == 0 else _circle)(xy, RADIUS, **kwargs)


def draw_network(layer_sizes, Theta=None, ax=None, node_values=None, edge_values=None, highlight_nodes=(),
                 highlight_edges=(), presenter=False, edge_labels=False, show_bias=True, fmt="{:.2f}",
                 max_width=None, title=None, layer_names=True, fade=True):
    r"""Draw a fully connected network; return the Axes.

    Parameters
    ----------
    layer_sizes : sequence of int
        ``[s_1, ..., s_L]``, bias units not counted (``bp.network.layer_sizes(Theta)`` gives it).
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}, optional
        Weights: edge width proportional to :math:`|\Theta^{(l)}_{ij}|`, color by sign.
    ax : matplotlib Axes, optional
        Drawn into if given; otherwise a new ``matplotlib.figure.Figure`` (not pyplot) is made.
    node_values : dict, optional
        Text written beside units: ``{(l, j): value}`` or ``{l: values for units 1 .. s_l}``.
        Numbers are formatted with `fmt`, strings are written as they are (may hold newlines).
    edge_values : dict {l: ndarray like Theta[l]}, optional
        What the edges show instead of Theta, e.g. the gradient D. Same width/color rule.
    highlight_nodes : iterable of (l, j)
        Units drawn with a thick orange ring; with any highlight, the rest is faded.
    highlight_edges : iterable of (l, i, j)
        Edges drawn at full strength; other edges are faded when any highlight is given.
    presenter : bool
        Projector sizes (bigger fonts, thicker lines).
    edge_labels : bool or dict {(l, i, j): str}
        True writes the edge value (edge_values or Theta, with `fmt`) on each highlighted edge, or on
        every edge when nothing is highlighted; a dict writes its own text on the given edges.
    show_bias : bool
        Draw the bias units (j = 0) and their edges.
    fmt : str
        Format of numbers written on nodes and edges.
    max_width : float, optional
        Width in points of the edge with the largest magnitude (default 6, presenter 10).
    title : str, optional
    layer_names : bool
        Write ``layer l`` above each column of units.
    fade : bool
        With highlights, draw everything else in grey (default). False keeps the other edges in
        their colors (and writes their labels), so the highlight only adds emphasis.

    Returns
    -------
    matplotlib.axes.Axes
    """

    sizes = [int(s) for s in layer_sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"layer_sizes must list at least 2 positive unit counts such as [2, 3, 1]; got {sizes}.")
    _edge_matrices(sizes, Theta, edge_values)                            # a clear error before drawing
    with presenter_style(presenter):
        if ax is None:
            ax = network_figure(sizes, presenter, show_bias, title_lines=title.count("\n") + 1 if title else 0)
        picture = NetworkPicture(ax, sizes, presenter=presenter, show_bias=show_bias, fmt=fmt, max_width=max_width,
                                 layer_names=layer_names)
        picture.restyle(Theta, edge_values, node_values, highlight_nodes, highlight_edges, edge_labels, fade)
        if title:
            ax.set_title(title, fontsize=picture.font * 1.15)
    ax.network = picture
    return ax


class ScalarGraphPicture:
    """The artists of a computational graph of scalars, kept so that a new step only restyles them.

    The node boxes are the still part; the arrows, the highlighted node and the numbers under the
    nodes change from step to step (:meth:`restyle`, :meth:`dynamic`).

    Parameters
    ----------
    ax : matplotlib Axes
    nodes : dict {name: (label, x, y)}
        E.g. :data:`backprop_course.chain_rule.GRAPH_NODES`.
    edges : list of (from, to)
        Arrows in the forward direction.
    presenter : bool
    """

    def __init__(self, ax, nodes, edges, presenter=False):
        self.ax, self.nodes, self.presenter = ax, nodes, bool(presenter)
        self.font = 17 if presenter else 11
        box = dict(boxstyle="round,pad=0.4", fc="white", ec=PALETTE["black"], lw=1.2)
        self.arrows = {}
        for a_name, b_name in edges:
            (_, x0, y0), (_, x1, y1) = nodes[a_name], nodes[b_name]
            self.arrows[(a_name, b_name)] = ax.annotate("", xy=(x1, y1), xytext=(x0, y0), zorder=1,
                                                        arrowprops=self._arrow_props(False))
        self.highlights, self.values, self.grads = {}, {}, {}
        for name, (label, x, y) in nodes.items():
            math = f"${label}$".replace(" ", r"\ ")
            ax.text(x, y, math, ha="center", va="center", fontsize=self.font, zorder=3, bbox=box)
            self.highlights[name] = ax.text(x, y, math, ha="center", va="center", fontsize=self.font, zorder=4,
                                            visible=False, bbox={**box, "fc": "#FFF7E0", "ec": HIGHLIGHT, "lw": 3.5})
            self.values[name] = ax.text(x, y - 0.27, "", ha="center", va="top", fontsize=self.font * 0.9, zorder=3,
                                        color=PALETTE["black"])
            self.grads[name] = ax.text(x, y - 0.27, "", ha="center", va="top", fontsize=self.font * 0.9, zorder=3,
                                       color=PALETTE["vermillion"])
        xs = [n[1] for n in nodes.values()]
        ys = [n[2] for n in nodes.values()]
        ax.set_xlim(min(xs) - 0.9, max(xs) + 0.9)
        ax.set_ylim(min(ys) - 1.2, max(ys) + 0.5)
        ax.axis("off")

    def _arrow_props(self, hot):
        return dict(arrowstyle="-|>", color=HIGHLIGHT if hot else "#555555", shrinkA=30, shrinkB=30,
                    lw=(5 if self.presenter else 3.5) if hot else 1.5, mutation_scale=25 if hot else 15)

    def restyle(self, values=None, grads=None, highlight_node=None, highlight_edges=(), backward=False):
        """Show a step: the values and gradients known so far, the node computed and the edges used.

        Parameters as :func:`draw_scalar_graph`. Returns the picture.
        """
        values, grads = values or {}, grads or {}
        hot_edges = [set(edge) for edge in highlight_edges]
        for (a_name, b_name), arrow in self.arrows.items():
            hot = {a_name, b_name} in hot_edges
            (_, x0, y0), (_, x1, y1) = self.nodes[a_name], self.nodes[b_name]
            start, end = ((x1, y1), (x0, y0)) if (hot and backward) else ((x0, y0), (x1, y1))
            arrow.xy, arrow.xyann = end, start
            props = self._arrow_props(hot)
            arrow.arrow_patch.set(color=props["color"], linewidth=props["lw"], mutation_scale=props["mutation_scale"])
        for name, (_, _, y) in self.nodes.items():
            self.highlights[name].set_visible(name == highlight_node)
            has_value = name in values
            self.values[name].set_text(f"= {values[name]:.3f}" if has_value else "")
            self.grads[name].set_text(rf"$\partial J/\partial {name}$ = {grads[name]:.3f}" if name in grads else "")
            self.grads[name].set_y(y - 0.27 - (0.27 if has_value else 0.0))
        return self

    def dynamic(self):
        """The artists :meth:`restyle` changes, for a :class:`~backprop_course.plotting.style.LiveFigure`."""
        return [*self.arrows.values(), *self.highlights.values(), *self.values.values(), *self.grads.values()]


def draw_scalar_graph(nodes, edges, values=None, grads=None, highlight_node=None, highlight_edges=(),
                      backward=False, ax=None, presenter=False):
    r"""Draw a computational graph of scalars with forward values and backward gradients; return the Axes.

    Parameters
    ----------
    nodes : dict {name: (label, x, y)}
        E.g. :data:`backprop_course.chain_rule.GRAPH_NODES`.
    edges : list of (from, to)
        Arrows in the forward direction.
    values : dict {name: float}, optional
        Forward values, written under each node in black.
    grads : dict {name: float}, optional
        Gradients dJ/dname, written under the value in orange.
    highlight_node : str, optional
        The node the current step computes (thick orange border).
    highlight_edges : iterable of (from, to), optional
        The edges the current numbers travel along (two where gradients from two paths meet);
        drawn thick, and pointing backwards if `backward`.
    backward : bool
        Whether the highlighted edges carry gradients (arrows from `to` to `from`).
    ax : matplotlib Axes, optional
    presenter : bool

    Returns
    -------
    matplotlib.axes.Axes
    """

    with presenter_style(presenter):
        if ax is None:
            ax = new_figure(width=11 if presenter else 8.5, height=5.2 if presenter else 3.8,
                            presenter=presenter).add_subplot()
        picture = ScalarGraphPicture(ax, nodes, edges, presenter)
        picture.restyle(values, grads, highlight_node, highlight_edges, backward)
    ax.graph = picture
    return ax
