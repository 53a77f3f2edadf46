"""The widgets that run an experiment and show its result (notebooks 09, 10, 13 and 15): batches, vectorization,
regularization, symmetry breaking and depth.

Each is a thin layer over the library: its callbacks call :func:`backprop_course.train` or
:mod:`backprop_course.experiments`, draw with :mod:`backprop_course.plotting` into a figure made once,
and show it as a PNG in a ``widgets.Image`` (nothing leaks into cell outputs, so nbval stays stable).
Every widget has ``state()`` / ``set_state(dict)`` (JSON presets), ``presenter=True`` (projector
sizes) and ``hide=(...)`` (:class:`~backprop_course.widgets._base.Explorer`). Widgets that train show
progress while they run, and their sliders retrain only on release (``continuous_update=False``).
"""

import time

import ipywidgets as widgets
import numpy as np

from .. import experiments
from .._checks import TrainingDiverged
from ..labels import accuracy, labels_from_outputs
from ..network import backprop, init_thetas, predict
from ..plotting.curves import plot_cost_curves, plot_gradient_norms, plot_lambda_curves, update_cost_curves
from ..plotting.style import NEGATIVE, POSITIVE, presenter_style
from ..plotting.weights import plot_hidden_weights, plot_unit_weights, update_hidden_weights, update_unit_weights
from ..training import train
from ._base import Explorer

__all__ = ["BatchExplorer", "VectorizationExplorer", "LambdaExplorer", "SymmetryExplorer", "DepthExplorer"]


class _Experiment(Explorer):
    """An explorer with named controls in a row, a one-line label and one picture of a given width."""

    def _setup(self, controls, width=640):
        for name, control in controls.items():
            self._control(name, control)
            control.style.description_width = "initial"
        self.label = self._label()
        self.image = widgets.Image(format="png", layout=widgets.Layout(
            width=f"{int(width * 1.4) if self.presenter else width}px"))

    def _show(self, scene=None):
        """Render the live figure (only what changed, when the axes stayed) into the image."""
        self.image.value = self._view.png(scene)


class BatchExplorer(_Experiment):
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
        super().__init__(presenter)
        self.Theta0, self.X, self.Y = Theta, X, Y
        self.m = X.shape[1]
        self.seed = seed
        options = sorted(set(batch_sizes or [1, 4, 16, 64, self.m]) | {self.m})
        self._setup({
            "batch_size": widgets.SelectionSlider(options=options, value=batch_size or self.m,
                                                  description="batch size m_B", continuous_update=False),
            "alpha": widgets.FloatLogSlider(value=alpha, base=10, min=-3, max=1, step=0.1, readout_format=".3g",
                                            description="learning rate α", continuous_update=False),
            "epochs": widgets.IntSlider(value=epochs, min=1, max=100, description="epochs", continuous_update=False),
        })
        self.progress = widgets.IntProgress(value=0, min=0, max=epochs, description="training",
                                            layout=widgets.Layout(width="400px"))
        self.previous = None
        self.history = None
        self.redraws = 0
        fig = self._figure(6.4, 4.0)
        with presenter_style(self.presenter):
            self._ax = fig.add_subplot()
        self._view = self._live(fig, lambda: [*self._ax.lines, self._ax.get_legend()])
        for c in self.controls.values():
            c.observe(lambda change: self.retrain(), names="value")
        c = self.controls
        self._finish([widgets.HBox([c["batch_size"], c["alpha"]]), widgets.HBox([c["epochs"], self.progress]),
                      self.label, self.image], hide)
        self.retrain()

    def redraw(self):
        """Draw the last run (and the one before it, in grey) again."""
        self._draw(self.history, self._title)

    def _draw(self, history, title):
        runs = {} if self.previous is None else {"previous run": self.previous}
        runs[title] = history
        ax = self._ax
        if len(ax.lines) != len(runs):          # the first run, then two runs from the second on: drawn once each
            ax.clear()
            with presenter_style(self.presenter):
                plot_cost_curves(runs, x="examples", m=self.m, ax=ax)
            self._view.invalidate()
        else:
            update_cost_curves(ax, runs)
            for text, label in zip(ax.get_legend().get_texts(), runs, strict=True):
                text.set_text(label)
        if self.previous is not None:
            ax.get_lines()[0].set_color("#999999")
            ax.get_legend().get_lines()[0].set_color("#999999")
        ax.set_xlim(0, self.controls["epochs"].value * self.m)
        self.redraws += 1
        self._show()

    def retrain(self):
        """Train from the starting weights with the controls' settings, drawing the curve as it grows."""
        b = self.controls["batch_size"].value
        alpha = self.controls["alpha"].value
        epochs = self.controls["epochs"].value
        name = "full batch" if b == self.m else ("SGD, m_B = 1" if b == 1 else f"mini-batch, m_B = {b}")
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
        self.history, self._title = history, title
        self.label.value = (f"{title}: {updates} update(s) per epoch, {updates * epochs} in all; "
                            f"J = {history['cost'][0]:.4f} → <b>{history['cost'][-1]:.4f}</b>"
                            f"<span style='color:#777'> ({seconds:.1f} s)</span>")
        self._draw(history, title)
        self.previous = history


class VectorizationExplorer(_Experiment):
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
        super().__init__(presenter)
        self.Theta, self.X, self.Y, self.repeats = Theta, X, Y, repeats
        options = [int(v) for v in m_options if v <= X.shape[1]]
        self._setup({"m": widgets.SelectionSlider(options=options, value=m, description="examples m",
                                                  continuous_update=False)})
        fig = self._figure(6.4, 2.6)
        with presenter_style(self.presenter):
            ax = self._ax = fig.add_subplot()
            self._bars = ax.barh(["backprop_loop", "backprop"], [1.0, 1.0], color=[NEGATIVE, POSITIVE]).patches
            self._values = [ax.text(1.0, y, "", va="center") for y in range(2)]
            ax.set_xscale("log")
            ax.set_xlabel("milliseconds per gradient (log scale)")
            ax.set_title(" ")
        self._view = self._live(fig, lambda: [*self._bars, *self._values, self._ax.title])
        self.controls["m"].observe(lambda change: self.update(), names="value")
        self._finish([self.controls["m"], self.label, self.image], hide)
        self.update()

    def update(self):
        """Time both versions at the chosen m and draw the two bars."""
        m = self.controls["m"].value
        self.timing = experiments.time_backprop(self.Theta, self.X[:, :m], self.Y[:, :m], repeats=self.repeats)
        t = self.timing
        self.label.value = (f"m = {m}: loop {t['loop'] * 1e3:.2f} ms, vectorized {t['vectorized'] * 1e3:.3f} ms "
                            f"per gradient: <b>{t['speedup']:.0f}x</b> faster (measured now, varies run to run)")
        self.redraw()

    def redraw(self):
        """Draw the two bars of the last timing."""
        t, m = self.timing, self.controls["m"].value
        values = [t["loop"] * 1e3, t["vectorized"] * 1e3]
        for bar, text, v in zip(self._bars, self._values, values, strict=True):
            bar.set_width(v)
            text.set(x=v * 1.15, text=f"{v:.3g} ms")
        self._ax.set_xlim(min(values) / 10, max(values) * 10)      # bars start one decade below the faster
        self._ax.title.set_text(f"one gradient on m = {m} examples")
        self._show()


class LambdaExplorer(_Experiment):
    """Under- and over-fitting: training and validation curves against lambda, and the weights at one lambda.

    Parameters
    ----------
    sweep : dict from :func:`~backprop_course.experiments.lambda_sweep` (precomputed: the widget
        only looks results up, so moving the slider is instant)
    image_shape : pair of int, the input picture's shape for the hidden-unit images
    lambda_ : float, the slider's start (snapped to the grid)
    presenter : bool
    hide : control names (``"lambda_"``, ``"measure"``)
    """

    def __init__(self, sweep, image_shape=(8, 8), lambda_=None, presenter=False, hide=()):
        super().__init__(presenter)
        self.sweep = sweep
        self.image_shape = image_shape
        # one color scale for every lambda, so that shrinking weights look fainter
        self.limit = max(float(np.max(np.abs(T[1][:, 1:]))) for T in sweep["Theta"])
        grid = [float(v) for v in sweep["lambda"]]
        start = grid[0] if lambda_ is None else min(grid, key=lambda v: abs(v - lambda_))
        self._setup({
            "lambda_": widgets.SelectionSlider(options=grid, value=start, description="λ"),
            "measure": widgets.ToggleButtons(options=["cost", "accuracy"], value="cost", description="measure"),
        }, width=960)
        self._fig = self._figure(11.0, 4.6)
        with presenter_style(self.presenter):
            self._curves, self._weights = self._fig.subplots(1, 2, width_ratios=[1.3, 1])
            plot_lambda_curves(sweep["lambda"], sweep["train_cost"], sweep["val_cost"], ax=self._curves,
                               marker=start)
            plot_hidden_weights(sweep["Theta"][self._k()][1], self.image_shape, ax=self._weights, title=" ",
                                limit=self.limit)
        self._marker = next(line for line in self._curves.lines if line.get_gid() == "bpc-lambda-marker")
        self._view = self._live(self._fig, lambda: [self._marker, *self._weights.images, self._weights.title])
        self.controls["lambda_"].observe(lambda change: self.update(), names="value")
        self.controls["measure"].observe(lambda change: self._plot(), names="value")
        c = self.controls
        self._finish([widgets.HBox([c["lambda_"], c["measure"]]), self.label, self.image], hide)
        self._plot()

    def _k(self):
        return int(np.argmin(np.abs(self.sweep["lambda"] - self.controls["lambda_"].value)))

    def _plot(self):
        """Show the training and validation curves of the chosen measure (the still part), then the marker."""
        ax, s, measure = self._curves, self.sweep, self.controls["measure"].value
        train, val = (line for line in ax.lines if line.get_gid() != "bpc-lambda-marker")
        train.set_ydata(s[f"train_{measure}"])
        val.set_ydata(s[f"val_{measure}"])
        ax.set_ylabel("cost J (data term)" if measure == "cost" else "accuracy")
        ax.relim()
        ax.autoscale_view(scalex=False)
        self.update()

    def update(self):
        """Look the chosen lambda up in the sweep, move the marker and show that network's weights."""
        lam = self.controls["lambda_"].value
        k, s = self._k(), self.sweep
        gap = s["val_cost"][k] - s["train_cost"][k]
        self.label.value = (f"λ = {lam:g}: training accuracy {s['train_accuracy'][k]:.1%}, validation accuracy "
                            f"<b>{s['val_accuracy'][k]:.1%}</b>; data cost train {s['train_cost'][k]:.3f}, "
                            f"validation {s['val_cost'][k]:.3f} (gap {gap:.3f})")
        self._marker.set_xdata([s["lambda"][k]] * 2)
        update_hidden_weights(self._weights, s["Theta"][k][1], self.image_shape)
        self._weights.title.set_text(f"hidden units at λ = {lam:g}")
        self._show(scene=self.controls["measure"].value)


class SymmetryExplorer(_Experiment):
    """Symmetry breaking: train from weights drawn in [-epsilon_init, epsilon_init] (notebook 15).

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
        super().__init__(presenter)
        self.layer_sizes, self.X, self.Y, self.alpha, self.seed = list(layer_sizes), X, Y, alpha, seed
        self._setup({
            "epsilon_init": widgets.SelectionSlider(options=[0.0, 0.001, 0.01, 0.12, 0.5, 1.0], value=epsilon_init,
                                                    description="initial range ε_init", continuous_update=False),
            "epochs": widgets.SelectionSlider(options=[0, 10, 50, 200, 1000], value=epochs, description="epochs",
                                              continuous_update=False),
        }, width=900)
        self.progress = widgets.IntProgress(value=0, min=0, max=max(epochs, 1), description="training")
        fig = self._figure(11.0, 3.8)
        sizes = self.layer_sizes
        with presenter_style(self.presenter):
            self._maps = fig.subplots(1, 2, width_ratios=[1, 1.3])
            plot_unit_weights(np.zeros((sizes[1], sizes[0] + 1)), ax=self._maps[0], title=" ", colorbar=False)
            plot_unit_weights(np.zeros((sizes[2], sizes[1] + 1)), ax=self._maps[1], colorbar=False,
                              title="Θ⁽²⁾: out of hidden units")
        self._changing = []
        self._view = self._live(fig, lambda: self._changing)
        for c in self.controls.values():
            c.observe(lambda change: self.retrain(), names="value")
        c = self.controls
        self._finish([widgets.HBox([c["epsilon_init"], c["epochs"]]), self.progress, self.label, self.image], hide)
        self.retrain()

    def retrain(self):
        """Draw the initial weights, train, measure how different the hidden units are and draw both layers."""
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
        self.accuracy = accuracy(labels_from_outputs(self.Y), predict(self.Theta, self.X))
        if self.spread == 0:
            same = "all hidden units are <b>identical</b>"
        elif self.spread < 1e-6:
            same = (f"all hidden units are <b>identical</b> up to rounding (largest difference "
                    f"{self.spread:.1e})")
        else:
            same = f"hidden units <b>differ</b> (largest difference {self.spread:.3g})"
        self.label.value = f"ε_init = {eps:g}, {epochs} epochs: {same}; training accuracy {self.accuracy:.0%}."
        self.redraw()

    def redraw(self):
        """Draw the two weight matrices as heat maps on one color scale, each value in its cell."""
        epochs = self.controls["epochs"].value
        limit = max(float(np.max(np.abs(self.Theta[1]))), float(np.max(np.abs(self.Theta[2]))), 1e-3)
        self._changing = [*update_unit_weights(self._maps[0], self.Theta[1], limit),
                          *update_unit_weights(self._maps[1], self.Theta[2], limit), self._maps[0].title]
        self._maps[0].title.set_text(f"Θ⁽¹⁾ after {epochs} epochs: into hidden units")
        self._show()


class DepthExplorer(_Experiment):
    """Gradient size per layer in a deep stack, for a chosen depth and activation (notebooks 15 and 17).

    Parameters
    ----------
    X, Y : data (one batch)
    width : int, units per hidden layer
    depth, activation : starting values (hidden layers; "sigmoid", "tanh" or "relu")
    epsilon_init : float or "auto"
        "auto" draws each Theta(l) in ±sqrt(6 / (s_l + s_{l+1})) (Glorot & Bengio, 2010:
        ``init_thetas(..., epsilon_init="glorot")``).
    seed : int
    presenter : bool
    hide : control names (``"depth"``, ``"activation"``)
    """

    # the classic three, compared side by side (any hidden activation of the registry can be passed)
    COMPARED = ("sigmoid", "tanh", "relu")

    def __init__(self, X, Y, width=10, depth=6, activation="sigmoid", epsilon_init="auto", seed=0,
                 presenter=False, hide=()):
        super().__init__(presenter)
        self.X, self.Y, self.width, self.epsilon_init, self.seed = X, Y, width, epsilon_init, seed
        self._setup({
            "depth": widgets.IntSlider(value=depth, min=1, max=12, description="hidden layers"),
            "activation": widgets.ToggleButtons(options=list(self.COMPARED), value=activation, description="g"),
        })
        fig = self._figure(6.4, 4.0)
        with presenter_style(self.presenter):
            self._ax = fig.add_subplot()
            plot_gradient_norms({g: [1.0, 1.0] for g in self.COMPARED}, ax=self._ax)   # one line per activation
            self._ax.set_title(" ")
        self._lines = dict(zip(self.COMPARED, self._ax.get_lines(), strict=True))
        self._view = self._live(fig, lambda: [*self._lines.values(), self._ax.title])
        for c in self.controls.values():
            c.observe(lambda change: self.update(), names="value")
        c = self.controls
        self._finish([widgets.HBox([c["depth"], c["activation"]]), self.label, self.image], hide)
        self.update()

    def norms_for(self, activation, depth):
        """||D(l)|| per layer for a freshly initialized stack (computed by the library)."""
        sizes = [self.X.shape[0]] + [self.width] * depth + [self.Y.shape[0]]
        Theta = init_thetas(sizes, epsilon_init="glorot" if self.epsilon_init == "auto" else self.epsilon_init,
                            seed=self.seed)
        return experiments.gradient_norms(backprop(Theta, self.X, self.Y, activation=activation))

    def update(self):
        """Compute the gradient norms of every activation at the chosen depth and draw them."""
        depth = self.controls["depth"].value
        chosen = self.controls["activation"].value
        self.norms = {g: self.norms_for(g, depth) for g in self.COMPARED}
        n = self.norms[chosen]
        self.label.value = (f"{chosen}, {depth} hidden layer(s): ‖D⁽¹⁾‖ / ‖D⁽{depth + 1}⁾‖ = "
                            f"<b>{n[0] / n[-1]:.2e}</b> (first layer's gradient relative to the last's)")
        self.redraw()

    def redraw(self):
        """Draw the gradient norms of the last depth, the chosen activation in front."""
        depth, chosen = self.controls["depth"].value, self.controls["activation"].value
        for g, line in self._lines.items():
            line.set_data(np.arange(1, depth + 2), self.norms[g])
            line.set(alpha=1.0 if g == chosen else 0.35, zorder=3 if g == chosen else 2)
        self._ax.relim()
        self._ax.autoscale_view()
        self._ax.title.set_text(f"gradient size per layer, {depth} hidden layers of {self.width}")
        self._show()
