r"""The network's Explore widgets of notebooks 01-03: move one thing, watch the equation's numbers change.

================== ======== =====================================================================
widget             notebook what it shows
================== ======== =====================================================================
NeuronExplorer     01       one neuron a = g(w x + b): sliders for w, b, x; g and g' with the point
ForwardExplorer    02       a network diagram with every z and a, for inputs and a weight you edit
CostExplorer       03       J as one weight moves, with and without the penalty lambda
================== ======== =====================================================================

Each is thin: numbers come from the library (forward, cost, the activations registry), drawings
from :mod:`backprop_course.plotting`; a figure is made once and a slider only moves the artists that
change (the point, the numbers), rendered through a :class:`~backprop_course.plotting.style.LiveFigure`.
Images travel as PNG bytes in an ``ipywidgets.Image`` (nothing is printed into Output widgets,
which keeps nbval's stored outputs stable). Every widget has ``state()``, ``set_state(dict)``,
``presenter=`` and ``hide=`` (:class:`~backprop_course.widgets._base.Explorer`).
"""

import ipywidgets as widgets
import numpy as np

from .. import _checks
from ..activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from ..network import cost, forward, layer_sizes
from ..plotting.functions import plot_activation, plot_curve, update_activation_mark, update_curve_mark
from ..plotting.network import NetworkPicture, network_figure
from ..plotting.style import new_figure, presenter_style
from ._base import Explorer

__all__ = ["NeuronExplorer", "ForwardExplorer", "CostExplorer"]


class _Sliders(Explorer):
    """Explorers whose controls are mostly float sliders."""

    def _slider(self, name, description, value, low, high, step=0.05):
        return self._control(name, widgets.FloatSlider(
            value=value, min=low, max=high, step=step, description=description, continuous_update=True,
            readout_format=".2f", layout=widgets.Layout(width="420px" if self.presenter else "320px")))


class NeuronExplorer(_Sliders):
    r"""One neuron, :math:`a = g(z)` with :math:`z = w x + b`; sliders for w, b and x.

    Parameters
    ----------
    w, b, x : float
        Initial weight, bias and input (sliders span [-5, 5]).
    activation : str
        A hidden activation of :data:`backprop_course.activations.ACTIVATIONS`.
    presenter : bool
    hide : iterable of {"w", "b", "x", "activation"}
    """

    def __init__(self, w=1.0, b=0.0, x=1.0, activation="sigmoid", presenter=False, hide=()):
        _checks.check_choice("activation", activation, HIDDEN_ACTIVATIONS)
        super().__init__(presenter)
        self.w = self._slider("w", "w", w, -5, 5)
        self.b = self._slider("b", "b", b, -5, 5)
        self.x = self._slider("x", "x", x, -5, 5)
        self.activation = self._control("activation", widgets.Dropdown(
            options=list(HIDDEN_ACTIVATIONS), value=activation, description="g"))
        self.readout = self._text()
        self.image = widgets.Image(format="png")
        for control in (self.w, self.b, self.x):
            control.observe(lambda change: self._update(), names="value")
        self.activation.observe(lambda change: self._plot(), names="value")
        with presenter_style(self.presenter):
            ax = self._ax = new_figure(width=9 if self.presenter else 6.4, height=5 if self.presenter else 3.6,
                                       presenter=self.presenter).add_subplot()
            plot_activation(activation, ax=ax, mark=self.values()[0], presenter=self.presenter)
            ax.set_title(" ")
        self._curves = ax.lines[:2]                                       # g and g'
        self._marks = [line for line in ax.lines if str(line.get_gid()).startswith("bpc-mark")]
        self._view = self._live(ax.figure, lambda: [*self._marks, self._ax.title])
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

    def _plot(self):
        """Show g and g' of the chosen activation (the still part), then the point."""
        fn = ACTIVATIONS[self.activation.value]
        z = np.linspace(*fn.z_range, 401)
        for line, values, symbol in zip(self._curves, (fn.g(z), fn.g_prime(z)), ("", "'"), strict=True):
            line.set_data(z, values)
            line.set_label(f"${fn.latex}{symbol}(z)$")
        self._ax.legend(loc="upper left", frameon=False)
        self._ax.relim()
        self._ax.autoscale_view()
        self._update()

    def _update(self):
        z, a, g_prime = self.values()
        self.readout.value = (rf"$$z = w\,x + b = {self.w.value:.2f} \cdot {self.x.value:.2f} + {self.b.value:.2f}"
                              rf" = {z:.3f}$$ $$a = g(z) = {a:.3f}$$ $$g'(z) = {g_prime:.3f}$$")
        update_activation_mark(self._ax, self.activation.value, z)
        self._ax.title.set_text(f"z = {z:.2f}:  g(z) = {a:.3f},  g'(z) = {g_prime:.3f}")
        self._show_png(self.image, self._view, scene=self.activation.value)


def _edge_options(Theta):
    return [(f"Theta[{l}][{i}, {j}]" + (" (bias)" if j == 0 else ""), (l, i, j))
            for l in sorted(Theta) for i in range(Theta[l].shape[0]) for j in range(Theta[l].shape[1])]


class ForwardExplorer(_Sliders):
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

    def __init__(self, Theta, x, activation="sigmoid", output="sigmoid", presenter=False, hide=()):
        _checks.check_model(activation, output)
        self.Theta = {l: T.copy() for l, T in _checks.check_theta(Theta).items()}
        x = np.asarray(x, dtype=float).reshape(-1, 1)
        _checks.check_X(x, self.Theta)
        super().__init__(presenter)
        self.activation_name, self.output_name = activation, output
        self.sizes = layer_sizes(self.Theta)
        self.x_sliders = [widgets.FloatSlider(value=float(x[k, 0]), min=-3, max=3, step=0.05, description=f"x{k + 1}",
                                              readout_format=".2f",
                                              layout=widgets.Layout(width="420px" if self.presenter else "320px"))
                          for k in range(x.shape[0])]
        self.inputs = self._control("inputs", widgets.VBox(self.x_sliders))
        self.weight = self._control("weight", widgets.Dropdown(options=_edge_options(self.Theta),
                                                               description="weight"))
        self.value = self._slider("value", "value", 0.0, -3, 3)
        self._show_weight()
        self.readout = self._text()
        self.image = widgets.Image(format="png")
        for s in self.x_sliders:
            s.observe(lambda change: self._update(), names="value")
        self.weight.observe(lambda change: self._select(), names="value")
        self.value.observe(self._edit, names="value")
        with presenter_style(self.presenter):
            self.picture = NetworkPicture(network_figure(self.sizes, self.presenter), self.sizes,
                                          presenter=self.presenter)
        self._view = self._live(self.picture.ax.figure, self.picture.dynamic, dpi=80)
        self._finish([widgets.HBox([self.inputs, widgets.VBox([self.weight, self.value])]), self.image,
                      self.readout], hide)
        self._update()

    def x(self):
        return np.array([[s.value] for s in self.x_sliders])

    def _show_weight(self):
        """Show the chosen weight's value on the slider. The range first widens to hold both the old and
        the new value, so no value is ever clamped (and so written into Theta) on the way."""
        l, i, j = self.weight.value
        v = float(self.Theta[l][i, j])
        self.value.min, self.value.max = min(self.value.min, v), max(self.value.max, v)
        self.value.value = v
        self.value.min, self.value.max = min(-3.0, v), max(3.0, v)

    def _select(self):
        before = self.value.value
        self._show_weight()
        if self.value.value == before:            # otherwise the value's callback has redrawn already
            self._update()

    def _edit(self, change):
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
        l, i, j = self.weight.value
        self.picture.restyle(self.Theta, node_values=text, edge_labels=True, highlight_edges=[(l, i, j)], fade=False,
                             highlight_nodes=[(l + 1, i + 1)])
        self._show_png(self.image, self._view)
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
        """Restore a :meth:`state` dict (any subset of its keys)."""
        self._known_keys(state)
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
        self._show_weight()
        self._update()


def _vec(v):
    return r"\begin{bmatrix} " + r" \\ ".join(f"{x:.3f}" for x in v) + r" \end{bmatrix}"


class CostExplorer(_Sliders):
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

    def __init__(self, Theta, X, Y, lambda_=0.0, weight=(1, 0, 1), span=4.0, activation="sigmoid",
                 output="sigmoid", loss="cross_entropy", presenter=False, hide=()):
        self.Theta = {l: T.copy() for l, T in _checks.check_theta(Theta).items()}
        cost(self.Theta, X, Y, lambda_, activation, output, loss)           # checks every argument
        super().__init__(presenter)
        self.X, self.Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
        self.model = dict(activation=activation, output=output, loss=loss)
        self.span = float(span)
        self._curves = {}
        self.weight = self._control("weight", widgets.Dropdown(options=_edge_options(self.Theta), value=tuple(weight),
                                                               description="weight"))
        l, i, j = self.weight.value
        self.value = self._slider("value", "value", float(self.Theta[l][i, j]), -self.span, self.span)
        self.lambda_ = self._slider("lambda_", "λ", float(lambda_), 0.0, 10.0, step=0.1)
        self.readout = self._text()
        self.image = widgets.Image(format="png")
        self.weight.observe(self._select, names="value")
        self.value.observe(lambda change: self._update(), names="value")
        self.lambda_.observe(lambda change: self._plot(), names="value")
        with presenter_style(self.presenter):
            ax = self._ax = new_figure(width=9 if self.presenter else 6.4, height=5 if self.presenter else 3.8,
                                       presenter=self.presenter).add_subplot()
            plot_curve(*self.curve(0.0), ax=ax, label=r"$\lambda = 0$", presenter=self.presenter, color="#999999")
            plot_curve(*self.curve(), ax=ax, mark=self.value.value, label=" ", ylabel=r"$J(\Theta)$",
                       presenter=self.presenter)
        self._lines = ax.lines[0], next(line for line in ax.lines[1:] if line.get_gid() != "bpc-mark")
        self._mark = next(line for line in ax.lines if line.get_gid() == "bpc-mark")
        self._view = self._live(ax.figure, lambda: [self._mark])
        self._finish([widgets.HBox([widgets.VBox([self.weight, self.value, self.lambda_]), self.readout]),
                      self.image], hide)
        self._plot()

    def _select(self, change):
        l, i, j = change["new"]
        self.value.value = float(np.clip(self.Theta[l][i, j], -self.span, self.span))
        self._plot()

    def J(self, w=None, lambda_=None):
        """The library's cost with the chosen weight set to w (default: the slider) and lambda_."""
        l, i, j = self.weight.value
        Theta = {k: T.copy() for k, T in self.Theta.items()}
        Theta[l][i, j] = self.value.value if w is None else w
        return cost(Theta, self.X, self.Y, self.lambda_.value if lambda_ is None else lambda_, **self.model)

    def curve(self, lambda_=None, points=121):
        """(w values, J values) over [-span, span] for the chosen weight (computed once per weight and lambda)."""
        lambda_ = self.lambda_.value if lambda_ is None else lambda_
        key = (self.weight.value, float(lambda_), points)
        if key not in self._curves:
            ws = np.linspace(-self.span, self.span, points)
            self._curves[key] = ws, np.array([self.J(w, lambda_) for w in ws])
        return self._curves[key]

    def _plot(self):
        """Show the two curves for the chosen weight and lambda (the still part), then the point."""
        l, i, j = self.weight.value
        ax = self._ax
        for line, lambda_ in zip(self._lines, (0.0, None), strict=True):
            line.set_data(*self.curve(lambda_))
        self._lines[1].set_label(rf"$\lambda = {self.lambda_.value:.1f}$")
        symbol = rf"\Theta^{{({l})}}_{{{i + 1}{j}}}"
        ax.set_xlabel(f"${symbol}$" + (" (bias: never penalized)" if j == 0 else ""))
        ax.legend(frameon=False)
        ax.relim()
        ax.autoscale_view()
        self._update()

    def _update(self):
        l, i, j = self.weight.value
        J_now, J_data = self.J(), self.J(lambda_=0.0)
        symbol = rf"\Theta^{{({l})}}_{{{i + 1}{j}}}"
        self.readout.value = (rf"$${symbol} = {self.value.value:.2f},\quad \lambda = {self.lambda_.value:.1f}$$"
                              rf"$$J = {J_now:.4f}\quad(\text{{data part }} {J_data:.4f},"
                              rf"\ \text{{penalty }} {J_now - J_data:.4f})$$")
        update_curve_mark(self._ax, *self.curve(), self.value.value)
        self._show_png(self.image, self._view, scene=(self.weight.value, self.lambda_.value))

    def state(self):
        return {"weight": list(self.weight.value), "value": self.value.value, "lambda_": self.lambda_.value}

    def set_state(self, state):
        """Restore a :meth:`state` dict (any subset of its keys)."""
        self._known_keys(state)
        if "weight" in state:
            self.weight.value = tuple(state["weight"])
        if "lambda_" in state:
            self.lambda_.value = float(state["lambda_"])
        if "value" in state:
            self.value.value = float(state["value"])
