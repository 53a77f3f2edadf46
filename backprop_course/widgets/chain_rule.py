r"""ChainRuleExplorer: values forward, then gradients backward, on the graph of one neuron (notebook 04).

A thin widget over :func:`backprop_course.chain_rule.chain_rule_steps`: the steps and their numbers
come from there; the graph is drawn once (:class:`~backprop_course.plotting.network.ScalarGraphPicture`)
and each step restyles it, moved by the step player of :class:`~backprop_course.widgets._base.Explorer`.
"""

import ipywidgets as widgets

from ..chain_rule import GRAPH_EDGES, GRAPH_NODES, chain_rule_steps
from ..plotting.network import ScalarGraphPicture
from ..plotting.style import new_figure, presenter_style
from ._base import Explorer

__all__ = ["ChainRuleExplorer"]


class ChainRuleExplorer(Explorer):
    r"""Step through the graph of one regularized sigmoid neuron: values forward, then gradients backward.

    Parameters
    ----------
    w, b, x, y : float
        Weight, bias, input and target (y in [0, 1]).
    lambda_ : float >= 0
        The penalty r = lambda w^2 / 2; w feeds u and r, and at its step the two paths meet.
    presenter : bool
    hide : iterable of {"prev", "next", "reset", "slider", "w", "b", "x", "y", "lambda_"}
    """

    def __init__(self, w=0.8, b=-0.3, x=1.5, y=1.0, lambda_=0.2, presenter=False, hide=()):
        super().__init__(presenter)
        self.steps = chain_rule_steps(w, b, x, y, lambda_)
        player = self._player(len(self.steps))

        def slider(name, value, low, high, step=0.05, description=None):
            return self._control(name, widgets.FloatSlider(
                value=value, min=low, max=high, step=step, description=description or name, continuous_update=True,
                readout_format=".2f", layout=widgets.Layout(width="420px" if self.presenter else "320px")))

        self.w, self.b, self.x = slider("w", w, -3, 3), slider("b", b, -3, 3), slider("x", x, -3, 3)
        self.y = slider("y", y, 0, 1, step=1.0)
        self.lambda_ = slider("lambda_", lambda_, 0, 2, description="λ")
        self.equation = self._text()
        self.image = widgets.Image(format="png")
        for s in (self.w, self.b, self.x, self.y, self.lambda_):
            s.observe(lambda change: self._rebuild(), names="value")
        with presenter_style(self.presenter):
            ax = new_figure(width=11 if self.presenter else 8.5, height=5.2 if self.presenter else 3.8,
                            presenter=self.presenter).add_subplot()
            self.picture = ScalarGraphPicture(ax, GRAPH_NODES, GRAPH_EDGES, self.presenter)
        self._view = self._live(ax.figure, self.picture.dynamic)
        self._finish([player, widgets.HBox([self.w, self.b]), widgets.HBox([self.x, self.y]), self.lambda_,
                      self.equation, self.image], hide)
        self._show_step()

    def _rebuild(self):
        self.steps = chain_rule_steps(self.w.value, self.b.value, self.x.value, self.y.value, self.lambda_.value)
        self._show_step()

    @property
    def step(self):
        """The :class:`~backprop_course.chain_rule.GraphStep` on show."""
        return self.steps[self.slider.value]

    def _draw(self, step):
        self.picture.restyle(step.values, step.grads, highlight_node=step.node, highlight_edges=step.edges,
                             backward=step.phase == "backward")

    def figure(self, index=None):
        """The graph at step `index` (default: the current one) as a matplotlib Figure."""
        self._draw(self.steps[self.slider.value if index is None else index])
        self._view.render()
        return self._view.fig

    def _show_step(self):
        step = self.step
        direction = "forward: a value" if step.phase == "forward" else "backward: a gradient"
        if step.phase == "backward" and len(step.edges) > 1:
            direction += "; two paths meet, so their gradients add"
        self.equation.value = (f"<b>Step {step.index} of 0–{len(self.steps) - 1}</b> ({direction})"
                               f"$${step.latex}$$")
        self._draw(step)
        self._show_png(self.image, self._view)
        self._player_buttons()

    def state(self):
        return {"step": self.slider.value, "w": self.w.value, "b": self.b.value, "x": self.x.value,
                "y": self.y.value, "lambda_": self.lambda_.value}

    def set_state(self, state):
        """Restore a :meth:`state` dict (any subset of its keys)."""
        self._known_keys(state)
        for key in ("w", "b", "x", "y", "lambda_"):
            if key in state:
                getattr(self, key).value = float(state[key])
        if "step" in state:
            self._go(int(state["step"]))
