r"""Drawing a small network: units as circles, weights as lines, values written on them.

One function, :func:`draw_network`, serves every picture of a network in the course:

- the plain architecture: ``draw_network([2, 3, 1])``;
- the weights: ``draw_network(sizes, Theta)`` draws each edge with a width proportional to
  :math:`|\Theta^{(l)}_{ij}|` and colors it by sign (blue positive, vermillion negative);
- a gradient: ``draw_network(sizes, edge_values=D)`` does the same for D (any dict shaped like
  Theta: D, Delta, an update);
- one moment of the step-through: ``node_values`` writes z, a, d on the units,
  ``highlight_nodes`` / ``highlight_edges`` mark what the current equation touches and fade the rest.

Keys follow :mod:`backprop_course.stepper`: a node is ``(l, j)``, unit j of layer l with j = 0 the
bias unit (layers l < L) and j = 1 .. s_l the others; an edge is ``(l, i, j)``, the weight
``Theta[l][i, j]`` from node ``(l, j)`` to node ``(l + 1, i + 1)``.
"""

import numpy as np
from matplotlib.figure import Figure

from .style import HIGHLIGHT, NEGATIVE, PALETTE, POSITIVE, new_figure, presenter_style

__all__ = ["draw_network", "draw_scalar_graph", "node_positions", "edge_style", "network_edge_lines",
           "update_network_edges", "trim_edges"]

_FADED = "#BBBBBB"
LAYER_GAP = 3.6
UNIT_GAP = 2.1


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


def _node_value_map(node_values, L):
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
    0.5 + (max_width - 0.5) |value| / scale, so the largest magnitude `scale` gets `max_width`.

    Live views (the playground) restyle existing edges with it, so they match :func:`draw_network`.
    """
    return (POSITIVE if value >= 0 else NEGATIVE), 0.5 + (max_width - 0.5) * abs(value) / scale


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
    L = len(sizes)
    mats = _edge_matrices(sizes, Theta, edge_values)
    values = _node_value_map(node_values, L)
    hl_nodes = {tuple(n) for n in highlight_nodes}
    hl_edges = {tuple(e) for e in highlight_edges}
    any_highlight = bool(hl_nodes or hl_edges) and fade
    emphasis = bool(hl_nodes or hl_edges)
    pos = node_positions(sizes, show_bias=show_bias)
    max_width = max_width or (10.0 if presenter else 6.0)

    with presenter_style(presenter):
        if ax is None:
            tallest = max(sizes) + (1 if show_bias else 0)
            unit = 1.15 if presenter else 0.8                    # inches per data unit
            height = unit * (UNIT_GAP * tallest + 1.6)
            # A fixed layout instead of new_figure's constrained one: the layout solver doubles the
            # render time of this text-heavy diagram, and widgets redraw it at every click.
            fig = Figure(figsize=(unit * (LAYER_GAP * (L - 1) + 2.4), height))
            title_lines = title.count("\n") + 1 if title else 0
            line = (0.42 if presenter else 0.26) * 1.25
            fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=1 - (title_lines * line + 0.1) / height)
            ax = fig.add_subplot()
        font = 18 if presenter else 10
        radius = 0.42
        scale = max((np.abs(M).max() for M in mats.values()), default=1.0) if mats else 1.0
        scale = scale if scale > 0 else 1.0

        # edges first, so the units are drawn over them
        for l in range(1, L):
            for i in range(sizes[l]):
                for j in range(0 if show_bias else 1, sizes[l - 1] + 1):
                    (x0, y0), (x1, y1) = pos[(l, j)], pos[(l + 1, i + 1)]
                    active = (l, i, j) in hl_edges or not any_highlight
                    if mats is not None:
                        v = mats[l][i, j]
                        color, width = edge_style(v, scale, max_width)
                    else:
                        v, color, width = None, PALETTE["black"], 1.5
                    if not active:
                        color, width = _FADED, min(width, 1.5)
                    elif emphasis and not any_highlight and (l, i, j) in hl_edges:
                        ax.plot([x0, x1], [y0, y1], color=HIGHLIGHT, lw=width + 6, alpha=0.6, zorder=1,
                                solid_capstyle="round")
                    ax.plot([x0, x1], [y0, y1], color=color, lw=width, alpha=1.0 if active else 0.5,
                            zorder=1 if not active else 2, solid_capstyle="round")
                    text = None
                    if isinstance(edge_labels, dict):
                        text = edge_labels.get((l, i, j))
                    elif edge_labels and v is not None and (active if any_highlight else True):
                        text = fmt.format(v)
                    if text:
                        f = 0.3 + 0.12 * (i % 3)       # stagger labels so edges into one unit do not collide
                        ax.text(x0 + f * (x1 - x0), y0 + f * (y1 - y0), text, fontsize=font * 0.8,
                                ha="center", va="center", color=color if active else "#777777", zorder=5,
                                bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85))

        for (l, j), (x, y) in pos.items():
            bias = j == 0
            highlighted = (l, j) in hl_nodes
            faded = any_highlight and not highlighted
            edge = HIGHLIGHT if highlighted else ("#999999" if faded else PALETTE["black"])
            face = "#F2F2F2" if bias else "white"
            circle_cls = _square if bias else _circle
            ring = (5 if presenter else 3) if highlighted else 1.5
            ax.add_patch(circle_cls((x, y), radius, fc=face, ec=edge, lw=ring))
            name = "1" if bias else (rf"$x_{{{j}}}$" if l == 1 else rf"$a^{{({l})}}_{{{j}}}$")
            ax.text(x, y, name, ha="center", va="center", fontsize=font, zorder=6,
                    color="#777777" if faded else PALETTE["black"])
            if (l, j) in values:
                v = values[(l, j)]
                text = fmt.format(v) if isinstance(v, (int, float, np.number)) else str(v)
                ax.text(x, y - radius * 1.1, text, ha="center", va="top", fontsize=font * 0.9, linespacing=1.05,
                        zorder=7, color=PALETTE["black"] if not faded else "#555555",
                        bbox=dict(boxstyle="round,pad=0.2", fc="#FFF7E0" if highlighted else "white",
                                  ec=HIGHLIGHT if highlighted else "#CCCCCC", alpha=0.95))

        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        if layer_names:
            for l in range(1, L):
                ax.text((l - 1) * LAYER_GAP, max(ys) + 0.6, f"layer {l}", ha="center", va="bottom", fontsize=font)
            ax.text((L - 1) * LAYER_GAP, max(ys) + 0.6, f"layer {L} (output)", ha="center", va="bottom",
                    fontsize=font)
        ax.set_xlim(min(xs) - 1.1, max(xs) + 1.1)
        ax.set_ylim(min(ys) - 1.5, max(ys) + (1.2 if layer_names else 0.6))
        ax.set_aspect("equal")
        ax.axis("off")
        if title:
            ax.set_title(title, fontsize=font * 1.15)
    return ax


def _circle(xy, r, **kwargs):
    from matplotlib.patches import Circle
    return Circle(xy, r, zorder=4, **kwargs)


def _square(xy, r, **kwargs):
    from matplotlib.patches import FancyBboxPatch
    x, y = xy
    return FancyBboxPatch((x - r * 0.8, y - r * 0.8), 1.6 * r, 1.6 * r, boxstyle="round,pad=0.05", zorder=4, **kwargs)


def draw_scalar_graph(nodes, edges, values=None, grads=None, highlight_node=None, highlight_edge=None,
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
    highlight_edge : (from, to), optional
        The edge the current number travels along; drawn thick, and pointing backwards if `backward`.
    backward : bool
        Whether the highlighted edge carries a gradient (arrow from `to` to `from`).
    ax : matplotlib Axes, optional
    presenter : bool

    Returns
    -------
    matplotlib.axes.Axes
    """
    values = values or {}
    grads = grads or {}
    with presenter_style(presenter):
        if ax is None:
            ax = new_figure(width=11 if presenter else 8.5, height=5.2 if presenter else 3.8,
                            presenter=presenter).add_subplot()
        font = 17 if presenter else 11
        for a_name, b_name in edges:
            (_, x0, y0), (_, x1, y1) = nodes[a_name], nodes[b_name]
            hot = highlight_edge is not None and {a_name, b_name} == set(highlight_edge)
            start, end = ((x1, y1), (x0, y0)) if (hot and backward) else ((x0, y0), (x1, y1))
            ax.annotate("", xy=end, xytext=start, zorder=1,
                        arrowprops=dict(arrowstyle="-|>", color=HIGHLIGHT if hot else "#555555",
                                        lw=(5 if presenter else 3.5) if hot else 1.5, shrinkA=30, shrinkB=30,
                                        mutation_scale=25 if hot else 15))
        for name, (label, x, y) in nodes.items():
            hot = name == highlight_node
            ax.text(x, y, f"${label}$".replace(" ", r"\ "), ha="center", va="center", fontsize=font, zorder=3,
                    bbox=dict(boxstyle="round,pad=0.4", fc="#FFF7E0" if hot else "white",
                              ec=HIGHLIGHT if hot else PALETTE["black"], lw=3.5 if hot else 1.2))
            lines = []
            if name in values:
                lines.append(f"= {values[name]:.3f}")
            if name in grads:
                lines.append(rf"$\partial J/\partial {name}$ = {grads[name]:.3f}")
            for k, text in enumerate(lines):
                ax.text(x, y - 0.27 - 0.27 * k, text, ha="center", va="top", fontsize=font * 0.9, zorder=3,
                        color=PALETTE["black"] if k == 0 and name in values else PALETTE["vermillion"])
        xs = [n[1] for n in nodes.values()]
        ys = [n[2] for n in nodes.values()]
        ax.set_xlim(min(xs) - 0.9, max(xs) + 0.9)
        ax.set_ylim(min(ys) - 1.2, max(ys) + 0.5)
        ax.axis("off")
    return ax


# -- live views: restyle the edges of a drawn network ---------------------------------------------

def network_edge_lines(ax, layer_sizes):
    """The edge lines :func:`~backprop_course.plotting.network.draw_network` drew on `ax`, by edge.

    Returns
    -------
    dict {(l, i, j): matplotlib.lines.Line2D}
        The line of weight ``Theta[l][i, j]``, found from where it starts and ends (the node
        positions), so that a live view can restyle the edges instead of drawing the network again.
    """
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
