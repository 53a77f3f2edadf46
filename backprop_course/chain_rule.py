r"""The chain rule on a graph of scalars: one sigmoid neuron with the cross-entropy cost (notebook 04).

The logic behind ``backprop_course.widgets.ChainRuleExplorer`` and the worked example of
``notebooks/04_chain_rule.ipynb``: forward values node by node, then gradients backward, each the
gradient from above times one local derivative. numpy only.

>>> steps = chain_rule_steps(w=0.8, b=-0.3, x=1.5, y=1.0)
>>> [s.node for s in steps]
['u', 'z', 'a', 'J', 'J', 'a', 'z', 'b', 'u', 'w', 'x']
"""

from dataclasses import dataclass

import numpy as np

from . import _checks
from .activations import sigmoid, sigmoid_gradient
from .network import cost

__all__ = ["GraphStep", "chain_rule_steps", "GRAPH_NODES", "GRAPH_EDGES"]


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
        chain rule. The product for w collapses to :math:`(a - y)\,x`, the d(L) of (BP1) times the input.

    Notes
    -----
    The forward values use the library's :func:`~backprop_course.activations.sigmoid` and
    :func:`~backprop_course.network.cost`; the local derivatives are the textbook ones and are
    checked against :func:`~backprop_course.gradient_check.numerical_gradient` in the tests and in
    ``notebooks/04_chain_rule.ipynb``.
    """
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
