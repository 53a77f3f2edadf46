r"""LearningRateExplorer: gradient descent with a chosen learning rate on a two-weight bowl (notebook 08).

A thin widget over :mod:`backprop_course.landscape`: the bowl and its contours are drawn once; a
new alpha or number of steps computes the path (:func:`~backprop_course.landscape.quadratic_descent`)
and the regime (:func:`~backprop_course.landscape.step_regime`) and redraws only the path.
"""

import ipywidgets as widgets
import numpy as np

from .. import landscape
from ..plotting.landscape import plot_cost_surface, update_descent_paths
from ..plotting.style import presenter_style
from ._base import Explorer

__all__ = ["LearningRateExplorer"]


class LearningRateExplorer(Explorer):
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
        super().__init__(presenter)
        self.H = np.asarray(H, dtype=float)
        self.center = np.asarray(center, dtype=float)
        self.start = np.asarray(start, dtype=float)
        self.labels = labels
        self.mu_max = float(np.linalg.eigvalsh(self.H).max())
        self.extent = extent or 1.6 * float(np.max(np.abs(self.start - self.center)))
        lo_alpha = np.log10(0.02 / self.mu_max)
        hi_alpha = np.log10(3.0 / self.mu_max)
        self._control("alpha", widgets.FloatLogSlider(value=alpha, base=10, min=round(lo_alpha, 2),
                                                      max=round(hi_alpha, 2), step=0.02,
                                                      description="learning rate α", readout_format=".3g"))
        self._control("steps", widgets.IntSlider(value=steps, min=1, max=60, description="steps"))
        for c in self.controls.values():
            c.style.description_width = "initial"
            c.observe(lambda change: self.update(), names="value")
        self.label = self._label()
        self.image = widgets.Image(format="png", layout=widgets.Layout(width=f"{896 if self.presenter else 640}px"))
        g = np.linspace(-self.extent, self.extent, 81)
        self.W1, self.W2 = np.meshgrid(self.center[0] + g, self.center[1] + g)
        self.J = landscape.quadratic_cost(self.H, self.W1, self.W2, self.center)
        self._fig = self._figure(5.6, 5.0)
        self._descend()
        with presenter_style(self.presenter):
            ax = self._fig.add_subplot()
            plot_cost_surface(self.W1, self.W2, self.J, paths=self._paths(), ax=ax, labels=self.labels,
                              center=self.center)
            ax.set_aspect("equal")
            ax.set_title(self.regime)
        self._ax = ax
        self._moving = []
        self._view = self._live(self._fig, lambda: self._moving)
        self._finish([widgets.HBox([self.controls["alpha"], self.controls["steps"]]), self.label, self.image],
                     hide)
        self.update()

    @classmethod
    def from_network(cls, Theta, X, Y, weights, start_offset=(1.0, -1.0), lambda_=0.0, **kwargs):
        """The bowl of two weights of a trained network: w* and H from
        :func:`backprop_course.landscape.bowl_from_network`; ``start_offset`` is added to w* to get the start.
        Other keyword arguments go to the widget."""
        H, center = landscape.bowl_from_network(Theta, X, Y, weights, lambda_)
        return cls(H, center, center + np.asarray(start_offset), **kwargs)

    def _descend(self):
        alpha = self.controls["alpha"].value
        self.path = landscape.quadratic_descent(self.H, self.start, alpha, self.controls["steps"].value, self.center)
        self.regime = landscape.step_regime(alpha, self.H)

    def _paths(self):
        return {f"α = {self.controls['alpha'].value:.3g}": self.path}

    def update(self):
        """Descend with the chosen alpha and steps, name the regime and redraw the path."""
        self._descend()
        alpha = self.controls["alpha"].value
        r = alpha * self.mu_max
        distance = float(np.linalg.norm(self.path[-1] - self.center))
        self.label.value = (f"α = {alpha:.3g}, α·μ<sub>max</sub> = {r:.2f}: <b>{self.regime}</b>. "
                            f"Distance to the minimum after {len(self.path) - 1} steps: {distance:.3g} "
                            f"(start {np.linalg.norm(self.start - self.center):.3g}). "
                            f"Good up to α = {1 / self.mu_max:.3g}, a steady oscillation at α = {2 / self.mu_max:.3g}, "
                            f"diverges beyond it.")
        self._ax.title.set_text(self.regime)
        self._moving = [*update_descent_paths(self._ax, self._paths()), self._ax.title]
        self.image.value = self._view.png()
