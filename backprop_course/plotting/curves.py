"""Curves of training and checking: the cost against time, the gradient check's error against its step,
train and test performance against lambda, the gradient's size per layer, runs over several seeds
as a band, and each layer's values as a histogram.

Each function takes arrays (computed by :func:`backprop_course.train`, :mod:`backprop_course.gradient_check`
or :mod:`backprop_course.experiments`) and an optional ``ax``, draws, and returns the Axes. Without
``ax`` a new :func:`~backprop_course.plotting.style.new_figure` is made.
"""

import numpy as np

from .style import HIGHLIGHT, NEGATIVE, PALETTE, POSITIVE, SERIES, axes_or_new, presenter_style

__all__ = ["plot_cost_curves", "update_cost_curves", "plot_epsilon_curve", "update_epsilon_marker",
           "plot_lambda_curves", "plot_gradient_norms", "plot_cost_bands", "plot_layer_histograms"]


def _as_1d(name, values):
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence of numbers; got shape {arr.shape}.")
    return arr



# the held-out entries a history may carry, and how their curve is named
_HELD_OUT = {"val_cost": "held-out", "test_cost": "test"}


def plot_cost_curves(histories, x="epoch", m=None, ax=None, log=True, title=None, presenter=False, live=False):
    """Cost against training time, one color per run: training cost solid, held-out cost dashed.

    Parameters
    ----------
    histories : dict {label: history}
        ``history`` as returned by :func:`~backprop_course.train` (``"epoch"``, ``"cost"`` and
        optionally ``"val_cost"``) or kept by the playground (``"test_cost"``); the held-out cost is
        drawn dashed in the run's color. A run labelled ``""`` is named "training J" and "test J".
    x : {"epoch", "examples"}
        "examples" puts epoch * m on the horizontal axis (examples seen), which compares
        full-batch, mini-batch and stochastic descent fairly; it needs ``m``.
    m : int, optional
    ax : matplotlib Axes, optional
    log : bool
        Logarithmic cost axis.
    title : str, optional
    presenter : bool
        Projector sizes.
    live : bool
        For a view redrawn while training runs (:func:`update_cost_curves`): a dot marks each
        curve's latest value, and the axes grow in steps (10, 20, 50, 100, ... epochs) rather than
        at every epoch, so they are redrawn only now and then and the curve does not jitter.

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
    with presenter_style(presenter):
        ax = axes_or_new(ax, 5.0 if live else 6.4, 3.2 if live else 4.0)
        mark = dict(marker="o", markevery=[-1], markersize=9 if presenter else 5) if live else {}
        lines = []
        for k, (label, history) in enumerate(histories.items()):
            color = SERIES[k % len(SERIES)]
            held = next((key for key in _HELD_OUT if key in history), None)
            train_line, = ax.plot([], [], color=color, label=label or "training J", **mark)
            held_line = None
            if held is not None:
                name = _HELD_OUT[held]
                held_line, = ax.plot([], [], color=color, linestyle="--",
                                     label=f"{label} ({name})" if label else f"{name} J", **mark)
            lines.append((train_line, held_line, held))
        ax._bpc_cost_curves = {"x": x, "m": m, "live": live, "lines": lines}
        ax.set_xlabel("examples seen" if x == "examples" else "epoch")
        ax.set_ylabel("cost J")
        if log:
            ax.set_yscale("log")
        if live:
            ax.grid(alpha=0.3)
            # above the plot, where no curve can hide it
            ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2, frameon=False, borderaxespad=0.2)
            if title:
                ax.set_title(title, loc="left")
        else:
            ax.legend(loc="upper right")
            if title:
                ax.set_title(title)
        update_cost_curves(ax, histories)
    return ax


def update_cost_curves(ax, histories):
    """Give the curves of :func:`plot_cost_curves` new data (the same runs) and rescale the axes."""
    state = getattr(ax, "_bpc_cost_curves", None)
    if state is None or len(state["lines"]) != len(histories):
        raise ValueError("ax has no cost curves for these runs; draw them first with plot_cost_curves.")
    top, last = 0.0, 0.0
    for (train_line, held_line, held), history in zip(state["lines"], histories.values(), strict=True):
        epochs = np.asarray(history["epoch"], dtype=np.float64)
        t = epochs * state["m"] if state["x"] == "examples" else epochs
        for line, key in ((train_line, "cost"), (held_line, held)):
            if line is None:
                continue
            values = np.asarray(history.get(key, []), dtype=np.float64)
            if values.shape != t.shape:
                raise ValueError(f"history[{key!r}] must have one value per epoch, shape {t.shape}; "
                                 f"got {values.shape}.")
            shown = np.isfinite(values).any()
            line.set_data(t if shown else [], values if shown else [])
            line.set_visible(bool(shown))
            if shown:
                top = max(top, float(np.nanmax(np.where(np.isfinite(values), values, np.nan))))
        last = max(last, float(t[-1]) if t.size else 0.0)
    if not state["live"]:
        ax.relim()
        ax.autoscale_view()
        return ax
    # Limits move in steps (10, 20, 50, 100, ...), not every epoch: a live view then redraws its
    # axes only now and then, and the curve does not jitter while it grows.
    x_max = next(n for n in _nice_steps() if n >= last)
    if ax.get_yscale() == "log":
        ax.relim()
        ax.autoscale_view(scalex=False)
    else:
        y_max = _nice_ceiling(1.05 * top) if top > 0 else 1.0
        if ax.get_ylim() != (0.0, y_max):
            ax.set_ylim(0.0, y_max)
    if ax.get_xlim() != (0.0, x_max):
        ax.set_xlim(0.0, x_max)
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
    ax = axes_or_new(ax)
    r = np.maximum(r, 1e-17)
    line, = ax.loglog(e, r, marker="o", markersize=4, label=label, color=color, gid="bpc-epsilon-curve")
    if marker is not None:
        ax.plot([marker], [_on_curve(e, r, marker)], marker="o", markersize=12, color=HIGHLIGHT,
                markeredgecolor="black", zorder=5, gid="bpc-epsilon-marker")
        ax.axvline(marker, color=HIGHLIGHT, linewidth=1, zorder=1, gid="bpc-epsilon-step")
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


def _on_curve(epsilons, errors, epsilon):
    """The error curve at `epsilon`, interpolated in log-log space."""
    return 10 ** np.interp(np.log10(epsilon), np.log10(epsilons), np.log10(errors))


def update_epsilon_marker(ax, marker):
    """Move the marked step of every curve :func:`plot_epsilon_curve` drew on `ax` to epsilon = `marker`.

    Returns the moved artists (the dots on the curves and the vertical line).
    """
    curves = [line for line in ax.lines if line.get_gid() == "bpc-epsilon-curve"]
    dots = [line for line in ax.lines if line.get_gid() == "bpc-epsilon-marker"]
    steps = [line for line in ax.lines if line.get_gid() == "bpc-epsilon-step"]
    if not dots or len(dots) != len(curves):
        raise ValueError("ax has no marked epsilon curves; draw them with plot_epsilon_curve(..., marker=...).")
    for curve, dot in zip(curves, dots, strict=True):
        dot.set_data([marker], [_on_curve(curve.get_xdata(), curve.get_ydata(), marker)])
    for step in steps:
        step.set_xdata([marker, marker])
    return dots + steps


def plot_lambda_curves(lambdas, train, held_out, ax=None, marker=None, ylabel="cost J (data term)",
                       held_out_label="validation set"):
    """Training and held-out performance against the regularization strength lambda.

    Parameters
    ----------
    lambdas : 1-D array, G values >= 0
        Drawn on a symlog axis so that lambda = 0 appears.
    train, held_out : 1-D arrays of length G
        For example ``sweep["train_cost"]`` and ``sweep["val_cost"]`` from
        :func:`~backprop_course.experiments.lambda_sweep`.
    ax : matplotlib Axes, optional
    marker : float, optional
        The lambda to highlight.
    ylabel : str
    held_out_label : str
        The legend of the held-out curve.

    Returns
    -------
    matplotlib Axes
    """
    lam, tr, te = _as_1d("lambdas", lambdas), _as_1d("train", train), _as_1d("held_out", held_out)
    if not (lam.shape == tr.shape == te.shape):
        raise ValueError(f"lambdas, train and held_out must have one length; got {lam.size}, {tr.size}, "
                         f"{te.size}.")
    ax = axes_or_new(ax)
    ax.plot(lam, tr, marker="o", color=POSITIVE, label="training set")
    ax.plot(lam, te, marker="s", color=NEGATIVE, label=held_out_label)
    if marker is not None:
        k = int(np.argmin(np.abs(lam - marker)))
        ax.axvline(lam[k], color=HIGHLIGHT, linewidth=2, zorder=0, gid="bpc-lambda-marker")
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
        From :func:`~backprop_course.experiments.gradient_norms`.
    ax : matplotlib Axes, optional
    log : bool

    Returns
    -------
    matplotlib Axes
    """
    if not isinstance(norms, dict) or not norms:
        raise TypeError("norms must be a non-empty dict {label: array of per-layer norms}.")
    ax = axes_or_new(ax)
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


def plot_cost_bands(curves, ax=None, log=True, xlabel="epoch", ylabel="cost J", title=None, styles=None):
    """The cost of several runs of each method against time: the mean as a line, the spread as a band.

    Parameters
    ----------
    curves : dict {label: ndarray of shape (S, T)}
        S runs (seeds) of T points each, e.g. ``compare_optimizers(...)["cost"]``; point k is drawn at
        x = k (epoch 0 is the start). One run (S = 1) is drawn as a line without a band.
    ax : matplotlib Axes, optional
    log : bool
        Logarithmic cost axis.
    xlabel, ylabel, title : str
    styles : dict {label: matplotlib line style}, optional
        E.g. ``{"held-out": "--"}``; solid by default.

    Returns
    -------
    matplotlib Axes
        The band runs from the smallest to the largest run at each point, so every run lies inside it.
    """
    if not isinstance(curves, dict) or not curves:
        raise TypeError("curves must be a non-empty dict {label: array of shape (runs, points)}.")
    ax = axes_or_new(ax)
    for k, (label, runs) in enumerate(curves.items()):
        runs = np.atleast_2d(np.asarray(runs, dtype=np.float64))
        if runs.ndim != 2 or runs.shape[1] == 0:
            raise ValueError(f"curves[{label!r}] must have shape (runs, points); got {np.shape(runs)}.")
        color = SERIES[k % len(SERIES)]
        x = np.arange(runs.shape[1])
        spread = f" ({runs.shape[0]} runs)" if runs.shape[0] > 1 else ""
        ax.plot(x, runs.mean(axis=0), color=color, linestyle=(styles or {}).get(label, "-"), label=f"{label}{spread}")
        if runs.shape[0] > 1:
            ax.fill_between(x, runs.min(axis=0), runs.max(axis=0), color=color, alpha=0.2, linewidth=0)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend(loc="best")
    return ax


def plot_layer_histograms(values, ax=None, bins=40, log_abs=False, value_range=None, color=None, xlabel=None,
                          title=None):
    r"""One histogram per layer, stacked from the first layer (bottom) to the last (top).

    Parameters
    ----------
    values : dict {l: ndarray}
        The numbers of each layer, e.g. ``layer_statistics(...)["a"]`` (activations) or ``["D"]``
        (gradients); every entry of an array goes into that layer's histogram.
    ax : matplotlib Axes, optional
    bins : int
    log_abs : bool
        Histogram :math:`\log_{10} |v|` instead of v: for values whose size changes by orders of
        magnitude from layer to layer (gradients). Exact zeros have no logarithm and are left out.
    value_range : (low, high), optional
        The horizontal range, the same for every layer (default: all layers' values together).
    color : matplotlib color, optional
    xlabel, title : str, optional

    Returns
    -------
    matplotlib Axes
        Each histogram is scaled to its own highest bar (the shape matters, not the count), its
        baseline at the layer's number on the vertical axis.
    """
    if not isinstance(values, dict) or not values:
        raise TypeError("values must be a non-empty dict {layer l: array of that layer's numbers}.")
    ax = axes_or_new(ax, 4.0, 4.0)
    layers = sorted(values)
    data = {}
    for l in layers:
        v = np.asarray(values[l], dtype=np.float64).ravel()
        if log_abs:
            v = v[v != 0]
            v = np.log10(np.abs(v))
        data[l] = v[np.isfinite(v)]
    everything = np.concatenate([data[l] for l in layers])
    if everything.size == 0:
        raise ValueError("values holds no finite (and, with log_abs, non-zero) numbers to histogram.")
    low, high = value_range if value_range is not None else (float(everything.min()), float(everything.max()))
    if high <= low:
        low, high = low - 0.5, high + 0.5
    edges = np.linspace(low, high, bins + 1)
    color = color or POSITIVE
    for row, l in enumerate(layers):
        counts, _ = np.histogram(data[l], bins=edges)
        if counts.max() > 0:
            heights = 0.85 * counts / counts.max()
            ax.stairs(row + heights, edges, baseline=row, fill=True, color=color, alpha=0.75)
        ax.axhline(row, color="0.6", linewidth=0.5)
    ax.set_yticks(range(len(layers)), [str(l) for l in layers])
    ax.set_ylim(-0.1, len(layers))
    ax.set_xlim(low, high)
    ax.set_ylabel("layer l")
    ax.set_xlabel(xlabel or ("log₁₀ |value|" if log_abs else "value"))
    if title:
        ax.set_title(title)
    return ax
