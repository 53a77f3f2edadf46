"""Plots for checking and training (notebooks 07-12).

Each function takes arrays (computed by :mod:`backprop_course.gradient_check`,
:mod:`backprop_course.analysis` or :func:`backprop_course.train`) and an optional ``ax``, draws,
and returns the Axes. Without ``ax`` a new :func:`~backprop_course.plotting.style.new_figure` is made.
"""

import matplotlib
import numpy as np

from .style import DIVERGING_CMAP, HIGHLIGHT, NEGATIVE, PALETTE, POSITIVE, SEQUENTIAL_CMAP, SERIES, new_figure

__all__ = [
    "plot_cost_curves", "plot_epsilon_curve", "plot_cost_surface", "plot_confusion_matrix",
    "plot_hidden_weights", "plot_lambda_curves", "plot_gradient_norms", "plot_unit_weights",
]


def _axes(ax, width=6.4, height=4.0):
    if ax is None:
        ax = new_figure(width, height).add_subplot()
    return ax


def _as_1d(name, values):
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence of numbers; got shape {arr.shape}.")
    return arr


def plot_cost_curves(histories, x="epoch", m=None, ax=None, log=True, title=None):
    """Cost against training time, one line per run.

    Parameters
    ----------
    histories : dict {label: history}
        ``history`` as returned by :func:`~backprop_course.train` (``"epoch"``, ``"cost"`` and
        optionally ``"val_cost"``, drawn dashed in the same color).
    x : {"epoch", "examples"}
        "examples" puts epoch * m on the horizontal axis (examples seen), which compares
        full-batch, mini-batch and stochastic descent fairly; it needs ``m``.
    m : int, optional
    ax : matplotlib Axes, optional
    log : bool
        Logarithmic cost axis.
    title : str, optional

    Returns
    -------
    matplotlib Axes
    """
    if not isinstance(histories, dict) or not histories:
        raise TypeError("histories must be a non-empty dict {label: history from bp.train}.")
    if x not in ("epoch", "examples"):
        raise ValueError(f"x must be 'epoch' or 'examples'; got {x!r}.")
    if x == "examples" and not m:
        raise ValueError("x='examples' needs m, the number of training examples per epoch.")
    ax = _axes(ax)
    for k, (label, history) in enumerate(histories.items()):
        epochs = np.asarray(history["epoch"], dtype=np.float64)
        t = epochs * m if x == "examples" else epochs
        color = SERIES[k % len(SERIES)]
        ax.plot(t, history["cost"], color=color, label=f"{label}")
        if history.get("val_cost"):
            ax.plot(t, history["val_cost"], color=color, linestyle="--", label=f"{label} (held-out)")
    ax.set_xlabel("examples seen" if x == "examples" else "epoch")
    ax.set_ylabel("cost J")
    if log:
        ax.set_yscale("log")
    ax.legend(loc="upper right")
    if title:
        ax.set_title(title)
    return ax


def plot_epsilon_curve(epsilons, errors, ax=None, marker=None, label=None, color=None, annotate=True):
    """The relative error of the numerical gradient against the step epsilon, log-log.

    Parameters
    ----------
    epsilons, errors : 1-D arrays of the same length
        From :func:`~backprop_course.gradient_check.epsilon_sweep`.
    ax : matplotlib Axes, optional
    marker : float, optional
        An epsilon to highlight (the slider's value); its error is interpolated in log space.
    label : str, optional
        Legend label (one call per precision, for example).
    color : color, optional
    annotate : bool
        Write "round-off" and "truncation" on the two arms of the U.

    Returns
    -------
    matplotlib Axes
    """
    e = _as_1d("epsilons", epsilons)
    r = _as_1d("errors", errors)
    if e.shape != r.shape:
        raise ValueError(f"epsilons and errors must have one length; got {e.size} and {r.size}.")
    ax = _axes(ax)
    r = np.maximum(r, 1e-17)
    line, = ax.loglog(e, r, marker="o", markersize=4, label=label, color=color)
    if marker is not None:
        y = 10 ** np.interp(np.log10(marker), np.log10(e), np.log10(r))
        ax.plot([marker], [y], marker="o", markersize=12, color=HIGHLIGHT, markeredgecolor="black", zorder=5)
        ax.axvline(marker, color=HIGHLIGHT, linewidth=1, zorder=1)
    if annotate:
        best = int(np.argmin(r))
        ax.annotate("round-off\n(grows like 1/ε)", xy=(e[0], r[0]), xytext=(8, -4), textcoords="offset points",
                    va="top", color=PALETTE["black"], fontsize="small")
        ax.annotate("truncation\n(grows like ε²)", xy=(e[-1], r[-1]), xytext=(-8, -4), textcoords="offset points",
                    ha="right", va="top", color=PALETTE["black"], fontsize="small")
        ax.annotate(f"best ε ≈ {e[best]:.0e}", xy=(e[best], r[best]), xytext=(0, -22), textcoords="offset points",
                    ha="center", color=line.get_color(), fontsize="small")
    ax.set_xlabel("step ε")
    ax.set_ylabel("relative error vs backprop")
    if not getattr(ax, "_epsilon_curve_limits", None):
        ax._epsilon_curve_limits = (np.inf, 0.0)
    low, high = ax._epsilon_curve_limits
    ax._epsilon_curve_limits = (min(low, float(r.min()) / 50), max(high, float(r.max()) * 5))
    ax.set_ylim(*ax._epsilon_curve_limits)     # room below the curves for the "best" label
    if label:
        ax.legend(loc="lower left")
    return ax


def plot_cost_surface(W1, W2, J, paths=None, ax=None, labels=("w₁", "w₂"), log_levels=True, levels=20,
                      center=None):
    """Contours of J over two weights, with optional descent paths drawn on top.

    Parameters
    ----------
    W1, W2, J : ndarray, shape (n, n)
        From :func:`~backprop_course.analysis.cost_surface` (or a quadratic bowl).
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
    ax = _axes(ax, 5.6, 5.0)
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
                linewidth=0.75 * matplotlib.rcParams["lines.linewidth"], label=name)
        ax.plot(path[0, 0], path[0, 1], marker="s", markersize=1.5 * size, color=color, markeredgecolor="black")
    ax.set_xlim(W1.min(), W1.max())
    ax.set_ylim(W2.min(), W2.max())
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    if paths:
        ax.legend(loc="upper right", framealpha=0.9)
    return ax


def plot_confusion_matrix(C, ax=None, class_names=None, normalize=False):
    """The confusion matrix as a colored grid with the counts written in the cells.

    Parameters
    ----------
    C : ndarray of int, shape (K, K)
        From :func:`~backprop_course.analysis.confusion_matrix`: rows true, columns predicted.
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
    ax = _axes(ax, 5.6, 5.0)
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


def _tile(images, columns):
    """Tile equally shaped images into one array with a one-pixel NaN gap between them."""
    count, h, w = images.shape
    rows = int(np.ceil(count / columns))
    canvas = np.full((rows * (h + 1) - 1, columns * (w + 1) - 1), np.nan)
    for k in range(count):
        r, c = divmod(k, columns)
        canvas[r * (h + 1): r * (h + 1) + h, c * (w + 1): c * (w + 1) + w] = images[k]
    return canvas


def plot_hidden_weights(Theta1, image_shape=(8, 8), ax=None, columns=None, title=None, limit=None):
    """Each hidden unit's incoming weights drawn as an image the size of the input picture.

    Parameters
    ----------
    Theta1 : ndarray, shape (s_2, n + 1)
        Theta[1]; the bias column 0 is dropped, the remaining n = h * w weights are reshaped
        to ``image_shape``.
    image_shape : pair of int (h, w)
    ax : matplotlib Axes, optional
    columns : int, optional
        Images per row (default: about the square root of s_2).
    title : str, optional
    limit : float, optional
        The color scale runs from -limit to limit (default: the largest |weight|); fix it to
        compare several networks.

    Returns
    -------
    matplotlib Axes
        Blue pixels excite the unit, red ones inhibit it; one color scale, symmetric around 0,
        is shared by all units.
    """
    Theta1 = np.asarray(Theta1, dtype=np.float64)
    h, w = image_shape
    if Theta1.ndim != 2 or Theta1.shape[1] - 1 != h * w:
        raise ValueError(f"Theta1 must have shape (s_2, {h * w} + 1) for {h}x{w} images (bias column first); "
                         f"got {Theta1.shape}.")
    units = Theta1[:, 1:].reshape(-1, h, w)
    columns = columns or int(np.ceil(np.sqrt(units.shape[0])))
    ax = _axes(ax, 5.0, 5.0)
    limit = limit or float(np.max(np.abs(units))) or 1.0
    cmap = matplotlib.colormaps[DIVERGING_CMAP.replace("_r", "")].with_extremes(bad="white")   # white gaps
    image = ax.imshow(_tile(units, columns), cmap=cmap, vmin=-limit, vmax=limit)
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.figure.colorbar(image, ax=ax, shrink=0.7, label="weight Θ⁽¹⁾")
    ax.set_title(title or f"{units.shape[0]} hidden units' incoming weights")
    return ax


def plot_lambda_curves(lambdas, train, test, ax=None, marker=None, ylabel="cost J (data term)"):
    """Training and test performance against the regularization strength lambda.

    Parameters
    ----------
    lambdas : 1-D array, G values >= 0
        Drawn on a symlog axis so that lambda = 0 appears.
    train, test : 1-D arrays of length G
        For example ``sweep["train_cost"]`` and ``sweep["test_cost"]`` from
        :func:`~backprop_course.analysis.lambda_sweep`.
    ax : matplotlib Axes, optional
    marker : float, optional
        The lambda to highlight.
    ylabel : str

    Returns
    -------
    matplotlib Axes
    """
    lam, tr, te = _as_1d("lambdas", lambdas), _as_1d("train", train), _as_1d("test", test)
    if not (lam.shape == tr.shape == te.shape):
        raise ValueError(f"lambdas, train and test must have one length; got {lam.size}, {tr.size}, {te.size}.")
    ax = _axes(ax)
    ax.plot(lam, tr, marker="o", color=POSITIVE, label="training set")
    ax.plot(lam, te, marker="s", color=NEGATIVE, label="test set")
    if marker is not None:
        k = int(np.argmin(np.abs(lam - marker)))
        ax.axvline(lam[k], color=HIGHLIGHT, linewidth=2, zorder=0)
    positive = lam[lam > 0]
    linthresh = float(positive.min()) if positive.size else 1.0
    ax.set_xscale("symlog", linthresh=linthresh)
    low = lam.min() - 0.3 * linthresh if lam.min() <= 0 else lam.min() / 1.5
    ax.set_xlim(low, lam.max() * 1.5 if lam.max() > 0 else 1.0)
    ax.set_xlabel("regularization strength λ")
    ax.set_ylabel(ylabel)
    ax.legend(loc="best")
    return ax


def plot_gradient_norms(norms, ax=None, log=True):
    """The size of each layer's gradient ||D(l)||, one line per network (e.g. per activation).

    Parameters
    ----------
    norms : dict {label: 1-D array of length L-1}
        From :func:`~backprop_course.analysis.gradient_norms`.
    ax : matplotlib Axes, optional
    log : bool

    Returns
    -------
    matplotlib Axes
    """
    if not isinstance(norms, dict) or not norms:
        raise TypeError("norms must be a non-empty dict {label: array of per-layer norms}.")
    ax = _axes(ax)
    for k, (label, values) in enumerate(norms.items()):
        values = _as_1d(f"norms[{label!r}]", values)
        ax.plot(np.arange(1, values.size + 1), values, marker="o", color=SERIES[k % len(SERIES)], label=label)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("layer l (1 = next to the input)")
    ax.set_ylabel("gradient size ‖D⁽ˡ⁾‖")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="best")
    return ax


def plot_unit_weights(Theta_l, ax=None, title=None, limit=None):
    """One layer's weights as a heat map: row i holds the weights into unit i+1 of the next layer.

    For Theta(1), identical rows mean identical hidden units; for Theta(2), identical columns
    (after the bias) mean the hidden units' outgoing weights are the same.

    Parameters
    ----------
    Theta_l : ndarray, shape (s_{l+1}, s_l + 1)
    ax : matplotlib Axes, optional
    title : str, optional
    limit : float, optional
        Color scale from -limit to limit (default: the largest |weight|).

    Returns
    -------
    matplotlib Axes
    """
    T = np.asarray(Theta_l, dtype=np.float64)
    if T.ndim != 2:
        raise ValueError(f"Theta_l must be a 2-D weight matrix; got shape {T.shape}.")
    ax = _axes(ax, 5.0, 3.6)
    limit = limit or float(np.max(np.abs(T))) or 1.0
    image = ax.imshow(T, cmap=DIVERGING_CMAP.replace("_r", ""), vmin=-limit, vmax=limit, aspect="auto")
    for i in range(T.shape[0]):
        for j in range(T.shape[1]):
            if T.size <= 60:
                ax.text(j, i, f"{T[i, j]:.3g}", ha="center", va="center", fontsize="x-small")
    ax.set_xticks(range(T.shape[1]), ["bias"] + [f"from {j}" for j in range(1, T.shape[1])])
    ax.set_yticks(range(T.shape[0]), [f"to {i}" for i in range(1, T.shape[0] + 1)])
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label="weight")
    if title:
        ax.set_title(title)
    return ax
