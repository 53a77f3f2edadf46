r"""The "Explore" widgets of notebooks 01-04: move one thing, watch the equation's numbers change.

================== ======== =====================================================================
widget             notebook what it shows
================== ======== =====================================================================
NeuronExplorer     01       one neuron a = g(w x + b): sliders for w, b, x; g and g' with the point
ForwardExplorer    02       a network diagram with every z and a, for inputs and a weight you edit
CostExplorer       03       J as one weight moves, with and without the penalty lambda
ChainRuleExplorer  04       values forward, gradients backward on the graph of one neuron
================== ======== =====================================================================

Each is thin: numbers come from the library (forward, cost, the activations,
:func:`backprop_course.stepper.chain_rule_steps`), drawings from :mod:`backprop_course.plotting`,
images travel as PNG bytes in an ``ipywidgets.Image`` (nothing is printed into Output widgets,
which keeps nbval's stored outputs stable). Every widget has ``state()``, ``set_state(dict)``,
``presenter=`` and ``hide=``.
"""

import ipywidgets as widgets
import numpy as np

from .. import _checks
from ..activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from ..chain_rule import GRAPH_EDGES, GRAPH_NODES, chain_rule_steps
from ..network import cost, forward, layer_sizes
from ..plotting.functions import plot_activation, plot_curve
from ..plotting.network import draw_network, draw_scalar_graph
from ..plotting.style import new_figure, presenter_style, to_png

__all__ = ["NeuronExplorer", "ForwardExplorer", "CostExplorer", "ChainRuleExplorer"]


class _Explorer(widgets.VBox):
    """Shared plumbing: hide controls by name, font size for presenter mode."""

    CONTROLS = ()

    def _finish(self, children, hide):
        for name in hide:
            if name not in self.CONTROLS:
                raise ValueError(f"hide: unknown control {name!r}; choose from {list(self.CONTROLS)}.")
            getattr(self, name).layout.display = "none"
        widgets.VBox.__init__(self, children)

    def _text(self):
        html = widgets.HTMLMath()
        html.style.font_size = "1.35em" if self.presenter else "1.0em"
        return html

    def _show_figure(self, fig):
        """Send the figure as PNG at its own pixel size (JupyterLab would otherwise stretch it to the cell width)."""
        self.image.value = to_png(fig)
        width, _ = fig.get_size_inches() * fig.dpi
        self.image.layout.width = f"{int(round(width))}px"
        self.image.layout.max_width = "100%"

    def _slider(self, description, value, low, high, step=0.05):
        return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                                   continuous_update=True, readout_format=".2f",
                                   layout=widgets.Layout(width="420px" if self.presenter else "320px"))


class NeuronExplorer(_Explorer):
    r"""One neuron, :math:`a = g(z)` with :math:`z = w x + b`; sliders for w, b and x.

    Parameters
    ----------
    w, b, x : float
        Initial weight, bias and input (sliders span [-5, 5]).
    activation : {"sigmoid", "tanh", "relu", "identity"}
    presenter : bool
    hide : iterable of {"w", "b", "x", "activation"}
    """

    CONTROLS = ("w", "b", "x", "activation")

    def __init__(self, w=1.0, b=0.0, x=1.0, activation="sigmoid", presenter=False, hide=()):
        _checks.check_choice("activation", activation, HIDDEN_ACTIVATIONS)
        self.presenter = bool(presenter)
        self.w = self._slider("w", w, -5, 5)
        self.b = self._slider("b", b, -5, 5)
        self.x = self._slider("x", x, -5, 5)
        self.activation = widgets.Dropdown(options=list(HIDDEN_ACTIVATIONS), value=activation, description="g")
        self.readout = self._text()
        self.image = widgets.Image(format="png")
        for control in (self.w, self.b, self.x, self.activation):
            control.observe(lambda change: self._update(), names="value")
        self._finish([widgets.HBox([widgets.VBox([self.w, self.b, self.x, self.activation]), self.readout]),
                      self.image], hide)
        self._update()

    def values(self):
        """``(z, a, g'(z))`` for the current sliders, from the library's forward pass and g'."""
        Theta = {1: np.array([[self.b.value, self.w.value]])}
        a, z = forward(Theta, np.array([[self.x.value]]), activation="identity", output="identity")
        z = float(z[2][0, 0])
        fn = ACTIVATIONS[self.activation.value]
        return z, float(fn.g(z)), float(fn.g_prime(z))

    def _update(self):
        z, a, g_prime = self.values()
        self.readout.value = (rf"$$z = w\,x + b = {self.w.value:.2f} \cdot {self.x.value:.2f} + {self.b.value:.2f}"
                              rf" = {z:.3f}$$ $$a = g(z) = {a:.3f}$$ $$g'(z) = {g_prime:.3f}$$")
        with presenter_style(self.presenter):
            fig = new_figure(width=9 if self.presenter else 6.4, height=5 if self.presenter else 3.6,
                             presenter=self.presenter)
            ax = fig.add_subplot()
            plot_activation(self.activation.value, ax=ax, mark=z, presenter=self.presenter)
            ax.set_title(f"z = {z:.2f}:  g(z) = {a:.3f},  g'(z) = {g_prime:.3f}")
        self._show_figure(fig)

    def state(self):
        return {"w": self.w.value, "b": self.b.value, "x": self.x.value, "activation": self.activation.value}

    def set_state(self, state):
        for key, value in state.items():
            if key not in self.CONTROLS:
                raise ValueError(f"set_state: unknown key {key!r}; expected {list(self.CONTROLS)}.")
            getattr(self, key).value = value


def _edge_options(Theta):
    return [(f"Theta[{l}][{i}, {j}]" + (" (bias)" if j == 0 else ""), (l, i, j))
            for l in sorted(Theta) for i in range(Theta[l].shape[0]) for j in range(Theta[l].shape[1])]


class ForwardExplorer(_Explorer):
    r"""A network diagram showing every z(l) and a(l) for inputs and weights the learner edits.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}
        Copied; the widget edits its own copy (read it back with ``state()["Theta"]``).
    x : ndarray of shape (n,) or (n, 1)
        The input example.
    activation, output : str
    presenter : bool
    hide : iterable of {"inputs", "weight", "value"}
    """

    CONTROLS = ("inputs", "weight", "value")

    def __init__(self, Theta, x, activation="sigmoid", output="sigmoid", presenter=False, hide=()):
        _checks.check_model(activation, output)
        self.Theta = {l: T.copy() for l, T in _checks.check_theta(Theta).items()}
        x = np.asarray(x, dtype=float).reshape(-1, 1)
        _checks.check_X(x, self.Theta)
        self.activation_name, self.output_name = activation, output
        self.presenter = bool(presenter)
        self.sizes = layer_sizes(self.Theta)
        self.x_sliders = [self._slider(f"x{k + 1}", float(x[k, 0]), -3, 3) for k in range(x.shape[0])]
        self.inputs = widgets.VBox(self.x_sliders)
        self.weight = widgets.Dropdown(options=_edge_options(self.Theta), description="weight")
        first = self.weight.value
        self._loading = False
        self.value = self._slider("value", 0.0, -3, 3)
        self._load_weight(float(self.Theta[first[0]][first[1], first[2]]))
        self.readout = self._text()
        self.image = widgets.Image(format="png")
        for s in self.x_sliders:
            s.observe(lambda change: self._update(), names="value")
        self.weight.observe(self._select, names="value")
        self.value.observe(self._edit, names="value")
        self._finish([widgets.HBox([self.inputs, widgets.VBox([self.weight, self.value])]), self.image,
                      self.readout], hide)
        self._update()

    def x(self):
        return np.array([[s.value] for s in self.x_sliders])

    def _select(self, change):
        l, i, j = change["new"]
        self._load_weight(float(self.Theta[l][i, j]))
        self._update()

    def _load_weight(self, v):
        """Show weight value v on the slider without the slider clamping it (and so changing Theta)."""
        self._loading = True
        self.value.min, self.value.max = min(-3.0, v), max(3.0, v)
        self.value.value = v
        self._loading = False

    def _edit(self, change):
        if self._loading:
            return
        l, i, j = self.weight.value
        self.Theta[l][i, j] = change["new"]
        self._update()

    def _update(self):
        a, z = forward(self.Theta, self.x(), self.activation_name, self.output_name)
        L = len(self.sizes)
        text = {}
        for l in range(1, L + 1):
            start = 1 if l < L else 0
            for k, v in enumerate(a[l][start:, 0], start=1):
                text[(l, k)] = (f"z={z[l][k - 1, 0]:.2f}\n" if l > 1 else "") + f"a={v:.2f}"
        ax = draw_network(self.sizes, self.Theta, node_values=text, edge_labels=True, presenter=self.presenter,
                          highlight_edges=[self.weight.value], fade=False,
                          highlight_nodes=[(self.weight.value[0] + 1, self.weight.value[1] + 1)])
        self._show_figure(ax.figure)
        rows = [rf"a^{{(1)}} = {_vec(a[1][:, 0])}"]
        for l in range(2, L + 1):
            rows.append(rf"z^{{({l})}} = \Theta^{{({l - 1})}} a^{{({l - 1})}} = {_vec(z[l][:, 0])},\quad"
                        rf" a^{{({l})}} = {_vec(a[l][:, 0])}")
        self.readout.value = "".join(f"$${r}$$" for r in rows)

    def output(self):
        """a(L) for the current inputs and weights, shape (K, 1)."""
        a, _ = forward(self.Theta, self.x(), self.activation_name, self.output_name)
        return a[len(self.sizes)]

    def state(self):
        return {"x": [s.value for s in self.x_sliders],
                "Theta": {str(l): T.tolist() for l, T in self.Theta.items()},
                "weight": list(self.weight.value)}

    def set_state(self, state):
        unknown = set(state) - {"x", "Theta", "weight"}
        if unknown:
            raise ValueError(f"set_state: unknown keys {sorted(unknown)}; expected x, Theta, weight.")
        if "Theta" in state:
            new = _checks.check_theta({int(l): np.array(T, dtype=float) for l, T in state["Theta"].items()})
            if layer_sizes(new) != self.sizes:
                raise ValueError(f"set_state: Theta has layer sizes {layer_sizes(new)}, the widget {self.sizes}.")
            self.Theta = {l: T.copy() for l, T in new.items()}
        if "x" in state:
            for s, v in zip(self.x_sliders, state["x"], strict=True):
                s.value = float(v)
        if "weight" in state:
            self.weight.value = tuple(state["weight"])
        l, i, j = self.weight.value
        self._load_weight(float(self.Theta[l][i, j]))
        self._update()


def _vec(v):
    return r"\begin{bmatrix} " + r" \\ ".join(f"{x:.3f}" for x in v) + r" \end{bmatrix}"


class CostExplorer(_Explorer):
    r"""The cost J(Theta) as one weight moves, for the penalty strength lambda you choose.

    Parameters
    ----------
    Theta : dict {l: ndarray}
    X : ndarray, shape (n, m)
    Y : ndarray, shape (K, m)
    lambda_ : float >= 0
    weight : (l, i, j)
        The weight on the horizontal axis (default: the first non-bias weight of Theta(1)).
    span : float
        The curve covers [-span, span].
    activation, output, loss : str
    presenter : bool
    hide : iterable of {"weight", "value", "lambda_"}
    """

    CONTROLS = ("weight", "value", "lambda_")

    def __init__(self, Theta, X, Y, lambda_=0.0, weight=(1, 0, 1), span=4.0, activation="sigmoid",
                 output="sigmoid", loss="cross_entropy", presenter=False, hide=()):
        self.Theta = {l: T.copy() for l, T in _checks.check_theta(Theta).items()}
        cost(self.Theta, X, Y, lambda_, activation, output, loss)           # checks every argument
        self.X, self.Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
        self.model = dict(activation=activation, output=output, loss=loss)
        self.presenter = bool(presenter)
        self.span = float(span)
        self.weight = widgets.Dropdown(options=_edge_options(self.Theta), value=tuple(weight), description="weight")
        l, i, j = self.weight.value
        self.value = self._slider("value", float(self.Theta[l][i, j]), -self.span, self.span)
        self.lambda_ = self._slider("λ", float(lambda_), 0.0, 10.0, step=0.1)
        self.readout = self._text()
        self.image = widgets.Image(format="png")
        self.weight.observe(self._select, names="value")
        self.value.observe(lambda change: self._update(), names="value")
        self.lambda_.observe(lambda change: self._update(), names="value")
        self._finish([widgets.HBox([widgets.VBox([self.weight, self.value, self.lambda_]), self.readout]),
                      self.image], hide)
        self._update()

    def _select(self, change):
        l, i, j = change["new"]
        old = self.value.value
        self.value.value = float(np.clip(self.Theta[l][i, j], -self.span, self.span))
        if self.value.value == old:
            self._update()

    def J(self, w=None, lambda_=None):
        """The library's cost with the chosen weight set to w (default: the slider) and lambda_."""
        l, i, j = self.weight.value
        Theta = {k: T.copy() for k, T in self.Theta.items()}
        Theta[l][i, j] = self.value.value if w is None else w
        return cost(Theta, self.X, self.Y, self.lambda_.value if lambda_ is None else lambda_, **self.model)

    def curve(self, lambda_=None, points=121):
        """(w values, J values) over [-span, span]."""
        ws = np.linspace(-self.span, self.span, points)
        return ws, np.array([self.J(w, lambda_) for w in ws])

    def _update(self):
        l, i, j = self.weight.value
        J_now, J_data = self.J(), self.J(lambda_=0.0)
        symbol = rf"\Theta^{{({l})}}_{{{i + 1}{j}}}"
        self.readout.value = (rf"$${symbol} = {self.value.value:.2f},\quad \lambda = {self.lambda_.value:.1f}$$"
                              rf"$$J = {J_now:.4f}\quad(\text{{data part }} {J_data:.4f},"
                              rf"\ \text{{penalty }} {J_now - J_data:.4f})$$")
        with presenter_style(self.presenter):
            fig = new_figure(width=9 if self.presenter else 6.4, height=5 if self.presenter else 3.8,
                             presenter=self.presenter)
            ax = fig.add_subplot()
            ws, Js = self.curve(0.0)
            plot_curve(ws, Js, ax=ax, label=r"$\lambda = 0$", presenter=self.presenter, color="#999999")
            ws, Js = self.curve()
            plot_curve(ws, Js, ax=ax, mark=self.value.value, label=rf"$\lambda = {self.lambda_.value:.1f}$",
                       xlabel=f"${symbol}$" + (" (bias: never penalized)" if j == 0 else ""),
                       ylabel=r"$J(\Theta)$", presenter=self.presenter)
        self._show_figure(fig)

    def state(self):
        return {"weight": list(self.weight.value), "value": self.value.value, "lambda_": self.lambda_.value}

    def set_state(self, state):
        unknown = set(state) - set(self.CONTROLS)
        if unknown:
            raise ValueError(f"set_state: unknown keys {sorted(unknown)}; expected {list(self.CONTROLS)}.")
        if "weight" in state:
            self.weight.value = tuple(state["weight"])
        if "lambda_" in state:
            self.lambda_.value = float(state["lambda_"])
        if "value" in state:
            self.value.value = float(state["value"])


class ChainRuleExplorer(_Explorer):
    r"""Step through the graph of one sigmoid neuron: values forward, then gradients backward.

    Parameters
    ----------
    w, b, x, y : float
        Weight, bias, input and target (y in [0, 1]).
    presenter : bool
    hide : iterable of {"prev", "next", "reset", "slider", "w", "b", "x", "y"}
    """

    CONTROLS = ("prev", "next", "reset", "slider", "w", "b", "x", "y")

    def __init__(self, w=0.8, b=-0.3, x=1.5, y=1.0, presenter=False, hide=()):
        self.presenter = bool(presenter)
        self.steps = chain_rule_steps(w, b, x, y)
        def button():  # one Layout each: hide=("prev",) sets layout.display, which a shared Layout would spread
            return widgets.Layout(width="110px" if self.presenter else "80px")

        self.prev = widgets.Button(description="◀ Prev", layout=button())
        self.next = widgets.Button(description="Next ▶", layout=button())
        self.reset = widgets.Button(description="Reset", layout=button())
        self.slider = widgets.IntSlider(value=0, min=0, max=len(self.steps) - 1, description="step")
        self.w, self.b, self.x = self._slider("w", w, -3, 3), self._slider("b", b, -3, 3), self._slider("x", x, -3, 3)
        self.y = self._slider("y", y, 0, 1, step=1.0)
        self.equation = self._text()
        self.image = widgets.Image(format="png")
        self.prev.on_click(lambda _: self._go(self.slider.value - 1))
        self.next.on_click(lambda _: self._go(self.slider.value + 1))
        self.reset.on_click(lambda _: self._go(0))
        self.slider.observe(lambda change: self._show(), names="value")
        for s in (self.w, self.b, self.x, self.y):
            s.observe(lambda change: self._rebuild(), names="value")
        self._finish([widgets.HBox([self.prev, self.next, self.reset, self.slider]),
                      widgets.HBox([self.w, self.b]), widgets.HBox([self.x, self.y]), self.equation, self.image],
                     hide)
        self._show()

    def _go(self, index):
        self.slider.value = max(0, min(len(self.steps) - 1, index))

    def _rebuild(self):
        self.steps = chain_rule_steps(self.w.value, self.b.value, self.x.value, self.y.value)
        self._show()

    @property
    def step(self):
        return self.steps[self.slider.value]

    def figure(self, index=None):
        step = self.steps[self.slider.value if index is None else index]
        ax = draw_scalar_graph(GRAPH_NODES, GRAPH_EDGES, step.values, step.grads, highlight_node=step.node,
                               highlight_edge=step.edge, backward=step.phase == "backward", presenter=self.presenter)
        return ax.figure

    def _show(self):
        step = self.step
        direction = "forward: a value" if step.phase == "forward" else "backward: a gradient"
        self.equation.value = (f"<b>Step {step.index} / {len(self.steps) - 1}</b> ({direction})"
                               f"$${step.latex}$$")
        self._show_figure(self.figure())
        self.prev.disabled = step.index == 0
        self.next.disabled = step.index == len(self.steps) - 1

    def state(self):
        return {"step": self.slider.value, "w": self.w.value, "b": self.b.value, "x": self.x.value, "y": self.y.value}

    def set_state(self, state):
        unknown = set(state) - {"step", "w", "b", "x", "y"}
        if unknown:
            raise ValueError(f"set_state: unknown keys {sorted(unknown)}; expected step, w, b, x, y.")
        for key in ("w", "b", "x", "y"):
            if key in state:
                getattr(self, key).value = float(state[key])
        if "step" in state:
            self._go(int(state["step"]))
