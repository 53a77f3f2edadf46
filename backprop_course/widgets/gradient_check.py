"""EpsilonExplorer: the error of the central difference against its step epsilon (notebook 07).

A thin widget over :func:`backprop_course.gradient_check.epsilon_sweep`: the U-shaped curves are
computed and drawn once per precision; moving the slider computes the error at exactly that step and
moves only the marker (:func:`backprop_course.plotting.curves.update_epsilon_marker`).
"""

import ipywidgets as widgets
import numpy as np

from ..gradient_check import epsilon_sweep
from ..plotting.curves import plot_epsilon_curve, update_epsilon_marker
from ..plotting.style import NEGATIVE, POSITIVE, presenter_style
from ._base import Explorer

__all__ = ["EpsilonExplorer"]


class EpsilonExplorer(Explorer):
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
        super().__init__(presenter)
        self._args = (Theta, X, Y)
        self._kw = dict(lambda_=lambda_, activation=activation, output=output, loss=loss)
        self.epsilons = np.logspace(-12, 0, 25) if epsilons is None else np.asarray(epsilons, dtype=float)
        self.curves = {p: epsilon_sweep(*self._args, self.epsilons, dtype=p, **self._kw)
                       for p in ("float64", "float32")}
        self._control("epsilon", widgets.FloatLogSlider(value=epsilon, base=10, min=-12, max=0, step=0.25,
                                                        description="step ε", readout_format=".0e"))
        self._control("precision", widgets.ToggleButtons(options=["float64", "float32", "both"], value="float64",
                                                         description="precision"))
        for c in self.controls.values():
            c.style.description_width = "initial"
        self.label = self._label()
        self.image = widgets.Image(format="png")
        self.controls["epsilon"].observe(lambda change: self.update(), names="value")
        self.controls["precision"].observe(lambda change: self._plot(), names="value")
        fig = self._figure(6.4, 4.0)
        colors = {"float64": POSITIVE, "float32": NEGATIVE}
        self._parts = {}                 # precision -> (its curve and marker, its annotations)
        with presenter_style(self.presenter):
            ax = self._ax = fig.add_subplot()
            for p in ("float64", "float32"):
                before = set(ax.get_children())
                plot_epsilon_curve(self.epsilons, self.curves[p], ax=ax, marker=epsilon, label=p, color=colors[p])
                new = [a for a in ax.get_children() if a not in before]
                self._parts[p] = ([a for a in new if a in ax.lines], [a for a in new if a in ax.texts])
            ax.set_title("central differences: error against the step")
        self._marker = update_epsilon_marker(ax, epsilon)
        self._view = self._live(fig, lambda: self._marker)
        self._finish([widgets.HBox([self.controls["epsilon"], self.controls["precision"]]), self.label,
                      self.image], hide)
        self._plot()

    def error_at(self, epsilon, precision="float64"):
        """The relative error of the numerical gradient at one step (computed, not interpolated)."""
        return float(epsilon_sweep(*self._args, [epsilon], dtype=precision, **self._kw)[0])

    def _shown(self):
        precision = self.controls["precision"].value
        return ["float64", "float32"] if precision == "both" else [precision]

    def _plot(self):
        """Show the curves of the chosen precisions (the still part; the first one's annotations), then the marker."""
        ax, shown = self._ax, self._shown()
        for p, (lines, texts) in self._parts.items():
            for line in lines:
                line.set_visible(p in shown)
            for text in texts:
                text.set_visible(p == shown[0])
        curves = [self.curves[p] for p in shown]
        ax.set_ylim(min(float(np.maximum(c, 1e-17).min()) for c in curves) / 50,
                    max(float(c.max()) for c in curves) * 5)     # room below the curves for the "best" label
        ax.legend(handles=[self._parts[p][0][0] for p in shown], loc="lower left")
        self.update()

    def update(self):
        """Compute the error at the slider's step, say how trustworthy it is and move the marker."""
        eps = self.controls["epsilon"].value
        self.errors = {p: self.error_at(eps, p) for p in self._shown()}
        verdict = {p: ("trustworthy" if e < 1e-7 else "too coarse to trust" if e > 1e-4 else "borderline")
                   for p, e in self.errors.items()}
        self.label.value = "<br>".join(
            f"ε = {eps:.1e} in {p}: relative error <b>{e:.2e}</b> ({verdict[p]})" for p, e in self.errors.items())
        update_epsilon_marker(self._ax, eps)
        self._show_png(self.image, self._view, scene=self.controls["precision"].value)
