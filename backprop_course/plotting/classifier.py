r"""What a classifier has learned: its decisions over the input plane, its units' maps, its confusions.

- :func:`plot_decision_boundary`: the network's output a(L) on a grid as a colored background,
  the 0.5 level (the decision boundary of one sigmoid output) as a line, the data on top;
- :func:`plot_neuron_heatmaps`: every unit's output over the input plane, one small map per unit,
  a column per layer, so a learner sees hidden units carving the plane and the output combining them;
- :func:`plot_confusion_matrix`: which true class is predicted as which (notebook 13).

Each function takes arrays and an optional ``ax`` and returns the Axes. For live redraws the plane
views also have an ``update_*`` partner that changes only the data of the artists already drawn,
which is several times faster than drawing again (the playground redraws many times a second).
"""

import numpy as np
from matplotlib.colors import LinearSegmentedColormap, to_rgb

from ..activations import ACTIVATIONS
from .style import NEGATIVE, PALETTE, POSITIVE, SEQUENTIAL_CMAP, axes_or_new, new_figure

__all__ = ["CLASS_COLORS", "output_to_rgb", "plot_decision_boundary", "update_decision_boundary",
           "plot_neuron_heatmaps", "update_neuron_heatmaps", "heatmap_mosaic", "activation_range",
           "plot_confusion_matrix"]

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
                   zorder=3, label=f"class {k}", gid=f"bpc-train-{k}")
        if X_test is not None and np.size(X_test):
            pts = np.asarray(X_test)[:, np.asarray(labels_test) == k]
            ax.scatter(pts[0], pts[1], s=size, facecolors="white", marker=marker, edgecolors=color,
                       linewidths=2.2 if presenter else 1.5, zorder=3, gid=f"bpc-test-{k}")
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


def update_decision_boundary(ax, x1, x2, out, presenter=False, X=None, labels=None, X_test=None, labels_test=None):
    """Redraw only the background and the boundary line of an Axes from :func:`plot_decision_boundary`.

    With `X` and `labels` (and the test points, if they were drawn) the points move too, and the
    plane follows the new grid `x1`, `x2`: new data of the same classes without drawing anew.
    """
    x1, x2, out = _check_grid(x1, x2, out)
    image = next((im for im in ax.images if im.get_gid() == "bpc-boundary-image"), None)
    if image is None:
        raise ValueError("ax has no decision boundary to update; draw it first with plot_decision_boundary.")
    image.set_data(_to_uint8(output_to_rgb(out)))
    _draw_level(ax, x1, x2, out, presenter)
    if X is not None:
        points = {c.get_gid(): c for c in ax.collections if str(c.get_gid()).startswith(("bpc-train-", "bpc-test-"))}
        for kind, X_k, labels_k in (("train", X, labels), ("test", X_test, labels_test)):
            if X_k is None:
                continue
            X_k, labels_k = np.asarray(X_k, dtype=float), np.asarray(labels_k)
            for k in np.unique(labels_k):
                if f"bpc-{kind}-{k}" not in points:
                    raise ValueError(f"ax shows no {kind} points of class {k}; draw it anew with "
                                     f"plot_decision_boundary.")
            for gid, collection in points.items():
                if gid.startswith(f"bpc-{kind}-"):
                    collection.set_offsets(X_k[:, labels_k == int(gid.rsplit("-", 1)[1])].T)
        extent = (x1[0], x1[-1], x2[0], x2[-1])
        image.set_extent(extent)
        ax.set_xlim(extent[0], extent[1])
        ax.set_ylim(extent[2], extent[3])
    return ax


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
    """The color range for a layer of `activation` units: the range of g from the registry
    (tanh and softsign (-1, 1), sigmoid (0, 1)), or for unbounded g (relu, identity) symmetric around
    0 and as wide as the largest |value| in `values`."""
    bounded = ACTIVATIONS[activation].values
    if bounded is not None:
        return tuple(float(v) for v in bounded)
    top = float(np.max(np.abs(values))) if values is not None and np.size(values) else 1.0
    top = top if top > 0 else 1.0
    return (-top, top)


def plot_confusion_matrix(C, ax=None, class_names=None, normalize=False):
    """The confusion matrix as a colored grid with the counts written in the cells.

    Parameters
    ----------
    C : ndarray of int, shape (K, K)
        From :func:`~backprop_course.labels.confusion_matrix`: rows true, columns predicted.
    ax : matplotlib Axes, optional
    class_names : sequence of str, optional
    normalize : bool
        Color by the fraction of each true class (row) instead of raw counts.

    Returns
    -------
    matplotlib Axes
    """
    C = np.asarray(C)
    if C.ndim != 2 or C.shape[0] != C.shape[1]:
        raise ValueError(f"C must be a square K x K matrix; got shape {C.shape}.")
    K = C.shape[0]
    ax = axes_or_new(ax, 5.6, 5.0)
    shown = C / np.maximum(C.sum(axis=1, keepdims=True), 1) if normalize else C
    image = ax.imshow(shown, cmap=SEQUENTIAL_CMAP)
    threshold = shown.max() / 2
    for i in range(K):
        for j in range(K):
            ax.text(j, i, str(int(C[i, j])), ha="center", va="center", fontsize="small",
                    color="black" if shown[i, j] > threshold else "white")
    names = list(class_names) if class_names is not None else [str(k) for k in range(K)]
    ax.set_xticks(range(K), names)
    ax.set_yticks(range(K), names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label="fraction of true class" if normalize else "examples")
    return ax
