"""The Explore widgets of notebooks 07-12: checking, descending, batching, regularizing, initializing.

Each widget is a thin layer: its callbacks call :mod:`backprop_course.gradient_check`,
:mod:`backprop_course.landscape`, :mod:`backprop_course.experiments` or :func:`backprop_course.train`, draw with
:mod:`backprop_course.plotting.training` into a ``matplotlib.figure.Figure`` and show the PNG in a
``widgets.Image`` (nothing leaks into cell outputs, so nbval stays stable). Every widget has
``state()`` / ``set_state(dict)`` (JSON presets), ``presenter=True`` (projector sizes) and
``hide=(...)`` (names of controls a lecturer hides). Widgets that train show progress while they
run, and their sliders retrain only on release (``continuous_update=False``).
"""

import time

import ipywidgets as widgets
import numpy as np

from .. import experiments, landscape
from .. import plotting as plots
from .._checks import TrainingDiverged
from ..gradient_check import epsilon_sweep
from ..labels import accuracy, labels_from_outputs
from ..network import backprop, init_thetas, predict
from ..plotting.style import new_figure, presenter_style, to_png
from ..training import train

__all__ = ["EpsilonExplorer", "LearningRateExplorer", "BatchExplorer", "VectorizationExplorer", "LambdaExplorer",
           "SymmetryExplorer", "DepthExplorer"]


class _Explorer:
    """Shared plumbing: controls by name, hiding, presets, display and PNG drawing."""

    controls: dict

    def __init__(self, presenter, hide, width=640):
        self.presenter = bool(presenter)
        unknown = set(hide) - set(self.controls)
        if unknown:
            raise ValueError(f"hide names unknown controls {sorted(unknown)}; this widget has {sorted(self.controls)}.")
        for name in hide:
            self.controls[name].layout.display = "none"
        shown = int(width * 1.4) if self.presenter else width
        self.image = widgets.Image(format="png", layout=widgets.Layout(width=f"{shown}px"))
        self.label = widgets.HTML(layout=widgets.Layout(min_height="2em"))
        if self.presenter:
            self.label.style.font_size = "22px"
        for control in self.controls.values():
            control.style.description_width = "initial"
            if self.presenter:
                control.style.font_size = "20px"

    def state(self):
        """The control values as a JSON-serializable dict."""
        return {name: (c.value.item() if isinstance(c.value, np.generic) else c.value)
                for name, c in self.controls.items()}

    def set_state(self, state):
        """Set control values from a dict made by :meth:`state` (unknown names raise)."""
        unknown = set(state) - set(self.controls)
        if unknown:
            raise ValueError(f"set_state got unknown controls {sorted(unknown)}; known: {sorted(self.controls)}.")
        for name, value in state.items():
            self.controls[name].value = value

    def _figure(self, width, height, draw):
        """Draw with `draw(fig)` in the course style and show the PNG."""
        scale = 1.4 if self.presenter else 1.0
        with presenter_style(self.presenter):
            fig = new_figure(width * scale, height * scale, presenter=self.presenter)
            draw(fig)
            self.image.value = to_png(fig)
        return fig

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)


class EpsilonExplorer(_Explorer):
    """The U-curve of the central-difference error against the step epsilon (notebook 07).

    Parameters
    ----------
    Theta, X, Y, lambda_, activation, output, loss
        The network and data whose gradient is checked (keep it small).
    epsilons : 1-D array of steps for the curve, default ``np.logspace(-12, 0, 25)``
    epsilon : float, the slider's start
    presenter : bool
    hide : tuple of control names (``"epsilon"``, ``"precision"``)

    The curves are computed once (float64 and float32); moving the slider computes the error
    at exactly that epsilon and marks it.
    """

    def __init__(self, Theta, X, Y, lambda_=0.0, epsilons=None, epsilon=1e-4, activation="sigmoid",
                 output="sigmoid", loss="cross_entropy", presenter=False, hide=()):
        self._args = (Theta, X, Y)
        self._kw = dict(lambda_=lambda_, activation=activation, output=output, loss=loss)
        self.epsilons = np.logspace(-12, 0, 25) if epsilons is None else np.asarray(epsilons, dtype=float)
        self.curves = {p: epsilon_sweep(*self._args, self.epsilons, dtype=p, **self._kw)
                       for p in ("float64", "float32")}
        self.controls = {
            "epsilon": widgets.FloatLogSlider(value=epsilon, base=10, min=-12, max=0, step=0.25,
                                              description="step ε", readout_format=".0e"),
            "precision": widgets.ToggleButtons(options=["float64", "float32", "both"], value="float64",
                                               description="precision"),
        }
        super().__init__(presenter, hide)
        for c in self.controls.values():
            c.observe(lambda change: self.update(), names="value")
        self.box = widgets.VBox([widgets.HBox([self.controls["epsilon"], self.controls["precision"]]),
                                 self.label, self.image])
        self.update()

    def error_at(self, epsilon, precision="float64"):
        """The relative error of the numerical gradient at one step (computed, not interpolated)."""
        return float(epsilon_sweep(*self._args, [epsilon], dtype=precision, **self._kw)[0])

    def update(self):
        eps = self.controls["epsilon"].value
        precision = self.controls["precision"].value
        shown = ["float64", "float32"] if precision == "both" else [precision]
        self.errors = {p: self.error_at(eps, p) for p in shown}
        verdict = {p: ("trustworthy" if e < 1e-7 else "too coarse to trust" if e > 1e-4 else "borderline")
                   for p, e in self.errors.items()}
        self.label.value = "<br>".join(
            f"ε = {eps:.1e} in {p}: relative error <b>{e:.2e}</b> ({verdict[p]})" for p, e in self.errors.items())

        def draw(fig):
            ax = fig.add_subplot()
            colors = {"float64": plots.POSITIVE, "float32": plots.NEGATIVE}
            for p in shown:
                plots.plot_epsilon_curve(self.epsilons, self.curves[p], ax=ax, marker=eps, label=p,
                                         color=colors[p], annotate=(p == shown[0]))
            ax.set_title("central differences: error against the step")
        self._figure(6.4, 4.0, draw)


class LearningRateExplorer(_Explorer):
    r"""Gradient descent with a chosen learning rate on a two-weight bowl (notebook 08).

    The bowl is the quadratic model :math:`\tfrac12 (w - w^*)^\top H (w - w^*)` of a network's
    cost in two of its weights around their minimum w*; build it with :meth:`from_network`.
    The label names the regime (:func:`~backprop_course.landscape.step_regime`).

    Parameters
    ----------
    H : ndarray, shape (2, 2), symmetric positive definite
    center : pair of float, w*
    start : pair of float, where descent starts
    alpha : float, the slider's start
    steps : int, number of steps drawn
    extent : float, half-width of the drawn window around w* (default: 1.6 x the start's distance)
    labels : pair of str, axis names
    presenter : bool
    hide : control names (``"alpha"``, ``"steps"``)
    """

    def __init__(self, H, center, start, alpha=1.0, steps=20, extent=None, labels=("w₁", "w₂"),
                 presenter=False, hide=()):
        self.H = np.asarray(H, dtype=float)
        self.center = np.asarray(center, dtype=float)
        self.start = np.asarray(start, dtype=float)
        self.labels = labels
        self.lambda_max = float(np.linalg.eigvalsh(self.H).max())
        self.extent = extent or 1.6 * float(np.max(np.abs(self.start - self.center)))
        lo_alpha = np.log10(0.02 / self.lambda_max)
        hi_alpha = np.log10(3.0 / self.lambda_max)
        self.controls = {
            "alpha": widgets.FloatLogSlider(value=alpha, base=10, min=round(lo_alpha, 2), max=round(hi_alpha, 2),
                                            step=0.02, description="learning rate α", readout_format=".3g"),
            "steps": widgets.IntSlider(value=steps, min=1, max=60, description="steps"),
        }
        super().__init__(presenter, hide)
        for c in self.controls.values():
            c.observe(lambda change: self.update(), names="value")
        self.box = widgets.VBox([widgets.HBox([self.controls["alpha"], self.controls["steps"]]),
                                 self.label, self.image])
        g = np.linspace(-self.extent, self.extent, 81)
        self.W1, self.W2 = np.meshgrid(self.center[0] + g, self.center[1] + g)
        self.J = landscape.quadratic_cost(self.H, self.W1, self.W2, self.center)
        self.update()

    @classmethod
    def from_network(cls, Theta, X, Y, weights, start_offset=(1.0, -1.0), lambda_=0.0, **kwargs):
        """The bowl of two weights of a trained network: w* by descent on those two, H at w*.

        ``start_offset`` is added to w* to get the start. Other keyword arguments go to the widget.
        """
        H, center = landscape.bowl_from_network(Theta, X, Y, weights, lambda_)
        return cls(H, center, center + np.asarray(start_offset), **kwargs)

    def update(self):
        alpha = self.controls["alpha"].value
        steps = self.controls["steps"].value
        self.path = landscape.quadratic_descent(self.H, self.start, alpha, steps, self.center)
        self.regime = landscape.step_regime(alpha, self.H)
        r = alpha * self.lambda_max
        distance = float(np.linalg.norm(self.path[-1] - self.center))
        self.label.value = (f"α = {alpha:.3g}, α·λ<sub>max</sub> = {r:.2f}: <b>{self.regime}</b>. "
                            f"Distance to the minimum after {len(self.path) - 1} steps: {distance:.3g} "
                            f"(start {np.linalg.norm(self.start - self.center):.3g}). "
                            f"Good below α = {1 / self.lambda_max:.3g}, diverges from α = {2 / self.lambda_max:.3g}.")

        def draw(fig):
            ax = fig.add_subplot()
            plots.plot_cost_surface(self.W1, self.W2, self.J, paths={f"α = {alpha:.3g}": self.path}, ax=ax,
                                    labels=self.labels, center=self.center)
            ax.set_aspect("equal")
            ax.set_title(f"{self.regime}")
        self._figure(5.6, 5.0, draw)


class BatchExplorer(_Explorer):
    """Train with a chosen batch size and learning rate and watch the cost curve (notebook 09).

    Parameters
    ----------
    Theta : dict, the starting weights (every run starts here)
    X, Y : the training data
    batch_sizes : list of int, the slider's options (m means full batch)
    batch_size, alpha, epochs : starting values
    seed : int, seeds the shuffling (the same settings give the same curve)
    presenter : bool
    hide : control names (``"batch_size"``, ``"alpha"``, ``"epochs"``)

    Every change retrains (sliders act on release); the progress bar and the curve update
    while training runs. The previous run stays drawn in grey for comparison.
    """

    def __init__(self, Theta, X, Y, batch_sizes=None, batch_size=None, alpha=0.5, epochs=30, seed=0,
                 presenter=False, hide=()):
        self.Theta0, self.X, self.Y = Theta, X, Y
        self.m = X.shape[1]
        self.seed = seed
        options = sorted(set(batch_sizes or [1, 4, 16, 64, self.m]) | {self.m})
        self.controls = {
            "batch_size": widgets.SelectionSlider(options=options, value=batch_size or self.m,
                                                  description="batch size b", continuous_update=False),
            "alpha": widgets.FloatLogSlider(value=alpha, base=10, min=-3, max=1, step=0.1, readout_format=".3g",
                                            description="learning rate α", continuous_update=False),
            "epochs": widgets.IntSlider(value=epochs, min=1, max=100, description="epochs",
                                        continuous_update=False),
        }
        super().__init__(presenter, hide)
        self.progress = widgets.IntProgress(value=0, min=0, max=epochs, description="training",
                                            layout=widgets.Layout(width="400px"))
        self.previous = None
        self.history = None
        self.redraws = 0
        for c in self.controls.values():
            c.observe(lambda change: self.retrain(), names="value")
        self.box = widgets.VBox([widgets.HBox([self.controls["batch_size"], self.controls["alpha"]]),
                                 widgets.HBox([self.controls["epochs"], self.progress]), self.label, self.image])
        self.retrain()

    def _draw(self, history, title):
        def draw(fig):
            ax = fig.add_subplot()
            runs = {}
            if self.previous is not None:
                runs["previous run"] = self.previous
            runs[title] = history
            plots.plot_cost_curves(runs, x="examples", m=self.m, ax=ax)
            if self.previous is not None:
                ax.get_lines()[0].set_color("#999999")
                ax.legend(loc="upper right")
            ax.set_xlim(0, self.controls["epochs"].value * self.m)
        self.redraws += 1
        self._figure(6.4, 4.0, draw)

    def retrain(self):
        b = self.controls["batch_size"].value
        alpha = self.controls["alpha"].value
        epochs = self.controls["epochs"].value
        name = "full batch" if b == self.m else ("SGD, b = 1" if b == 1 else f"mini-batch, b = {b}")
        title = f"{name}, α = {alpha:.3g}"
        self.progress.max = epochs
        self.progress.value = 0
        updates = int(np.ceil(self.m / b))
        started = time.perf_counter()
        last_draw = [started]

        def callback(epoch, Theta, history):
            self.progress.value = epoch
            now = time.perf_counter()
            if epoch and now - last_draw[0] > 1.0:          # the curve at least once a second, the bar every epoch
                last_draw[0] = now
                self.label.value = f"{title}: epoch {epoch} of {epochs}, J = {history['cost'][-1]:.4f} ..."
                self._draw(history, title)

        try:
            _, history = train(self.Theta0, self.X, self.Y, alpha, epochs=epochs,
                               batch_size=None if b == self.m else b, seed=self.seed, callback=callback)
        except TrainingDiverged as error:
            self.label.value = f"<b>{title}: diverged.</b> {error}"
            return
        seconds = time.perf_counter() - started
        self.history = history
        self.label.value = (f"{title}: {updates} update(s) per epoch, {updates * epochs} in all; "
                            f"J = {history['cost'][0]:.4f} → <b>{history['cost'][-1]:.4f}</b>"
                            f"<span style='color:#777'> ({seconds:.1f} s)</span>")
        self._draw(history, title)
        self.previous = history


class VectorizationExplorer(_Explorer):
    """Time the per-example loop against the vectorized backprop for a chosen m (notebook 10).

    Parameters
    ----------
    Theta : dict, the network
    X, Y : data with at least max(m_options) columns; the first m are used
    m_options : list of int, the slider's options
    m : starting value
    repeats : int, best of this many timings
    presenter : bool
    hide : control names (``"m"``)

    Timings are measured live on this machine (they vary run to run); the bars share a log axis.
    """

    def __init__(self, Theta, X, Y, m_options=(1, 10, 50, 200, 500), m=50, repeats=3, presenter=False, hide=()):
        self.Theta, self.X, self.Y, self.repeats = Theta, X, Y, repeats
        options = [int(v) for v in m_options if v <= X.shape[1]]
        self.controls = {"m": widgets.SelectionSlider(options=options, value=m, description="examples m",
                                                      continuous_update=False)}
        super().__init__(presenter, hide)
        self.controls["m"].observe(lambda change: self.update(), names="value")
        self.box = widgets.VBox([self.controls["m"], self.label, self.image])
        self.update()

    def update(self):
        m = self.controls["m"].value
        self.timing = experiments.time_backprop(self.Theta, self.X[:, :m], self.Y[:, :m], repeats=self.repeats)
        t = self.timing
        self.label.value = (f"m = {m}: loop {t['loop'] * 1e3:.2f} ms, vectorized {t['vectorized'] * 1e3:.3f} ms "
                            f"per gradient: <b>{t['speedup']:.0f}x</b> faster (measured now, varies run to run)")

        def draw(fig):
            ax = fig.add_subplot()
            values = [t["loop"] * 1e3, t["vectorized"] * 1e3]
            ax.barh(["backprop_loop", "backprop"], values, color=[plots.NEGATIVE, plots.POSITIVE])
            ax.set_xscale("log")
            ax.set_xlim(min(values) / 10, max(values) * 10)      # bars start one decade below the faster
            for y, v in enumerate(values):
                ax.text(v * 1.15, y, f"{v:.3g} ms", va="center")
            ax.set_xlabel("milliseconds per gradient (log scale)")
            ax.set_title(f"one gradient on m = {m} examples")
        self._figure(6.4, 2.6, draw)


class LambdaExplorer(_Explorer):
    """Under- and over-fitting: train and test curves against lambda, and the weights at one lambda.

    Parameters
    ----------
    sweep : dict from :func:`~backprop_course.landscape.lambda_sweep` (precomputed: the widget
        only looks results up, so moving the slider is instant)
    image_shape : pair of int, the input picture's shape for the hidden-unit images
    lambda_ : float, the slider's start (snapped to the grid)
    presenter : bool
    hide : control names (``"lambda_"``, ``"measure"``)
    """

    def __init__(self, sweep, image_shape=(8, 8), lambda_=None, presenter=False, hide=()):
        self.sweep = sweep
        self.image_shape = image_shape
        # one color scale for every lambda, so that shrinking weights look fainter
        self.limit = max(float(np.max(np.abs(T[1][:, 1:]))) for T in sweep["Theta"])
        grid = [float(v) for v in sweep["lambda"]]
        start = grid[0] if lambda_ is None else min(grid, key=lambda v: abs(v - lambda_))
        self.controls = {
            "lambda_": widgets.SelectionSlider(options=grid, value=start, description="λ"),
            "measure": widgets.ToggleButtons(options=["cost", "accuracy"], value="cost", description="measure"),
        }
        super().__init__(presenter, hide, width=960)
        for c in self.controls.values():
            c.observe(lambda change: self.update(), names="value")
        self.box = widgets.VBox([widgets.HBox([self.controls["lambda_"], self.controls["measure"]]),
                                 self.label, self.image])
        self.update()

    def update(self):
        lam = self.controls["lambda_"].value
        measure = self.controls["measure"].value
        k = int(np.argmin(np.abs(self.sweep["lambda"] - lam)))
        s = self.sweep
        gap = s["test_cost"][k] - s["train_cost"][k]
        self.label.value = (f"λ = {lam:g}: training accuracy {s['train_accuracy'][k]:.1%}, test accuracy "
                            f"<b>{s['test_accuracy'][k]:.1%}</b>; data cost train {s['train_cost'][k]:.3f}, "
                            f"test {s['test_cost'][k]:.3f} (gap {gap:.3f})")

        def draw(fig):
            ax1, ax2 = fig.subplots(1, 2, width_ratios=[1.3, 1])
            plots.plot_lambda_curves(s["lambda"], s[f"train_{measure}"], s[f"test_{measure}"], ax=ax1, marker=lam,
                                     ylabel="cost J (data term)" if measure == "cost" else "accuracy")
            plots.plot_hidden_weights(s["Theta"][k][1], self.image_shape, ax=ax2, title=f"hidden units at λ = {lam:g}",
                                      limit=self.limit)
        self._figure(11.0, 4.6, draw)


class SymmetryExplorer(_Explorer):
    """Symmetry breaking: train from weights drawn in [-epsilon_init, epsilon_init] (notebook 12).

    With epsilon_init = 0 every hidden unit starts equal, gets the same gradient, and stays
    equal: the heat map shows identical rows. (In floating point, rounding differences between
    rows of a matrix product can grow over many epochs and eventually separate the units; the
    label reports the largest difference, so a learner can watch that happen at 1000 epochs.)

    Parameters
    ----------
    layer_sizes : list of int
    X, Y : training data
    alpha : float
    epsilon_init, epochs : starting values of the controls
    seed : int, seeds the initial weights
    presenter : bool
    hide : control names (``"epsilon_init"``, ``"epochs"``)
    """

    def __init__(self, layer_sizes, X, Y, alpha=1.0, epsilon_init=0.0, epochs=200, seed=0, presenter=False,
                 hide=()):
        self.layer_sizes, self.X, self.Y, self.alpha, self.seed = list(layer_sizes), X, Y, alpha, seed
        self.controls = {
            "epsilon_init": widgets.SelectionSlider(options=[0.0, 0.001, 0.01, 0.12, 0.5, 1.0], value=epsilon_init,
                                                    description="initial range ε_init", continuous_update=False),
            "epochs": widgets.SelectionSlider(options=[0, 10, 50, 200, 1000], value=epochs, description="epochs",
                                              continuous_update=False),
        }
        super().__init__(presenter, hide, width=900)
        self.progress = widgets.IntProgress(value=0, min=0, max=max(epochs, 1), description="training")
        for c in self.controls.values():
            c.observe(lambda change: self.retrain(), names="value")
        self.box = widgets.VBox([widgets.HBox([self.controls["epsilon_init"], self.controls["epochs"]]),
                                 self.progress, self.label, self.image])
        self.retrain()

    def retrain(self):
        eps = self.controls["epsilon_init"].value
        epochs = self.controls["epochs"].value
        self.Theta_init = init_thetas(self.layer_sizes, epsilon_init=eps, seed=self.seed)
        self.progress.max = max(epochs, 1)
        self.progress.value = 0

        def callback(epoch, Theta, history):
            if epoch % 10 == 0:
                self.progress.value = epoch

        if epochs:
            self.Theta, _ = train(self.Theta_init, self.X, self.Y, self.alpha, epochs=epochs, callback=callback)
        else:
            self.Theta = self.Theta_init
        self.progress.value = self.progress.max
        self.spread = experiments.hidden_unit_spread(self.Theta)[2]
        labels = predict(self.Theta, self.X)
        self.accuracy = accuracy(labels_from_outputs(self.Y), labels)
        if self.spread == 0:
            same = "all hidden units are <b>identical</b>"
        elif self.spread < 1e-6:
            same = (f"all hidden units are <b>identical</b> up to rounding (largest difference "
                    f"{self.spread:.1e})")
        else:
            same = f"hidden units <b>differ</b> (largest difference {self.spread:.3g})"
        self.label.value = f"ε_init = {eps:g}, {epochs} epochs: {same}; training accuracy {self.accuracy:.0%}."

        def draw(fig):
            ax1, ax2 = fig.subplots(1, 2, width_ratios=[1, 1.3])
            limit = max(float(np.max(np.abs(self.Theta[1]))), float(np.max(np.abs(self.Theta[2]))), 1e-3)
            plots.plot_unit_weights(self.Theta[1], ax=ax1, title=f"Θ⁽¹⁾ after {epochs} epochs: into hidden units",
                                    limit=limit)
            plots.plot_unit_weights(self.Theta[2], ax=ax2, title="Θ⁽²⁾: out of hidden units", limit=limit)
        self._figure(11.0, 3.8, draw)


class DepthExplorer(_Explorer):
    """Gradient size per layer in a deep stack, for a chosen depth and activation (notebook 12).

    Parameters
    ----------
    X, Y : data (one batch)
    width : int, units per hidden layer
    depth, activation : starting values (hidden layers; "sigmoid", "tanh" or "relu")
    epsilon_init : float or "auto"
        "auto" draws each Theta(l) in ±sqrt(6 / (s_l + s_{l+1})) (Glorot & Bengio, 2010).
    seed : int
    presenter : bool
    hide : control names (``"depth"``, ``"activation"``)
    """

    def __init__(self, X, Y, width=10, depth=6, activation="sigmoid", epsilon_init="auto", seed=0,
                 presenter=False, hide=()):
        self.X, self.Y, self.width, self.epsilon_init, self.seed = X, Y, width, epsilon_init, seed
        self.controls = {
            "depth": widgets.IntSlider(value=depth, min=1, max=12, description="hidden layers"),
            "activation": widgets.ToggleButtons(options=["sigmoid", "tanh", "relu"], value=activation,
                                                description="g"),
        }
        super().__init__(presenter, hide)
        for c in self.controls.values():
            c.observe(lambda change: self.update(), names="value")
        self.box = widgets.VBox([widgets.HBox([self.controls["depth"], self.controls["activation"]]),
                                 self.label, self.image])
        self.update()

    def norms_for(self, activation, depth):
        """||D(l)|| per layer for a freshly initialized stack (computed by the library)."""
        sizes = [self.X.shape[0]] + [self.width] * depth + [self.Y.shape[0]]
        Theta = init_thetas(sizes, epsilon_init="glorot" if self.epsilon_init == "auto" else self.epsilon_init,
                            seed=self.seed)
        return experiments.gradient_norms(backprop(Theta, self.X, self.Y, activation=activation))

    def update(self):
        depth = self.controls["depth"].value
        chosen = self.controls["activation"].value
        self.norms = {g: self.norms_for(g, depth) for g in ("sigmoid", "tanh", "relu")}
        n = self.norms[chosen]
        self.label.value = (f"{chosen}, {depth} hidden layer(s): ‖D⁽¹⁾‖ / ‖D⁽{depth + 1}⁾‖ = "
                            f"<b>{n[0] / n[-1]:.2e}</b> (first layer's gradient relative to the last's)")

        def draw(fig):
            ax = fig.add_subplot()
            order = [chosen] + [g for g in self.norms if g != chosen]
            plots.plot_gradient_norms({g: self.norms[g] for g in order}, ax=ax)
            for line in ax.get_lines()[1:]:
                line.set_alpha(0.35)
            ax.set_title(f"gradient size per layer, {depth} hidden layers of {self.width}")
        self._figure(6.4, 4.0, draw)
