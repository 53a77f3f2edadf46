r"""The chain rule on a graph of scalars: one sigmoid neuron with the regularized cross-entropy (notebook 04).

The logic behind ``backprop_course.widgets.ChainRuleExplorer`` and the worked example of
``notebooks/04_chain_rule.ipynb``: forward values node by node, then gradients backward, each the
gradient from above times one local derivative. The weight w feeds two nodes (u = w x and the
penalty r = lambda w^2 / 2), so its gradient is the *sum* over the two paths: the multivariate chain
rule (fan-out) that (BP2) uses for every hidden unit. numpy only.

>>> steps = chain_rule_steps(w=0.8, b=-0.3, x=1.5, y=1.0, lambda_=0.2)
>>> [s.node for s in steps]
['u', 'z', 'a', 'r', 'J', 'J', 'a', 'r', 'z', 'b', 'u', 'w', 'x']
>>> [len(s.edges) for s in steps if s.node == "w"]
[2]
"""

from dataclasses import dataclass

import numpy as np

from . import _checks
from .activations import sigmoid, sigmoid_gradient
from .network import cost

__all__ = ["GraphStep", "chain_rule_steps", "GRAPH_NODES", "GRAPH_EDGES"]


# One sigmoid neuron with the cross-entropy cost and the penalty of notebook 03 (m = 1), written as a
# graph of elementary operations. node: (label, x position, y position); the drawing in
# plotting.network.draw_scalar_graph uses these.
GRAPH_NODES = {
    "w": ("w", 0.0, 0.5), "x": ("x", 0.0, -0.5), "u": ("u = w x", 1.5, 0.0), "b": ("b", 1.5, -1.2),
    "z": ("z = u + b", 3.0, 0.0), "a": ("a = g(z)", 4.5, 0.0), "r": (r"r = \lambda w^2 / 2", 3.0, 1.5),
    "J": (r"J = \mathrm{CE} + r", 6.7, 0.0),
}
GRAPH_EDGES = [("x", "u"), ("w", "u"), ("u", "z"), ("b", "z"), ("z", "a"), ("a", "J"), ("w", "r"), ("r", "J")]


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
    edges : tuple of (from, to)
        The edges along which this step's numbers travel: the inputs a forward value reads, the
        paths a gradient arrives along (two for w, where the paths meet; none for dJ/dJ = 1).
    """

    index: int
    phase: str
    node: str
    latex: str
    value: float
    values: dict
    grads: dict
    edges: tuple


def chain_rule_steps(w, b, x, y, lambda_=0.0):
    r"""Forward values then backward gradients on the graph of one regularized sigmoid neuron.

    Parameters
    ----------
    w, b, x : float
        Weight, bias and input: :math:`u = w x`, :math:`z = u + b`, :math:`a = g(z)`.
    y : float in [0, 1]
        The target.
    lambda_ : float >= 0
        The regularization strength: :math:`r = \tfrac{\lambda}{2} w^2`, the penalty of (J) for one
        example, and :math:`J = -[y \log a + (1 - y)\log(1 - a)] + r`, which equals
        :func:`~backprop_course.network.cost` of the 1-1 network ``Theta[1] = [[b, w]]``.

    Returns
    -------
    list of :class:`GraphStep`
        Five forward steps (u, z, a, r, J), then eight backward steps from dJ/dJ = 1 to dJ/dw and
        dJ/dx. Each backward step multiplies the gradient arriving from above by one local derivative:
        the chain rule. w feeds both u and r, so its step adds the two paths:
        :math:`\partial J/\partial w = (\partial J/\partial u)\,x + (\partial J/\partial r)\,\lambda w`,
        which is :math:`(a - y)\,x + \lambda w`, the d(L) of (BP1) times the input plus the penalty's
        share, as in (BP4).

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
    lambda_ = _checks.check_lambda(lambda_)
    values, grads, steps = {"x": x, "w": w, "b": b}, {}, []

    def add(phase, node, latex, value, edges):
        (values if phase == "forward" else grads)[node] = value
        steps.append(GraphStep(len(steps), phase, node, latex, float(value), dict(values), dict(grads), edges))

    u = w * x + 0.0                                        # + 0.0 turns -0.0 into 0.0 for display
    add("forward", "u", rf"u = w\,x = {w:.3f} \times {x:.3f} = {u:.4f}", u, (("w", "u"), ("x", "u")))
    z = u + b
    add("forward", "z", rf"z = u + b = {u:.4f} + {b:.3f} = {z:.4f}", z, (("u", "z"), ("b", "z")))
    a = float(sigmoid(z))
    add("forward", "a", rf"a = g(z) = \frac{{1}}{{1 + e^{{-z}}}} = {a:.4f}", a, (("z", "a"),))
    r = lambda_ / 2 * w**2
    add("forward", "r", rf"r = \frac{{\lambda}}{{2}} w^2 = \frac{{{lambda_:.3f}}}{{2}} \times {w:.3f}^2 = {r:.4f}",
        r, (("w", "r"),))
    J = cost({1: np.array([[b, w]])}, np.array([[x]]), np.array([[y]]), lambda_)
    add("forward", "J", rf"J = -\bigl[y \log a + (1 - y)\log(1 - a)\bigr] + r = {J:.4f}", J,
        (("a", "J"), ("r", "J")))

    add("backward", "J", r"\frac{\partial J}{\partial J} = 1", 1.0, ())
    dJ_da = -y / a + (1 - y) / (1 - a)                     # local derivative of the cross-entropy
    add("backward", "a", rf"\frac{{\partial J}}{{\partial a}} = -\frac{{y}}{{a}} + \frac{{1 - y}}{{1 - a}}"
        rf" = {dJ_da:.4f}", dJ_da, (("J", "a"),))
    add("backward", "r", r"\frac{\partial J}{\partial r} = 1", 1.0, (("J", "r"),))
    g_prime = float(sigmoid_gradient(z))
    dJ_dz = dJ_da * g_prime
    add("backward", "z", rf"\frac{{\partial J}}{{\partial z}} = \frac{{\partial J}}{{\partial a}}\, g'(z)"
        rf" = {dJ_da:.4f} \times {g_prime:.4f} = {dJ_dz:.4f}", dJ_dz, (("a", "z"),))
    add("backward", "b", rf"\frac{{\partial J}}{{\partial b}} = \frac{{\partial J}}{{\partial z}} \cdot 1"
        rf" = {dJ_dz:.4f}", dJ_dz, (("z", "b"),))
    add("backward", "u", rf"\frac{{\partial J}}{{\partial u}} = \frac{{\partial J}}{{\partial z}} \cdot 1"
        rf" = {dJ_dz:.4f}", dJ_dz, (("z", "u"),))
    via_u, via_r = dJ_dz * x, 1.0 * lambda_ * w            # the two paths from J to w
    dJ_dw = via_u + via_r + 0.0
    add("backward", "w", rf"\frac{{\partial J}}{{\partial w}} = \frac{{\partial J}}{{\partial u}}\, x"
        rf" + \frac{{\partial J}}{{\partial r}}\, \lambda w = {dJ_dz:.4f} \times {x:.3f} + 1 \times {lambda_:.3f}"
        rf" \times {w:.3f} = {via_u:.4f} + {via_r:.4f} = {dJ_dw:.4f}", dJ_dw, (("u", "w"), ("r", "w")))
    dJ_dx = dJ_dz * w + 0.0
    add("backward", "x", rf"\frac{{\partial J}}{{\partial x}} = \frac{{\partial J}}{{\partial u}}\, w"
        rf" = {dJ_dz:.4f} \times {w:.3f} = {dJ_dx:.4f}", dJ_dx, (("u", "x"),))
    return steps
