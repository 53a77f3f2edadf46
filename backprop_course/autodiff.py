r"""A tiny reverse-mode automatic differentiation engine: numbers that remember how they were made.

Each operation on a :class:`Value` returns a new Value holding the result and, for each input, the
*local derivative* d(result)/d(input), written beside the forward formula. ``J.backward()`` walks
the graph from J back to the inputs (the chain rule): each input's ``grad`` gets
``local derivative * dJ/d(result)`` *added*, so a value used twice (a fan-out) sums both paths.
:func:`gradient` builds a network's cost J from Values and returns the same D as ``bp.backprop``:
(BP1)-(BP5) are these scalar sums grouped into matrix products. The engine is plain Python floats.

>>> x = Value(3.0)
>>> y = x * x + 2 * x                # dy/dx = 2x + 2 = 8
>>> y.backward(); x.grad
8.0
"""

import math
import numbers

MAX_NODES = 1_000_000  # about 300 MB and several seconds of Python: this engine is for small networks


def _as_value(x):
    """A Value as it is, a plain number wrapped as a constant Value."""
    return x if isinstance(x, Value) else Value(x)


class Value:
    """A scalar node: ``data`` (the number), ``grad`` (dJ/d data after ``J.backward()``), ``op`` (the
    operation that made it) and ``inputs``, its (input Value, local derivative) pairs."""

    __slots__ = ("data", "grad", "inputs", "op")

    def __init__(self, data, inputs=(), op=""):
        if isinstance(data, bool) or not isinstance(data, numbers.Real):
            raise TypeError(f"a Value holds a real number; got {data!r} ({type(data).__name__}).")
        self.data, self.grad, self.inputs, self.op = float(data), 0.0, tuple(inputs), op

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    # Each operation: the forward value, then (input, d result / d input) for every input.
    def __add__(self, other):
        other = _as_value(other)
        return Value(self.data + other.data, [(self, 1.0), (other, 1.0)], "+")       # add distributes

    def __sub__(self, other):
        other = _as_value(other)
        return Value(self.data - other.data, [(self, 1.0), (other, -1.0)], "-")

    def __mul__(self, other):
        other = _as_value(other)
        return Value(self.data * other.data, [(self, other.data), (other, self.data)], "*")  # mul swaps

    def __truediv__(self, other):
        other = _as_value(other)
        a, b = self.data, other.data
        if b == 0:
            raise ZeroDivisionError(f"Value division by zero ({a:g} / 0).")
        return Value(a / b, [(self, 1.0 / b), (other, -a / (b * b))], "/")      # d(a/b)/db = -a/b^2

    def __pow__(self, k):
        if isinstance(k, bool) or not isinstance(k, numbers.Real):
            raise TypeError(f"the exponent of a Value must be a plain number; got {type(k).__name__}. "
                            f"For x ** y with y a Value, write (y * x.log()).exp().")
        x = self.data
        if x == 0 and k < 1 and k != 0:
            raise ZeroDivisionError(f"0 ** {k:g}: x ** k with k < 1 has no finite derivative at x = 0.")
        if x < 0 and not float(k).is_integer():
            raise ValueError(f"({x:g}) ** {k:g} is not a real number (negative base, fractional exponent).")
        return Value(x ** k, [(self, k * x ** (k - 1) if k != 0 else 0.0)], f"**{k:g}")  # k x^(k-1)

    def __neg__(self):
        return Value(-self.data, [(self, -1.0)], "neg")

    def __abs__(self):                                            # slope 0 at the kink, as relu's
        return Value(abs(self.data), [(self, (self.data > 0) - (self.data < 0))], "abs")

    __radd__ = __add__                                            # 2 + x
    __rmul__ = __mul__                                            # 2 * x

    def __rsub__(self, other):                                    # 1 - x
        return _as_value(other) - self

    def __rtruediv__(self, other):                                # 1 / x
        return _as_value(other) / self

    def exp(self):
        if self.data > 709.78:
            raise OverflowError(f"exp({self.data:g}) exceeds the largest float (about exp(709.78)).")
        e = math.exp(self.data)
        return Value(e, [(self, e)], "exp")                       # (e^x)' = e^x

    def log(self):
        if self.data <= 0:
            raise ValueError(f"log({self.data:g}) is undefined: log needs a positive number.")
        return Value(math.log(self.data), [(self, 1.0 / self.data)], "log")   # (log x)' = 1/x

    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, [(self, 1.0 - t * t)], "tanh")            # tanh' = 1 - tanh^2

    def relu(self):
        positive = self.data > 0                                  # slope 0 at the kink, like bp.relu_gradient
        return Value(self.data if positive else 0.0, [(self, 1.0 if positive else 0.0)], "relu")

    def sigmoid(self):
        s = 0.5 * (1.0 + math.tanh(0.5 * self.data))              # 1 / (1 + e^-x) without overflow
        return Value(s, [(self, s * (1.0 - s))], "sigmoid")       # (G2) g' = g (1 - g)

    def backward(self):
        """Set ``v.grad`` = d(self)/dv for every Value v in self's graph (all grads are reset first)."""
        order = self._topological_order()
        for v in order:
            v.grad = 0.0
        self.grad = 1.0                                           # d self / d self
        for v in reversed(order):                                 # every Value before its inputs
            for inp, local in v.inputs:
                inp.grad += local * v.grad                        # chain rule; += sums the paths of a fan-out

    def _topological_order(self):
        """Every Value of the graph after its inputs: depth-first with an explicit stack rather than
        recursion (so a graph a million operations deep is fine); a Value is listed on its second pop."""
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            v, inputs_listed = stack.pop()
            if inputs_listed:
                order.append(v)
            elif v not in seen:
                seen.add(v)
                stack.append((v, True))
                stack.extend((inp, False) for inp, _ in v.inputs if inp not in seen)
        return order


# Each hidden activation g of the registry (activations.ACTIVATIONS), built from the engine's operations.
_G = {"sigmoid": Value.sigmoid, "tanh": Value.tanh, "relu": Value.relu, "identity": lambda z: z,
      "softsign": lambda z: z / (1 + abs(z))}


def _example_cost(z, y, output, loss):
    """One example's term of J from its z(L) (K Values) and y (K floats)."""
    if output == "softmax":
        shift = max(z_k.data for z_k in z)                        # a constant: softmax(z - c) = softmax(z)
        e = [(z_k - shift).exp() for z_k in z]
        total = sum(e)                                            # one node, used by all K outputs
        a = [e_k / total for e_k in e]
    else:
        a = [_G[output](z_k) for z_k in z]                        # (F4) sigmoid or identity
    if loss == "mse":
        return 0.5 * sum((a_k - y_k) ** 2 for a_k, y_k in zip(a, y, strict=True))
    if output == "softmax":
        return -sum(y_k * a_k.log() for a_k, y_k in zip(a, y, strict=True))
    return -sum(y_k * a_k.log() + (1 - y_k) * (1 - a_k).log() for a_k, y_k in zip(a, y, strict=True))


def gradient(Theta, X, Y, lambda_=0.0, activation="sigmoid", output="sigmoid", loss="cross_entropy"):
    r"""D = dJ/dTheta by reverse mode: J built from scalar Values, then one ``J.backward()``.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}, l = 1 .. L-1
    X : ndarray, shape (n, m)
    Y : ndarray, shape (K, m)
    lambda_ : float >= 0
    activation, output, loss : str, as for ``bp.backprop``

    Returns
    -------
    D : dict {l: float64 ndarray of shape (s_{l+1}, s_l + 1)}, equal to ``bp.backprop``'s up to rounding.

    Notes
    -----
    About 3 m N Values for N weights (a multiply, an add and a constant per weight and example);
    graphs above ``MAX_NODES`` are refused, and so is an output a(L) that rounds to 0 or 1 (J's
    logs are taken literally). The penalty skips the bias column j = 0, as (BP5) does.
    """
    # numpy and the checks only here, at the boundary (arrays in, arrays out): Value is plain Python.
    import numpy as np

    from ._checks import check_inputs

    Theta, X, Y, lambda_ = check_inputs(Theta, X, Y, lambda_, activation, output, loss)
    L, m, N = len(Theta) + 1, X.shape[1], sum(T.size for T in Theta.values())
    if 3 * m * N > MAX_NODES:
        raise ValueError(f"the graph of J would have about 3 m N = {3 * m * N:,} Values (m = {m} examples, "
                         f"N = {N} weights), more than MAX_NODES = {MAX_NODES:,}. Pass a few columns, "
                         f"e.g. X[:, :10] and Y[:, :10], or use bp.backprop.")
    W = {l: [[Value(w) for w in row] for row in Theta[l].tolist()] for l in Theta}
    try:
        terms = []
        for x, y in zip(X.T.tolist(), Y.T.tolist(), strict=True):
            a = [1.0] + x                                                              # (F1)
            for l in range(1, L):
                z = [sum(w * a_j for w, a_j in zip(row, a, strict=True)) for row in W[l]]  # (F2)
                if l + 1 < L:
                    a = [1.0] + [_G[activation](z_i) for z_i in z]                       # (F3)
            terms.append(_example_cost(z, y, output, loss))
        penalty = sum(w * w for l in W for row in W[l] for w in row[1:])              # j >= 1 only
        J = sum(terms) / m + lambda_ / (2 * m) * penalty                               # (J)
    except ValueError as exc:                                     # log(0): an output rounded to 0 or 1
        raise ValueError(f"building the graph of J failed: {exc} An output a(L) rounded to exactly 0 or 1, "
                         f"so J's log cannot be taken literally; bp.backprop handles these weights.") from None
    J.backward()
    return {l: np.array([[w.grad for w in row] for row in W[l]]) for l in W}
