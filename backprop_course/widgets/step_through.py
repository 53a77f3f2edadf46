r"""StepThrough: walk through forward and backward propagation one equation at a time.

A thin widget over :func:`backprop_course.stepper.build_steps`: the steps, their equations and
numbers come from there; this module only lays them out (LaTeX text and a network drawing) and
moves between them.

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
from ..plotting.network import draw_network
from ..plotting.style import to_png
from ..stepper import PHASES, build_steps

__all__ = ["StepThrough"]

_PHASE_NAMES = {"forward": "forward propagation", "backward": "backpropagation",
                "gradient": "the gradient D", "update": "gradient descent"}


# what the edge colors and widths show at each kind of step
_EDGE_MEANING = {"BP0": "Theta", "BP3": "Delta so far", "BP4": "the gradient D", "GD": "the updated Theta"}


class StepThrough(widgets.VBox):
    r"""Prev / Next / Reset through the seed's algorithm on a small network, with a drawing per step.

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
        As in :func:`backprop_course.network.backprop_loop`.
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

    CONTROLS = ("prev", "next", "reset", "slider", "alpha", "example")

    def __init__(self, Theta, X, Y=None, lambda_=0.0, alpha=1.0, activation="sigmoid", output="sigmoid",
                 loss="cross_entropy", phases=PHASES, detail="full", presenter=False, hide=()):
        self._args = dict(Theta=Theta, X=X, Y=Y, lambda_=lambda_, activation=activation, output=output,
                          loss=loss, phases=tuple(phases), detail=detail)
        self.presenter = bool(presenter)
        self.steps = build_steps(alpha=alpha, **self._args)        # checks every argument
        self.sizes = layer_sizes(_checks.check_theta(Theta))
        m = len({s.t for s in self.steps if s.t is not None})
        big = "1.6em" if self.presenter else "1.15em"
        def button():  # one Layout per button: hiding one must not hide the others that would share it
            return widgets.Layout(width="110px" if self.presenter else "80px")

        self.prev = widgets.Button(description="◀ Prev", layout=button(), tooltip="previous step")
        self.next = widgets.Button(description="Next ▶", layout=button(), tooltip="next step")
        self.reset = widgets.Button(description="Reset", layout=button(), tooltip="back to step 0")
        self.slider = widgets.IntSlider(value=0, min=0, max=len(self.steps) - 1, description="step",
                                        continuous_update=True, layout=widgets.Layout(width="360px"))
        self.alpha = widgets.BoundedFloatText(value=alpha, min=1e-6, max=100.0, step=0.1, description="α",
                                              layout=widgets.Layout(width="150px"))
        self.example = widgets.Dropdown(options=[(f"t = {t}", t) for t in range(1, m + 1)] or [("-", 0)],
                                        value=1 if m else 0, description="example",
                                        layout=widgets.Layout(width="180px"))
        self.header = widgets.HTML()
        self.equation = widgets.HTMLMath()
        self.numbers = widgets.HTMLMath()
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="55%", min_width="420px",
                                                                      height="auto", object_fit="contain"))
        for w in (self.header, self.equation, self.numbers):
            w.style.font_size = big
        self._font = big

        self.prev.on_click(lambda _: self._go(self.slider.value - 1))
        self.next.on_click(lambda _: self._go(self.slider.value + 1))
        self.reset.on_click(lambda _: self._go(0))
        self.slider.observe(lambda change: self._show(), names="value")
        self.alpha.observe(lambda change: self._rebuild(), names="value")
        self.example.observe(self._jump_to_example, names="value")
        for name in hide:
            if name not in self.CONTROLS:
                raise ValueError(f"hide: unknown control {name!r}; choose from {list(self.CONTROLS)}.")
            getattr(self, name).layout.display = "none"
        if "backward" not in self._args["phases"] or "update" not in self._args["phases"]:
            self.alpha.layout.display = "none"

        controls = widgets.HBox([self.prev, self.next, self.reset, self.slider, self.example, self.alpha])
        # The picture beside the equation and its numbers, so one screen (or projector) shows all three.
        text = widgets.VBox([self.equation, self.numbers], layout=widgets.Layout(width="45%", padding="0 0 0 1em"))
        super().__init__([controls, self.header, widgets.HBox([self.image, text])])
        self._syncing = False
        self._show()

    # -- moving ---------------------------------------------------------------------------------
    def _go(self, index):
        self.slider.value = max(0, min(len(self.steps) - 1, index))   # fires _show if it changed

    def _jump_to_example(self, change):
        if self._syncing:
            return
        for step in self.steps:
            if step.t == change["new"]:
                self._go(step.index)
                return

    def _rebuild(self):
        self.steps = build_steps(alpha=self.alpha.value, **self._args)
        self._show()

    # -- showing --------------------------------------------------------------------------------
    @property
    def step(self):
        """The :class:`~backprop_course.stepper.Step` on show."""
        return self.steps[self.slider.value]

    def figure(self, index=None):
        """The network drawing of step `index` (default: the current one) as a matplotlib Figure."""
        step = self.steps[self.slider.value if index is None else index]
        ax = draw_network(self.sizes, edge_values=step.edge_values, node_values=step.node_text,
                          highlight_nodes=step.active_nodes, highlight_edges=step.active_edges,
                          edge_labels=True, presenter=self.presenter,
                          title=f"step {step.index} of {len(self.steps) - 1}: {step.title}\n"
                                f"(edges show {_EDGE_MEANING.get(step.label, 'Theta')}: width ~ size, "
                                f"blue +, vermillion -)")
        return ax.figure

    def _show(self):
        step = self.step
        self.header.value = (f"<b>Step {step.index} / {len(self.steps) - 1}</b> &mdash; "
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
        self.image.value = to_png(self.figure())
        self.prev.disabled = step.index == 0
        self.next.disabled = step.index == len(self.steps) - 1
        if step.t is not None and step.t != self.example.value:
            self._syncing = True
            self.example.value = step.t
            self._syncing = False

    def describe(self):
        """The current step as fixed-precision text (for printing in a notebook)."""
        return self.step.describe()

    # -- presets --------------------------------------------------------------------------------
    def state(self):
        """``{"step": int, "alpha": float, "example": int}``, JSON-serializable."""
        return {"step": int(self.slider.value), "alpha": float(self.alpha.value), "example": int(self.example.value)}

    def set_state(self, state):
        """Restore a :meth:`state` dict (any subset of its keys); "step" wins over "example"."""
        unknown = set(state) - {"step", "alpha", "example"}
        if unknown:
            raise ValueError(f"set_state: unknown keys {sorted(unknown)}; expected step, alpha, example.")
        if "alpha" in state:
            self.alpha.value = float(state["alpha"])
        if "example" in state and "step" not in state:
            self.example.value = int(state["example"])
        if "step" in state:
            step = int(state["step"])
            if not 0 <= step < len(self.steps):
                raise ValueError(f"set_state: step must be in 0 .. {len(self.steps) - 1}; got {step}.")
            self._go(step)
