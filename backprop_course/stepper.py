r"""The steps of forward and backward propagation, one equation at a time, with their numbers.

This module is the logic behind the step-through widget (``backprop_course.widgets.StepThrough``)
and the printed walk-throughs of ``notebooks/05_backprop_one_example.ipynb`` and
``notebooks/06_m_examples_regularization.ipynb``. It is numpy only and holds no math of its own:
every number comes from a call into the core library.

- z(l) and a(l) come from :func:`backprop_course.network.forward`;
- g'(z(l)) comes from the activation's derivative in :mod:`backprop_course.activations`;
- the errors d(l) come from :func:`backprop_course.network.backprop_loop` run on the one example
  t with lambda = 0: for m = 1 it returns :math:`D^{(l)} = d^{(l+1)} a^{(l)\top}`, and because
  the bias unit :math:`a^{(l)}_0 = 1`, column 0 of that matrix is :math:`d^{(l+1)}` itself, while the
  whole matrix is the increment that (BP3) adds to :math:`\Delta^{(l)}`;
- D comes from :func:`~backprop_course.network.backprop_loop` over all m examples and the updated
  Theta from :func:`backprop_course.training.gradient_descent_step`.

So if the library is wrong, the steps show it; the tests check the steps against the equations
independently.

Nodes and edges
---------------
A node is ``(l, j)``: unit j of layer l, with j = 0 the bias unit (layers l < L only) and
j = 1 .. s_l the ordinary units. An edge is ``(l, i, j)``: the weight ``Theta[l][i, j]``, from
node ``(l, j)`` to node ``(l + 1, i + 1)``. :func:`backprop_course.plotting.network.draw_network`
uses the same keys.

>>> import numpy as np, backprop_course as bp
>>> from backprop_course.stepper import build_steps
>>> Theta = {1: np.array([[0.1, 0.3, -0.2], [-0.3, 0.2, 0.4]]), 2: np.array([[0.2, -0.5, 0.6]])}
>>> steps = build_steps(Theta, np.array([[1.0], [0.5]]), np.array([[1.0]]))
>>> [s.label for s in steps]
['BP0', 'F1', 'F2', 'F3', 'F2', 'F4', 'BP1', 'BP2', 'BP3', 'BP3', 'BP4', 'BP4', 'GD', 'GD']
"""

from dataclasses import dataclass, field

import numpy as np

from . import _checks
from .activations import ACTIVATIONS
from .equations import EQUATIONS
from .network import backprop_loop, forward, layer_sizes
from .training import gradient_descent_step

__all__ = ["Step", "build_steps", "format_matrix", "latex_matrix", "PHASES", "GraphStep", "chain_rule_steps",
           "GRAPH_NODES", "GRAPH_EDGES"]

# The phases in the order they happen; a caller may ask for a subset (e.g. forward only).
PHASES = ("forward", "backward", "gradient", "update")

_OUTPUT_NAME = {"sigmoid": r"g", "softmax": r"\operatorname{softmax}", "identity": r"\operatorname{id}"}
_ACTIVATION_NAME = {"sigmoid": "g", "tanh": r"\tanh", "relu": r"\operatorname{relu}", "identity": r"\operatorname{id}"}


@dataclass
class Step:
    """One step of the walk-through: one equation applied once, with its numbers.

    Attributes
    ----------
    index : int
        Position in the list, 0-based.
    phase : {"forward", "backward", "gradient", "update"}
    label : str
        The equation's label in :data:`backprop_course.equations.EQUATIONS` (e.g. ``"BP2"``).
    title : str
        A short plain-text description, e.g. ``"example t = 2: error of layer 2"``.
    equation : str
        The general equation in LaTeX, ``EQUATIONS[label]``.
    instance : str
        The equation with this step's layer number filled in, in LaTeX (e.g. ``z^{(2)} = ...``).
    t : int or None
        The example (1-based, as in the seed) this step works on; None for steps over all examples.
    l : int or None
        The layer number the equation is applied at (the ``l`` of the general equation).
    inputs, outputs : dict {LaTeX symbol: ndarray}
        The values going in and coming out, as 2-D arrays (columns are single examples).
    active_nodes : list of (l, j)
    active_edges : list of (l, i, j)
    node_text : dict {(l, j): str}
        What the diagram writes at each node at this moment (values known so far for example t).
    edge_values : dict {l: ndarray like Theta[l]} or None
        What the diagram colors the edges by (Theta during propagation, D and the new Theta at the end).
    """

    index: int
    phase: str
    label: str
    title: str
    equation: str
    instance: str
    t: int | None
    l: int | None
    inputs: dict = field(default_factory=dict)
    outputs: dict = field(default_factory=dict)
    active_nodes: list = field(default_factory=list)
    active_edges: list = field(default_factory=list)
    node_text: dict = field(default_factory=dict)
    edge_values: dict | None = None

    def describe(self, decimals=4):
        """Plain text of this step at fixed precision (stable, so nbval can compare it)."""
        where = f"t = {self.t}" if self.t is not None else "all examples"
        lines = [f"step {self.index}: ({self.label}) {self.title} [{where}]"]
        for kind, values in (("in ", self.inputs), ("out", self.outputs)):
            for symbol, value in values.items():
                lines.append(f"  {kind} {_plain_symbol(symbol)} = {format_matrix(value, decimals)}")
        return "\n".join(lines)

    def numbers_latex(self, decimals=3):
        """The inputs and the outputs as two lists of LaTeX strings ``symbol = [...]``, one per symbol."""
        return tuple([f"{s} = {latex_matrix(v, decimals)}" for s, v in values.items()]
                     for values in (self.inputs, self.outputs))


def _plain_symbol(symbol):
    """A LaTeX symbol such as ``\\Theta^{(1)}`` in plain text, ``Theta(1)``."""
    text = symbol.replace(r"_{\text{before}}", "_before").replace(r"_{\text{new}}", "_new")
    text = text.replace(r"\Theta", "Theta").replace(r"\Delta", "Delta").replace(r"\alpha", "alpha")
    text = text.replace(r"\lambda", "lambda").replace(r"\odot", ".*").replace(r"\top", "'")
    for a, b in (("^{(", "("), (")}", ")"), ("{", ""), ("}", ""), ("\\", ""), (" ", "")):
        text = text.replace(a, b)
    return text


def format_matrix(value, decimals=4):
    """A 2-D array as fixed-precision text, rows separated by ``;`` (``[0.1000 -0.2000; ...]``)."""
    arr = np.atleast_2d(np.asarray(value))
    if arr.size == 1:
        return _number(arr.item(), decimals)
    rows = ["  ".join(_number(v, decimals) for v in row) for row in arr]
    return "[" + "; ".join(rows) + "]"


def _number(v, decimals):
    """Whole numbers (m) as integers, everything else at fixed precision; never "-0.000"."""
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    text = f"{float(v):.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def latex_matrix(value, decimals=3):
    """A 2-D array (or a number) as a LaTeX ``bmatrix`` at fixed precision."""
    arr = np.asarray(value)
    if arr.size == 1:
        return _number(arr.item(), decimals)
    arr = np.atleast_2d(arr)
    body = r" \\ ".join(" & ".join(_number(v, decimals) for v in row) for row in arr)
    return r"\begin{bmatrix} " + body + r" \end{bmatrix}"


def _check_inputs(Theta, X, Y, activation, output, loss, lambda_, alpha):
    _checks.check_model(activation, output, loss)
    Theta = _checks.check_theta(Theta)
    X = _checks.check_X(X, Theta)
    if Y is not None:
        Y = _checks.check_Y(Y, Theta, X.shape[1], output, loss)
    lambda_ = _checks.check_lambda(lambda_)
    alpha = _checks.check_alpha(alpha)
    return Theta, X, Y, lambda_, alpha


def build_steps(Theta, X, Y=None, lambda_=0.0, alpha=1.0, activation="sigmoid", output="sigmoid",
                loss="cross_entropy", phases=PHASES, detail="full", decimals=2):
    r"""The ordered steps of the seed's algorithm for a small network and a few examples.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}, l = 1 .. L-1
    X : ndarray, shape (n, m)
        The examples, one per column; keep m small (the steps grow like m L).
    Y : ndarray of shape (K, m), or None
        The targets; None is allowed when ``phases`` is ``("forward",)``.
    lambda_ : float >= 0
        Regularization strength used for D (BP4).
    alpha : float > 0
        Learning rate of the final update (GD).
    activation, output, loss : str
        As in :func:`backprop_course.network.backprop_loop`.
    phases : tuple of str, subset of :data:`PHASES`
        ``("forward",)`` gives forward propagation only (notebook 02); the default gives all.
    detail : {"full", "example"}
        ``"full"``: one step per equation and layer. ``"example"``: one (BP3) step per example t that
        shows every Delta(l) after adding example t (notebook 06, watching the sums grow).
    decimals : int
        Precision of the numbers written on the diagram's nodes.

    Returns
    -------
    list of :class:`Step`
        In the order the algorithm performs them: (BP0); for t = 1 .. m the forward pass (F1-F4),
        the errors (BP1, BP2 for l = L-1 .. 2) and the accumulation (BP3 for l = L-1 .. 1);
        then D(l) (BP4 with BP5) and the update Theta(l) - alpha D(l) (GD).
    """
    phases = tuple(phases)
    for p in phases:
        _checks.check_choice("phases entry", p, PHASES)
    _checks.check_choice("detail", detail, ("full", "example"))
    if Y is None and phases != ("forward",):
        raise ValueError("Y is None, but backward steps need targets: pass Y of shape (K, m), "
                         "or phases=('forward',) to step through forward propagation only.")
    Theta, X, Y, lambda_, alpha = _check_inputs(Theta, X, Y, activation, output, loss, lambda_, alpha)
    s = layer_sizes(Theta)
    L = len(s)
    m = X.shape[1]
    g_prime = ACTIVATIONS[activation].g_prime
    g_name = _ACTIVATION_NAME[activation]
    h_name = _OUTPUT_NAME[output]
    backward = "backward" in phases
    steps = []
    fmt = f"{{:.{decimals}f}}"

    def add(**kwargs):
        steps.append(Step(index=len(steps), **kwargs))

    Delta = {l: np.zeros_like(Theta[l]) for l in range(1, L)}
    if backward:
        add(phase="backward", label="BP0", title="set every Delta(l) to zero", equation=EQUATIONS["BP0"],
            instance=EQUATIONS["BP0"].replace("L-1", str(L - 1)), t=None, l=None,
            outputs={rf"\Delta^{{({l})}}": Delta[l].copy() for l in range(1, L)},
            edge_values=dict(Theta))

    for t in range(1, m + 1):
        x = X[:, [t - 1]]
        a, z = forward(Theta, x, activation, output)
        known = {}                                                       # node -> {symbol: value}

        def note(l, name, values, known=known):
            """Record the values of `name` (a, z or d) for layer l's units, bias unit included for a."""
            col = np.asarray(values).ravel()
            has_bias = name == "a" and l < L
            for row, v in enumerate(col):
                unit = row if has_bias else row + 1
                known.setdefault((l, unit), {})[name] = "1" if (has_bias and row == 0) else fmt.format(v)

        def text(known=known):
            return {node: "\n".join(f"{n}={v}" for n, v in sorted(vals.items(), key=lambda kv: "zad".index(kv[0])))
                    for node, vals in known.items()}

        if "forward" in phases and detail == "full":
            note(1, "a", a[1])
            add(phase="forward", label="F1", title=f"example t = {t}: input layer with the bias unit",
                equation=EQUATIONS["F1"], instance=rf"a^{{(1)}} = \begin{{bmatrix}} 1 \\ x^{{({t})}} \end{{bmatrix}}",
                t=t, l=1, inputs={rf"x^{{({t})}}": x}, outputs={r"a^{(1)}": a[1]},
                active_nodes=[(1, j) for j in range(s[0] + 1)], node_text=text(), edge_values=dict(Theta))
            for l in range(1, L):
                note(l + 1, "z", z[l + 1])
                add(phase="forward", label="F2", title=f"example t = {t}: weighted inputs of layer {l + 1}",
                    equation=EQUATIONS["F2"], instance=rf"z^{{({l + 1})}} = \Theta^{{({l})}}\, a^{{({l})}}",
                    t=t, l=l, inputs={rf"\Theta^{{({l})}}": Theta[l], rf"a^{{({l})}}": a[l]},
                    outputs={rf"z^{{({l + 1})}}": z[l + 1]},
                    active_nodes=[(l + 1, i) for i in range(1, s[l] + 1)],
                    active_edges=[(l, i, j) for i in range(s[l]) for j in range(s[l - 1] + 1)],
                    node_text=text(), edge_values=dict(Theta))
                if l + 1 < L:
                    note(l + 1, "a", a[l + 1])
                    add(phase="forward", label="F3", title=f"example t = {t}: activations of layer {l + 1}",
                        equation=EQUATIONS["F3"],
                        instance=rf"a^{{({l + 1})}} = \begin{{bmatrix}} 1 \\ {g_name}\bigl(z^{{({l + 1})}}\bigr)"
                                 r" \end{bmatrix}",
                        t=t, l=l, inputs={rf"z^{{({l + 1})}}": z[l + 1]}, outputs={rf"a^{{({l + 1})}}": a[l + 1]},
                        active_nodes=[(l + 1, i) for i in range(s[l] + 1)], node_text=text(),
                        edge_values=dict(Theta))
                else:
                    note(L, "a", a[L])
                    add(phase="forward", label="F4", title=f"example t = {t}: the output",
                        equation=EQUATIONS["F4"], instance=rf"a^{{({L})}} = {h_name}\bigl(z^{{({L})}}\bigr)",
                        t=t, l=L, inputs={rf"z^{{({L})}}": z[L]}, outputs={rf"a^{{({L})}}": a[L]},
                        active_nodes=[(L, i) for i in range(1, s[L - 1] + 1)], node_text=text(),
                        edge_values=dict(Theta))
        else:
            for l in range(1, L + 1):
                if l > 1:
                    note(l, "z", z[l])
                note(l, "a", a[l])

        if not backward:
            continue
        y = Y[:, [t - 1]]
        # For one example and lambda = 0 the library's D(l) is the (BP3) increment d(l+1) a(l)', and
        # column 0 (it multiplies the bias unit a(l)_0 = 1) is d(l+1) itself.
        increment = backprop_loop(Theta, x, y, 0.0, activation, output, loss)
        d = {l + 1: increment[l][:, [0]] for l in range(1, L)}
        if detail == "full":
            note(L, "d", d[L])
            if output == "sigmoid" and loss == "mse":
                bp1 = rf"d^{{({L})}} = \bigl(a^{{({L})}} - y^{{({t})}}\bigr) \odot g'\bigl(z^{{({L})}}\bigr)"
            else:
                bp1 = rf"d^{{({L})}} = a^{{({L})}} - y^{{({t})}}"
            add(phase="backward", label="BP1", title=f"example t = {t}: error of the output layer",
                equation=EQUATIONS["BP1"], instance=bp1, t=t, l=L,
                inputs={rf"a^{{({L})}}": a[L], rf"y^{{({t})}}": y}, outputs={rf"d^{{({L})}}": d[L]},
                active_nodes=[(L, i) for i in range(1, s[L - 1] + 1)], node_text=text(),
                edge_values=dict(Theta))
            for l in range(L - 1, 1, -1):
                note(l, "d", d[l])
                add(phase="backward", label="BP2", title=f"example t = {t}: error of layer {l}",
                    equation=EQUATIONS["BP2"],
                    instance=(rf"d^{{({l})}} = \Bigl[\bigl(\Theta^{{({l})}}\bigr)^{{\top}} d^{{({l + 1})}}"
                              rf"\Bigr]_{{\text{{drop row 0}}}} \odot {g_name}'\bigl(z^{{({l})}}\bigr)"),
                    t=t, l=l,
                    inputs={rf"\Theta^{{({l})}}": Theta[l], rf"d^{{({l + 1})}}": d[l + 1],
                            rf"{g_name}'(z^{{({l})}})": np.asarray(g_prime(z[l]))},
                    outputs={rf"d^{{({l})}}": d[l]},
                    active_nodes=[(l, i) for i in range(1, s[l - 1] + 1)],
                    active_edges=[(l, i, j) for i in range(s[l]) for j in range(1, s[l - 1] + 1)],
                    node_text=text(), edge_values=dict(Theta))
        before = {l: Delta[l].copy() for l in Delta}
        for l in range(1, L):
            Delta[l] = Delta[l] + increment[l]                           # (BP3): the sum over t
        if detail == "full":
            for l in range(L - 1, 0, -1):
                add(phase="backward", label="BP3", title=f"example t = {t}: add this example's share to Delta({l})",
                    equation=EQUATIONS["BP3"],
                    instance=(rf"\Delta^{{({l})}} := \Delta^{{({l})}} + d^{{({l + 1})}}"
                              rf" \bigl(a^{{({l})}}\bigr)^{{\top}}"),
                    t=t, l=l,
                    inputs={rf"\Delta^{{({l})}}_{{\text{{before}}}}": before[l], rf"d^{{({l + 1})}}": d[l + 1],
                            rf"a^{{({l})}}": a[l]},
                    outputs={rf"\Delta^{{({l})}}": Delta[l].copy()},
                    active_nodes=[(l, j) for j in range(s[l - 1] + 1)] + [(l + 1, i) for i in range(1, s[l] + 1)],
                    active_edges=[(l, i, j) for i in range(s[l]) for j in range(s[l - 1] + 1)],
                    node_text=text(), edge_values={k: Delta[k].copy() for k in Delta})
        else:
            for l in range(L, 1, -1):
                note(l, "d", d[l])
            add(phase="backward", label="BP3", title=f"example t = {t}: add d(l+1) a(l)' to every Delta(l)",
                equation=EQUATIONS["BP3"],
                instance=(r"\Delta^{(l)} := \Delta^{(l)} + d^{(l+1)} \bigl(a^{(l)}\bigr)^{\top}"
                          rf"\quad l = {', '.join(str(l) for l in range(1, L))};\ t = {t}"),
                t=t, l=None,
                inputs={**{rf"d^{{({l})}}": d[l] for l in range(2, L + 1)},
                        **{rf"a^{{({l})}}": a[l] for l in range(1, L)}},
                outputs={rf"\Delta^{{({l})}}": Delta[l].copy() for l in range(1, L)},
                active_edges=[(l, i, j) for l in range(1, L) for i in range(s[l]) for j in range(s[l - 1] + 1)],
                node_text=text(), edge_values={k: Delta[k].copy() for k in Delta})

    if not backward:
        return steps
    D = backprop_loop(Theta, X, Y, lambda_, activation, output, loss)
    if "gradient" in phases:
        for l in range(1, L):
            add(phase="gradient", label="BP4", title=f"the gradient D({l}), averaged over m = {m}",
                equation=EQUATIONS["BP4"] + r",\qquad " + EQUATIONS["BP5"],
                instance=(rf"D^{{({l})}} = \tfrac{{1}}{{{m}}}\bigl(\Delta^{{({l})}} + {lambda_:g}\,"
                          rf"\Theta^{{({l})}}\bigr)\ \text{{for }} j \ge 1,\quad"
                          rf" D^{{({l})}}_{{i0}} = \tfrac{{1}}{{{m}}}\Delta^{{({l})}}_{{i0}}"),
                t=None, l=l,
                inputs={rf"\Delta^{{({l})}}": Delta[l].copy(), rf"\Theta^{{({l})}}": Theta[l],
                        r"\lambda": np.array([[lambda_]]), "m": np.array([[m]], dtype=np.int64)},
                outputs={rf"D^{{({l})}}": D[l]},
                active_edges=[(l, i, j) for i in range(s[l]) for j in range(s[l - 1] + 1)],
                edge_values=dict(D))
    if "update" in phases:
        new_Theta = gradient_descent_step(Theta, D, alpha)
        for l in range(1, L):
            add(phase="update", label="GD", title=f"one gradient-descent step on Theta({l}) with alpha = {alpha:g}",
                equation=EQUATIONS["GD"],
                instance=rf"\Theta^{{({l})}} := \Theta^{{({l})}} - {alpha:g}\, D^{{({l})}}",
                t=None, l=l,
                inputs={rf"\Theta^{{({l})}}": Theta[l], rf"D^{{({l})}}": D[l], r"\alpha": np.array([[alpha]])},
                outputs={rf"\Theta^{{({l})}}_{{\text{{new}}}}": new_Theta[l]},
                active_edges=[(l, i, j) for i in range(s[l]) for j in range(s[l - 1] + 1)],
                edge_values=dict(new_Theta))
    return steps


# -- the chain rule on a scalar graph (notebook 04) ------------------------------------------------

# One sigmoid neuron with the cross-entropy cost, written as a graph of elementary operations.
# node: (label, x position, y position); the drawing in plotting.network.draw_scalar_graph uses these.
GRAPH_NODES = {
    "x": ("x", 0.0, 1.0), "w": ("w", 0.0, 0.0), "b": ("b", 1.5, -1.0),
    "u": ("u = w x", 1.5, 0.5), "z": ("z = u + b", 3.0, 0.0), "a": ("a = g(z)", 4.5, 0.0),
    "J": ("J(a, y)", 6.0, 0.0),
}
GRAPH_EDGES = [("x", "u"), ("w", "u"), ("u", "z"), ("b", "z"), ("z", "a"), ("a", "J")]


@dataclass
class GraphStep:
    """One step on the scalar graph: a forward value or a backward gradient of one node.

    Attributes
    ----------
    index : int
    phase : {"forward", "backward"}
    node : str
        The node computed at this step (a key of :data:`GRAPH_NODES`).
    latex : str
        The rule applied, e.g. ``\\frac{\\partial J}{\\partial z} = \\frac{\\partial J}{\\partial a}\\, g'(z)``.
    value : float
        The value (forward) or the gradient dJ/dnode (backward) it produces.
    values : dict {node: float}
        Every forward value known after this step.
    grads : dict {node: float}
        Every gradient dJ/dnode known after this step.
    edge : tuple (from, to) or None
        The edge along which this step's number travels.
    """

    index: int
    phase: str
    node: str
    latex: str
    value: float
    values: dict
    grads: dict
    edge: tuple | None


def chain_rule_steps(w, b, x, y):
    r"""Forward values then backward gradients on the graph of one sigmoid neuron with cross-entropy.

    Parameters
    ----------
    w, b, x : float
        Weight, bias and input: :math:`u = w x`, :math:`z = u + b`, :math:`a = g(z)`.
    y : float in [0, 1]
        The target; :math:`J = -[y \log a + (1 - y)\log(1 - a)]`.

    Returns
    -------
    list of :class:`GraphStep`
        Four forward steps (u, z, a, J), then seven backward steps from dJ/dJ = 1 to dJ/dw and dJ/dx.
        Each backward step multiplies the gradient arriving from above by one local derivative: the
        chain rule. The product for w collapses to :math:`(a - y)\,x`, the seed's d(L) times the input.

    Notes
    -----
    The forward values use the library's :func:`~backprop_course.activations.sigmoid` and
    :func:`~backprop_course.network.cost`; the local derivatives are the textbook ones and are
    checked against :func:`~backprop_course.gradient_check.numerical_gradient` in the tests and in
    ``notebooks/04_chain_rule.ipynb``.
    """
    from .activations import sigmoid, sigmoid_gradient
    from .network import cost

    w = _checks.check_number("w", w)
    b = _checks.check_number("b", b)
    x = _checks.check_number("x", x)
    y = _checks.check_number("y", y, low=0.0, high=1.0, hint="The target of a sigmoid neuron is in [0, 1].")
    values, grads, steps = {"x": x, "w": w, "b": b}, {}, []

    def add(phase, node, latex, value, edge):
        (values if phase == "forward" else grads)[node] = value
        steps.append(GraphStep(len(steps), phase, node, latex, float(value), dict(values), dict(grads), edge))

    u = w * x + 0.0                                        # + 0.0 turns -0.0 into 0.0 for display
    add("forward", "u", rf"u = w\,x = {w:.3f} \times {x:.3f} = {u:.4f}", u, ("w", "u"))
    z = u + b
    add("forward", "z", rf"z = u + b = {u:.4f} + {b:.3f} = {z:.4f}", z, ("u", "z"))
    a = float(sigmoid(z))
    add("forward", "a", rf"a = g(z) = \frac{{1}}{{1 + e^{{-z}}}} = {a:.4f}", a, ("z", "a"))
    J = cost({1: np.array([[b, w]])}, np.array([[x]]), np.array([[y]]))
    add("forward", "J", rf"J = -\bigl[y \log a + (1 - y)\log(1 - a)\bigr] = {J:.4f}", J, ("a", "J"))

    add("backward", "J", r"\frac{\partial J}{\partial J} = 1", 1.0, None)
    dJ_da = -y / a + (1 - y) / (1 - a)                     # local derivative of the cross-entropy
    add("backward", "a", rf"\frac{{\partial J}}{{\partial a}} = -\frac{{y}}{{a}} + \frac{{1 - y}}{{1 - a}}"
        rf" = {dJ_da:.4f}", dJ_da, ("J", "a"))
    g_prime = float(sigmoid_gradient(z))
    dJ_dz = dJ_da * g_prime
    add("backward", "z", rf"\frac{{\partial J}}{{\partial z}} = \frac{{\partial J}}{{\partial a}}\, g'(z)"
        rf" = {dJ_da:.4f} \times {g_prime:.4f} = {dJ_dz:.4f}", dJ_dz, ("a", "z"))
    add("backward", "b", rf"\frac{{\partial J}}{{\partial b}} = \frac{{\partial J}}{{\partial z}} \cdot 1"
        rf" = {dJ_dz:.4f}", dJ_dz, ("z", "b"))
    add("backward", "u", rf"\frac{{\partial J}}{{\partial u}} = \frac{{\partial J}}{{\partial z}} \cdot 1"
        rf" = {dJ_dz:.4f}", dJ_dz, ("z", "u"))
    dJ_dw = dJ_dz * x + 0.0
    add("backward", "w", rf"\frac{{\partial J}}{{\partial w}} = \frac{{\partial J}}{{\partial u}}\, x"
        rf" = {dJ_dz:.4f} \times {x:.3f} = {dJ_dw:.4f}", dJ_dw, ("u", "w"))
    dJ_dx = dJ_dz * w + 0.0
    add("backward", "x", rf"\frac{{\partial J}}{{\partial x}} = \frac{{\partial J}}{{\partial u}}\, w"
        rf" = {dJ_dz:.4f} \times {w:.3f} = {dJ_dx:.4f}", dJ_dx, ("u", "x"))
    return steps
