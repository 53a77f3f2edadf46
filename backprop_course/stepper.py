r"""The steps of forward and backward propagation, one equation at a time, with their numbers.

This module is the logic behind the step-through widget (``backprop_course.widgets.StepThrough``)
and the printed walk-throughs of ``notebooks/05_backprop_one_example.ipynb`` and
``notebooks/06_m_examples_regularization.ipynb``. It is numpy only and holds no math of its own:
every number comes from a call into the core library.

- z(l) and a(l) come from :func:`backprop_course.network.forward`;
- g'(z(l)) and the symbol of g come from the activation's entry in
  :data:`backprop_course.activations.ACTIVATIONS`;
- the errors d(l) come from :func:`backprop_course.network.deltas` on the one example t;
- the increment that (BP3) adds to :math:`\Delta^{(l)}` is :func:`backprop_course.network.backprop` on
  the one example t with lambda = 0: for m = 1 it returns :math:`D^{(l)} = d^{(l+1)} a^{(l)\top}`;
- D comes from :func:`~backprop_course.network.backprop` over all m examples and the updated
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
['BP0', 'F1', 'F2', 'F3', 'F2', 'F4', 'BP1', 'BP2', 'BP3', 'BP3', 'BP4, BP5', 'BP4, BP5', 'GD', 'GD']
"""

from dataclasses import dataclass, field

import numpy as np

from . import _checks
from .activations import ACTIVATIONS
from .equations import EQUATIONS
from .network import backprop, deltas, forward, layer_sizes
from .training import gradient_descent_step

__all__ = ["Step", "build_steps", "format_matrix", "latex_matrix", "PHASES"]

# The phases in the order they happen; a caller may ask for a subset (e.g. forward only).
PHASES = ("forward", "backward", "gradient", "update")


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
        The example (1-based, as in the article) this step works on; None for steps over all examples.
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


def build_steps(Theta, X, Y=None, lambda_=0.0, alpha=1.0, activation="sigmoid", output="sigmoid",
                loss="cross_entropy", phases=PHASES, detail="full", decimals=2):
    r"""The ordered steps of the backpropagation algorithm for a small network and a few examples.

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
        As in :func:`backprop_course.network.backprop`.
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
    if Y is None:
        _checks.check_model(activation, output, loss)
        Theta = _checks.check_output_units(_checks.check_theta(Theta), output)
        X = _checks.check_X(X, Theta)
        lambda_ = _checks.check_lambda(lambda_)
    else:
        Theta, X, Y, lambda_ = _checks.check_inputs(Theta, X, Y, lambda_, activation, output, loss)
    alpha = _checks.check_alpha(alpha)
    s = layer_sizes(Theta)
    L = len(s)
    m = X.shape[1]
    g_prime = ACTIVATIONS[activation].g_prime
    g_name = ACTIVATIONS[activation].latex
    h_name = ACTIVATIONS[output].latex
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
        d = deltas(Theta, x, y, activation, output, loss)                # (BP1), (BP2)
        # For one example and lambda = 0 the library's D(l) is the (BP3) increment d(l+1) a(l)'.
        increment = backprop(Theta, x, y, 0.0, activation, output, loss)
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
                              rf"\Bigr]_{{1:}} \odot {g_name}'\bigl(z^{{({l})}}\bigr)"),
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
    D = backprop(Theta, X, Y, lambda_, activation, output, loss)
    if "gradient" in phases:
        for l in range(1, L):
            add(phase="gradient", label="BP4, BP5", title=f"the gradient D({l}), averaged over m = {m}",
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
