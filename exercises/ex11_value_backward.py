r"""Exercise 11: the backward rules of a tiny reverse-mode autodiff engine.

The class ``Value`` below is written for you: each operation computes its result (the forward
part) and remembers which rule function passes gradients back to its inputs; ``backward()`` visits
every Value after all the Values that use it and calls those rules. You write the rules, one per
operation: each adds to its inputs' ``grad`` their share of the result's gradient (CG),

.. math:: \bar u = \sum_{v \,:\, u \to v} \bar v\, \frac{\partial v}{\partial u}  \quad (CG)

Work it out in ``notebooks/11_computational_graphs.ipynb`` and grade it there with the check cell of
its Exercise section, or in a terminal where the course's environment is active (README.md,
"Self-study quick start") with ``backprop-course grade --exercise ex11``.
"""

import math


class Value:
    """A number that remembers how it was made: ``data``, ``grad`` (dJ/d data after ``J.backward()``),
    ``inputs`` (the Values it was made from) and ``rule`` (the function that passes ``grad`` back to them)."""

    def __init__(self, data, inputs=(), rule=None):
        self.data = float(data)
        self.grad = 0.0
        self.inputs = tuple(inputs)
        self.rule = rule

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other))
        out.rule = lambda: add_backward(out, self, other)
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other))
        out.rule = lambda: mul_backward(out, self, other)
        return out

    def __pow__(self, k):
        out = Value(self.data ** k, (self,))                  # k is a plain number, not a Value
        out.rule = lambda: pow_backward(out, self, k)
        return out

    def tanh(self):
        out = Value(math.tanh(self.data), (self,))
        out.rule = lambda: tanh_backward(out, self)
        return out

    def exp(self):
        out = Value(math.exp(self.data), (self,))
        out.rule = lambda: exp_backward(out, self)
        return out

    __radd__ = __add__                                        # 2 + x
    __rmul__ = __mul__                                        # 2 * x

    def backward(self):
        """Set ``v.grad`` = d(self)/dv for every Value v that self was computed from."""
        order, seen = [], set()

        def visit(v):                                         # every Value after its inputs
            if v not in seen:
                seen.add(v)
                for u in v.inputs:
                    visit(u)
                order.append(v)

        visit(self)
        for v in order:
            v.grad = 0.0
        self.grad = 1.0                                       # dJ/dJ
        for v in reversed(order):                             # every Value before its inputs
            if v.rule is not None:
                v.rule()


def add_backward(out, a, b):
    r"""Pass out.grad back through out = a + b: add each input's share to a.grad and b.grad.

    Parameters
    ----------
    out : Value
        The result a + b; ``out.grad`` is dJ/d out, final when this rule runs.
    a, b : Value
        The inputs (possibly the same Value twice, as in x + x).

    Returns
    -------
    None
        The rule changes ``a.grad`` and ``b.grad`` only.

    Notes
    -----
    .. math:: \bar a \mathrel{+}= \frac{\partial (a + b)}{\partial a}\,\overline{out}, \qquad
              \bar b \mathrel{+}= \frac{\partial (a + b)}{\partial b}\,\overline{out}  \quad (CG)
    """
    # Hint: (CG). Each input's grad grows by out.grad times the local derivative of a + b with respect
    # to that input; add to grad, never assign, since a and b may be one Value. Result: nothing: it
    # adds to a.grad and b.grad. Size: about 2 lines.
    raise NotImplementedError(
        'ex11_value_backward.add_backward is not implemented yet: write it with equations (CG) from '
        'notebooks/11_computational_graphs.ipynb.'
    )


def mul_backward(out, a, b):
    r"""Pass out.grad back through out = a b: add each input's share to a.grad and b.grad.

    Parameters
    ----------
    out : Value
        The result a b; ``out.grad`` is dJ/d out.
    a, b : Value
        The inputs (possibly the same Value twice, as in x * x).

    Returns
    -------
    None

    Notes
    -----
    .. math:: \bar a \mathrel{+}= \frac{\partial (a b)}{\partial a}\,\overline{out}, \qquad
              \bar b \mathrel{+}= \frac{\partial (a b)}{\partial b}\,\overline{out}  \quad (CG)
    """
    # Hint: (CG). The local derivative of a b with respect to a is b, and the other way round. Result:
    # nothing: it adds to a.grad and b.grad. Size: about 2 lines.
    raise NotImplementedError(
        'ex11_value_backward.mul_backward is not implemented yet: write it with equations (CG) from '
        'notebooks/11_computational_graphs.ipynb.'
    )


def pow_backward(out, a, k):
    r"""Pass out.grad back through out = a ** k (k a plain number): add a's share to a.grad.

    Parameters
    ----------
    out : Value
        The result a^k; ``out.grad`` is dJ/d out.
    a : Value
    k : float
        The exponent, a number (it has no gradient).

    Returns
    -------
    None

    Notes
    -----
    .. math:: \bar a \mathrel{+}= \frac{\partial a^k}{\partial a}\,\overline{out}  \quad (CG)
    """
    # Hint: (CG). The exponent k is a plain number; the local derivative of a^k is the power rule's.
    # Result: nothing: it adds to a.grad. Size: about 1 line.
    raise NotImplementedError(
        'ex11_value_backward.pow_backward is not implemented yet: write it with equations (CG) from '
        'notebooks/11_computational_graphs.ipynb.'
    )


def tanh_backward(out, a):
    r"""Pass out.grad back through out = tanh(a): add a's share to a.grad.

    Parameters
    ----------
    out : Value
        The result tanh(a); ``out.data`` is that value, ``out.grad`` is dJ/d out.
    a : Value

    Returns
    -------
    None

    Notes
    -----
    .. math:: \bar a \mathrel{+}= \frac{\partial \tanh a}{\partial a}\,\overline{out}  \quad (CG)
    """
    # Hint: (CG). The local derivative of tanh can be written with the result out.data. Result:
    # nothing: it adds to a.grad. Size: about 1 line.
    raise NotImplementedError(
        'ex11_value_backward.tanh_backward is not implemented yet: write it with equations (CG) from '
        'notebooks/11_computational_graphs.ipynb.'
    )


def exp_backward(out, a):
    r"""Pass out.grad back through out = e^a: add a's share to a.grad.

    Parameters
    ----------
    out : Value
        The result e^a; ``out.data`` is that value, ``out.grad`` is dJ/d out.
    a : Value

    Returns
    -------
    None

    Notes
    -----
    .. math:: \bar a \mathrel{+}= \frac{\partial e^a}{\partial a}\,\overline{out}  \quad (CG)
    """
    # Hint: (CG). The local derivative of e^a is the result out.data itself. Result: nothing: it adds
    # to a.grad. Size: about 1 line.
    raise NotImplementedError(
        'ex11_value_backward.exp_backward is not implemented yet: write it with equations (CG) from '
        'notebooks/11_computational_graphs.ipynb.'
    )
