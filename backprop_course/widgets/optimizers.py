r"""OptimizerExplorer: two optimizers on the same two-weight bowl, side by side (notebook 16).

A thin widget over :func:`backprop_course.landscape.optimizer_path`: the bowl and its contours are
drawn once in both panels; a new choice of optimizer or setting computes the two paths with the
library's own update steps and redraws only the paths, their titles and the readout.
"""

import ipywidgets as widgets
import numpy as np

from .. import landscape
from ..plotting.landscape import plot_cost_surface, update_descent_paths
from ..plotting.style import presenter_style
from ._base import Explorer

__all__ = ["OptimizerExplorer"]

SIDES = ("left", "right")
NAMES = {"gd": "gradient descent", "momentum": "momentum", "rmsprop": "RMSProp", "adam": "Adam"}
BETAS = (0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99)
BETA2S = (0.9, 0.99, 0.999)


class OptimizerExplorer(Explorer):
    r"""Two optimizers on the bowl :math:`\tfrac12 (w - w^*)^\top H (w - w^*)`, one panel each (notebook 16).

    For each side: the optimizer (gradient descent, momentum, RMSProp, Adam), its learning rate
    alpha, beta (momentum's beta, Adam's beta1) and beta2 (RMSProp's and Adam's); settings an
    optimizer does not have are greyed out. Choosing an optimizer sets alpha to that optimizer's
    entry of ``alphas``, since the learning rates of plain and normalized steps differ by orders of
    magnitude. Both paths start at the same point and take the same number of steps.

    Parameters
    ----------
    H : ndarray, shape (2, 2), symmetric positive definite
    center : pair of float, w* (the minimum)
    start : pair of float, where both paths start
    left, right : str, the optimizers shown first ("gd", "momentum", "rmsprop", "adam")
    alphas : dict {optimizer: float}, optional
        The learning rate each optimizer starts with. Default: ``1 / mu_max`` for gradient
        descent, a third of it for momentum (whose velocity adds up about 1 / (1 - beta) steps), and a
        tenth of the start's distance from w* for RMSProp and Adam (whose steps are about alpha long).
    steps : int, the number of steps drawn
    extent : float, half-width of the drawn window around w* (default: 1.6 x the start's distance)
    labels : pair of str, axis names
    presenter : bool
    hide : control names (``"optimizer_left"``, ``"alpha_left"``, ``"beta_left"``, ``"beta2_left"``, the
        same with ``_right``, and ``"steps"``)

    Attributes
    ----------
    paths : dict {"left", "right": ndarray of shape (S + 1, 2)}
    J : dict {"left", "right": float}, the bowl's cost at the end of each path (inf when diverged)
    """

    def __init__(self, H, center, start, left="gd", right="adam", alphas=None, steps=40, extent=None,
                 labels=("w₁", "w₂"), presenter=False, hide=()):
        super().__init__(presenter)
        self.H = np.asarray(H, dtype=float)
        self.center = np.asarray(center, dtype=float)
        self.start = np.asarray(start, dtype=float)
        mu_max = float(np.linalg.eigvalsh(self.H).max())
        distance = float(np.linalg.norm(self.start - self.center))
        self.alphas = {"gd": 1 / mu_max, "momentum": 1 / (3 * mu_max), "rmsprop": distance / 10,
                       "adam": distance / 10, **(alphas or {})}
        self.extent = extent or 1.6 * float(np.max(np.abs(self.start - self.center)))
        rows = [self._side_controls(side, chosen) for side, chosen in zip(SIDES, (left, right), strict=True)]
        self._control("steps", widgets.IntSlider(value=steps, min=1, max=100, description="steps"))
        self.controls["steps"].style.description_width = "initial"
        self.controls["steps"].observe(lambda change: self.update(), names="value")
        self.label = self._label()
        self.image = widgets.Image(format="png", layout=widgets.Layout(width=f"{1260 if self.presenter else 900}px"))

        g = np.linspace(-self.extent, self.extent, 81)
        W1, W2 = np.meshgrid(self.center[0] + g, self.center[1] + g)
        J_grid = landscape.quadratic_cost(self.H, W1, W2, self.center)
        self._compute()
        self._fig = self._figure(10.0, 4.8)
        self._axes = {}
        with presenter_style(self.presenter):
            for side, ax in zip(SIDES, self._fig.subplots(1, 2), strict=True):
                plot_cost_surface(W1, W2, J_grid, paths=self._named(side), ax=ax, labels=labels, center=self.center)
                ax.set_aspect("equal")
                ax.set_title(self._title(side))
                self._axes[side] = ax
        self._moving = []
        self._view = self._live(self._fig, lambda: self._moving)
        self._finish([*rows, self.controls["steps"], self.label, self.image], hide)
        for side in SIDES:
            self._enable(side)
        self.update()

    # -- controls ------------------------------------------------------------------------------------

    def _side_controls(self, side, optimizer):
        c = {
            "optimizer": widgets.Dropdown(options=[(NAMES[o], o) for o in landscape.PATH_OPTIMIZERS],
                                          value=optimizer, description=f"{side}:"),
            "alpha": widgets.FloatLogSlider(value=self.alphas[optimizer], base=10, min=-3, max=3, step=0.05,
                                            description="α", readout_format=".3g"),
            "beta": widgets.SelectionSlider(options=BETAS, value=0.9, description="β / β₁"),
            "beta2": widgets.SelectionSlider(options=BETA2S, value=0.999, description="β₂"),
        }
        for name, control in c.items():
            self._control(f"{name}_{side}", control)
            control.style.description_width = "initial"
            if name == "optimizer":
                control.layout.width = "250px"
                control.observe(lambda change, side=side: self._choose(side), names="value")
            else:
                control.observe(lambda change: self.update(), names="value")
        return widgets.HBox(list(c.values()))

    def _settings(self, side):
        """(optimizer, alpha, options) of one side, the options being those the optimizer has."""
        get = {name: self.controls[f"{name}_{side}"].value for name in ("optimizer", "alpha", "beta", "beta2")}
        optimizer = get["optimizer"]
        options = {"gd": {}, "momentum": {"beta": get["beta"]}, "rmsprop": {"beta2": get["beta2"]},
                   "adam": {"beta1": get["beta"], "beta2": get["beta2"]}}[optimizer]
        return optimizer, get["alpha"], options

    def _enable(self, side):
        """Grey out the settings the chosen optimizer does not have."""
        has = landscape.PATH_OPTIMIZERS[self.controls[f"optimizer_{side}"].value]
        self.controls[f"beta_{side}"].disabled = not ({"beta", "beta1"} & set(has))
        self.controls[f"beta2_{side}"].disabled = "beta2" not in has

    def _choose(self, side):
        """A new optimizer on one side: its settings, its starting alpha, then the redraw."""
        self._enable(side)
        alpha = self.controls[f"alpha_{side}"]
        wanted = self.alphas[self.controls[f"optimizer_{side}"].value]
        if np.isclose(alpha.value, wanted):
            self.update()
        else:
            alpha.value = wanted                                     # its observer redraws

    # -- numbers and pictures --------------------------------------------------------------------------

    def _compute(self):
        self.paths, self.J = {}, {}
        steps = self.controls["steps"].value
        for side in SIDES:
            optimizer, alpha, options = self._settings(side)
            self.paths[side] = landscape.optimizer_path(self.H, self.start, alpha, steps, optimizer, self.center,
                                                        options)
            end = self.paths[side][-1]
            diverged = len(self.paths[side]) < steps + 1
            self.J[side] = np.inf if diverged else float(landscape.quadratic_cost(self.H, end[0], end[1], self.center))

    def _title(self, side):
        optimizer, alpha, options = self._settings(side)
        shown = ", ".join([f"α = {alpha:.3g}"] + [f"{k.replace('beta', 'β')} = {v:g}" for k, v in options.items()])
        return f"{NAMES[optimizer]}: {shown}"

    def _named(self, side):
        return {NAMES[self.controls[f"optimizer_{side}"].value]: self.paths[side]}

    def update(self):
        """Recompute both paths with the chosen settings and redraw them, their titles and the readout."""
        self._compute()
        steps = self.controls["steps"].value
        J_start = float(landscape.quadratic_cost(self.H, self.start[0], self.start[1], self.center))
        parts, moving = [], []
        for side in SIDES:
            ax = self._axes[side]
            ax.title.set_text(self._title(side))
            moving += [*update_descent_paths(ax, self._named(side)), ax.title]
            name = NAMES[self.controls[f"optimizer_{side}"].value]
            if np.isfinite(self.J[side]):
                parts.append(f"{side}, {name}: J = {self.J[side]:.2e} after {steps} steps")
            else:
                parts.append(f"{side}, {name}: <b>diverged</b> (left the picture for good)")
        self.label.value = f"J at the start {J_start:.2e}. " + "; ".join(parts) + "."
        self._moving = moving
        self.image.value = self._view.png()
