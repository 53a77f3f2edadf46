r"""StepThrough: walk through forward and backward propagation one equation at a time.

A thin widget over :func:`backprop_course.stepper.build_steps`: the steps, their equations and
numbers come from there; this module only lays them out (LaTeX text and a network drawing) and
moves between them with the step player of :class:`~backprop_course.widgets._base.Explorer`.

>>> import backprop_course as bp
>>> from backprop_course.widgets import StepThrough
>>> X, Y = bp.datasets.xor()
>>> w = StepThrough(bp.init_thetas([2, 2, 1], seed=0), X[:, :1], Y[:, :1])
>>> w.next.click(); w.state()["step"]
1
"""

import ipywidgets as widgets

from .. import _checks
from ..network import layer_sizes
from ..plotting.network import NetworkPicture, draw_network, network_figure
from ..plotting.style import presenter_style
from ..stepper import PHASES, build_steps
from ._base import Explorer

__all__ = ["StepThrough"]

_PHASE_NAMES = {"forward": "forward propagation", "backward": "backpropagation",
                "gradient": "the gradient D", "update": "gradient descent"}

# what the edge colors and widths show at each kind of step
_EDGE_MEANING = {"BP0": "Theta", "BP3": "Delta so far", "BP4, BP5": "the gradient D", "GD": "the updated Theta"}


class StepThrough(Explorer):
    r"""Prev / Next / Reset through backpropagation on a small network, with a drawing per step.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}
    X : ndarray, shape (n, m)
        A few examples (m small: every example adds about 3 L steps).
    Y : ndarray of shape (K, m), or None
        Targets; None together with ``phases=("forward",)`` walks through forward propagation only.
    lambda_ : float >= 0
    alpha : float > 0
        Learning rate of the last steps (Theta - alpha D); the alpha control changes it.
    activation, output, loss : str
        As in :func:`backprop_course.network.backprop`.
    phases : tuple of str
        Which parts to show, see :data:`backprop_course.stepper.PHASES`.
    detail : {"full", "example"}
        ``"example"`` shows one accumulation step per example (notebook 06).
    presenter : bool
        Projector sizes for the drawing and the text.
    hide : iterable of str
        Controls to hide: any of ``"prev", "next", "reset", "slider", "alpha", "example"``.

    Attributes
    ----------
    steps : list of :class:`backprop_course.stepper.Step`
    equation : ipywidgets.HTMLMath
        The current equation (general and for this step) as LaTeX.
    numbers : ipywidgets.HTMLMath
        The numbers going in and coming out.
    image : ipywidgets.Image
        The network drawing (PNG).
    """

    def __init__(self, Theta, X, Y=None, lambda_=0.0, alpha=1.0, activation="sigmoid", output="sigmoid",
                 loss="cross_entropy", phases=PHASES, detail="full", presenter=False, hide=()):
        super().__init__(presenter)
        self._args = dict(Theta=Theta, X=X, Y=Y, lambda_=lambda_, activation=activation, output=output,
                          loss=loss, phases=tuple(phases), detail=detail)
        self.steps = build_steps(alpha=alpha, **self._args)        # checks every argument
        self.sizes = layer_sizes(_checks.check_theta(Theta))
        examples = sorted({s.t for s in self.steps if s.t is not None})
        player = self._player(len(self.steps))
        self.alpha = self._control("alpha", widgets.BoundedFloatText(
            value=alpha, min=1e-6, max=100.0, step=0.1, description="α", layout=widgets.Layout(width="150px")))
        self.example = self._control("example", widgets.Dropdown(
            options=[(f"t = {t}", t) for t in examples] or [("-", 0)], value=examples[0] if examples else 0,
            description="example", layout=widgets.Layout(width="180px")))
        self.header = widgets.HTML()
        self.equation = self._text()
        self.numbers = self._text()
        big = "1.6em" if self.presenter else "1.15em"
        for w in (self.header, self.equation, self.numbers):
            w.style.font_size = big
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="55%", min_width="420px",
                                                                      height="auto", object_fit="contain"))
        self.alpha.observe(lambda change: self._rebuild(), names="value")
        self.example.observe(self._jump_to_example, names="value")

        # one drawing for every step: the units, their names and the title (what the edges show) are
        # drawn once each; edges, highlights and numbers are restyled and redrawn step by step
        with presenter_style(self.presenter):
            ax = network_figure(self.sizes, self.presenter, title_lines=1)
            self.picture = NetworkPicture(ax, self.sizes, presenter=self.presenter)
            ax.set_title(" ", fontsize=self.picture.font * 1.15)
        self._view = self._live(ax.figure, self.picture.dynamic, dpi=80)

        controls = widgets.HBox([player, self.example, self.alpha])
        # The picture beside the equation and its numbers, so one screen (or projector) shows all three.
        text = widgets.VBox([self.equation, self.numbers], layout=widgets.Layout(width="45%", padding="0 0 0 1em"))
        self._finish([controls, self.header, widgets.HBox([self.image, text])], hide)
        if "backward" not in self._args["phases"] or "update" not in self._args["phases"]:
            self.alpha.layout.display = "none"                     # no update step: alpha changes nothing
        self._show_step()

    # -- moving ---------------------------------------------------------------------------------
    def _jump_to_example(self, change):
        if self.step.t == change["new"]:
            return                                                 # the menu follows the step: nothing to do
        self._go(next(step.index for step in self.steps if step.t == change["new"]))

    def _rebuild(self):
        self.steps = build_steps(alpha=self.alpha.value, **self._args)
        self._show_step()

    # -- showing --------------------------------------------------------------------------------
    @property
    def step(self):
        """The :class:`~backprop_course.stepper.Step` on show."""
        return self.steps[self.slider.value]

    def _draw(self, step):
        self.picture.restyle(edge_values=step.edge_values, node_values=step.node_text,
                             highlight_nodes=step.active_nodes, highlight_edges=step.active_edges, edge_labels=True)
        meaning = _EDGE_MEANING.get(step.label, "Theta")
        self.picture.ax.title.set_text(f"edges show {meaning}: width ~ size, blue +, vermillion -")
        return meaning

    def figure(self, index=None):
        """The network drawing of step `index` (default: the current one) as a new matplotlib Figure."""
        step = self.steps[self.slider.value if index is None else index]
        ax = draw_network(self.sizes, edge_values=step.edge_values, node_values=step.node_text,
                          highlight_nodes=step.active_nodes, highlight_edges=step.active_edges,
                          edge_labels=True, presenter=self.presenter,
                          title=f"step {step.index} of 0–{len(self.steps) - 1}: {step.title}\n"
                                f"(edges show {_EDGE_MEANING.get(step.label, 'Theta')}: width ~ size, "
                                f"blue +, vermillion -)")
        return ax.figure

    def _show_step(self):
        step = self.step
        self.header.value = (f"<b>Step {step.index} of 0–{len(self.steps) - 1}</b> &mdash; "
                             f"{_PHASE_NAMES[step.phase]}: {step.title}")
        self.equation.value = (f"<div>Equation ({step.label}): $${step.equation}$$</div>"
                               f"<div>This step: $${step.instance}$$</div>")
        parts = []
        for name, items in zip(("in", "out"), step.numbers_latex(), strict=True):
            if items:
                # one box per symbol; the boxes wrap instead of running off the right edge
                boxes = "".join(f"<div style='margin: 0.2em 1.2em 0.2em 0'>$\\displaystyle {item}$</div>"
                                for item in items)
                parts.append(f"<div><b>{name}:</b></div>"
                             f"<div style='display: flex; flex-wrap: wrap; align-items: center'>{boxes}</div>")
        self.numbers.value = "".join(parts)
        self.image.value = self._view.png(scene=self._draw(step))
        self._player_buttons()
        if step.t is not None:
            self.example.value = step.t                            # its callback sees the same t: no jump

    def describe(self):
        """The current step as fixed-precision text (for printing in a notebook)."""
        return self.step.describe()

    # -- presets --------------------------------------------------------------------------------
    def state(self):
        """``{"step": int, "alpha": float, "example": int}``, JSON-serializable."""
        return {"step": int(self.slider.value), "alpha": float(self.alpha.value), "example": int(self.example.value)}

    def set_state(self, state):
        """Restore a :meth:`state` dict (any subset of its keys); "step" wins over "example"."""
        self._known_keys(state)
        if "alpha" in state:
            self.alpha.value = float(state["alpha"])
        if "example" in state and "step" not in state:
            self.example.value = int(state["example"])
        if "step" in state:
            step = int(state["step"])
            if not 0 <= step < len(self.steps):
                raise ValueError(f"set_state: step must be in 0 .. {len(self.steps) - 1}; got {step}.")
            self._go(step)
