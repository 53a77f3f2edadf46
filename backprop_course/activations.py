r"""Activation functions g and their derivatives g'.

The seed's network uses the sigmoid, :math:`g(z) = 1 / (1 + e^{-z})`, whose derivative has the
famous closed form :math:`g'(z) = g(z)\,(1 - g(z))` (derived in ``notebooks/01_neuron_and_sigmoid``).
The hidden layers may also use ``tanh``, ``relu`` or ``identity``; the output layer may use
``sigmoid``, ``softmax`` or ``identity``.

Every function works elementwise on arrays of any shape (softmax: on each column) and never
emits an overflow warning.
"""

from types import SimpleNamespace

import numpy as np

from . import _checks


def _as_z(z):
    """A float array view of `z`, with a clear error for non-numbers and NaN."""
    arr = np.asarray(z)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"z must be a number or an array of numbers; got dtype {arr.dtype}.")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError("z must be real; got complex numbers.")
    if not np.issubdtype(arr.dtype, np.floating):
        arr = arr.astype(np.float64)
    if np.isnan(arr).any():
        raise ValueError("z contains NaN; g(NaN) is undefined. Check what produced z.")
    return arr


def _result(arr, like):
    """Return a Python-style scalar for scalar input, the array otherwise."""
    return arr[()] if np.ndim(like) == 0 else arr


# -- sigmoid ------------------------------------------------------------------------------

def _sigmoid_into(z, out):
    r"""g(z) = 1 / (1 + e^{-z}), written into `out`.

    Computed as :math:`\tfrac12 (1 + \tanh(z/2))`, an identity of the sigmoid: tanh never
    overflows, so there is no warning for any z, the limits g(-inf) = 0 and g(inf) = 1 come
    out exactly, and one transcendental call per element keeps it fast. The absolute error
    is at most one rounding of 1 (about 1.1e-16); for z below about -20, where g(z) < 2e-9,
    use ``np.exp(z)`` if you need those tiny values to full *relative* precision.
    """
    np.multiply(z, 0.5, out=out)
    np.tanh(out, out=out)
    out *= 0.5
    out += 0.5
    return out


def sigmoid(z):
    r"""The logistic sigmoid g(z) = 1 / (1 + exp(-z)), elementwise.

    Parameters
    ----------
    z : float or ndarray, any shape

    Returns
    -------
    float or ndarray, same shape as `z`
        Values in [0, 1]; exactly 0 and 1 far in the tails, never an overflow warning.

    Notes
    -----
    .. math:: g(z) = \frac{1}{1 + e^{-z}}

    Derived in ``notebooks/01_neuron_and_sigmoid.ipynb``.
    """
    arr = _as_z(z)
    return _result(_sigmoid_into(arr, np.empty_like(arr)), z)


def sigmoid_gradient(z):
    r"""The sigmoid's derivative g'(z) = g(z) (1 - g(z)), elementwise.

    Parameters
    ----------
    z : float or ndarray, any shape

    Returns
    -------
    float or ndarray, same shape as `z`
        Values in [0, 1/4]; the maximum 1/4 is at z = 0.

    Notes
    -----
    .. math:: g'(z) = g(z)\,\bigl(1 - g(z)\bigr)

    The seed writes g(z(l)) in the delta recursion where g'(z(l)) is meant; this is the one to use.
    Derived in ``notebooks/01_neuron_and_sigmoid.ipynb``.
    """
    arr = _as_z(z)
    g = _sigmoid_into(arr, np.empty_like(arr))
    return _result(g * (1.0 - g), z)


# -- tanh, relu, identity -------------------------------------------------------------------

def tanh(z):
    r"""The hyperbolic tangent, g(z) = tanh(z), elementwise; values in [-1, 1]."""
    arr = _as_z(z)
    return _result(np.tanh(arr), z)


def tanh_gradient(z):
    r"""g'(z) = 1 - tanh(z)^2, elementwise; values in [0, 1]."""
    arr = _as_z(z)
    t = np.tanh(arr)
    return _result(1.0 - t * t, z)


def relu(z):
    r"""The rectified linear unit, g(z) = max(0, z), elementwise."""
    arr = _as_z(z)
    return _result(np.maximum(arr, 0.0), z)


def relu_gradient(z):
    r"""g'(z) = 1 where z > 0, else 0 (the kink at z = 0 is given slope 0)."""
    arr = _as_z(z)
    return _result((arr > 0).astype(arr.dtype), z)


def identity(z):
    r"""g(z) = z (a linear unit)."""
    arr = _as_z(z)
    return _result(arr.copy(), z)


def identity_gradient(z):
    r"""g'(z) = 1."""
    arr = _as_z(z)
    return _result(np.ones_like(arr), z)


def softmax(z):
    r"""Column-wise softmax: a_k = exp(z_k) / sum_j exp(z_j) for each column of `z`.

    Parameters
    ----------
    z : ndarray, shape (K, m)

    Returns
    -------
    ndarray, shape (K, m)
        Each column is a probability vector (non-negative, sums to 1).

    Notes
    -----
    Shift-stable: subtracting each column's maximum first changes nothing mathematically and
    keeps exp from overflowing, so ``softmax(z + 1000) == softmax(z)``.
    """
    arr = _as_z(z)
    if arr.ndim != 2:
        raise ValueError(f"softmax expects z of shape (K, m), one column per example; got shape {arr.shape}.")
    if np.isinf(arr).any():
        where = tuple(int(i) for i in np.argwhere(np.isinf(arr))[0])
        raise ValueError(
            f"softmax needs finite z; z{list(where)} is {arr[where]} (exp(inf) / exp(inf) is undefined). "
            f"An infinite z means the weights or inputs blew up upstream: check them first."
        )
    with np.errstate(over="ignore"):  # z - max(z) below -1.8e308 rounds to -inf, and exp(-inf) = 0 is right
        return _softmax_into(arr, np.empty_like(arr))


def _softmax_into(z, out):
    np.subtract(z, z.max(axis=0, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= out.sum(axis=0, keepdims=True)
    return out


# -- the registry the network uses ------------------------------------------------------------
# `into(z, out)` writes g(z) into out without checks (the hot path); `prime_from_a(a, z, out)` writes
# g'(z) into out using the already computed a = g(z), which saves recomputing g on the backward pass.

def _tanh_into(z, out):
    return np.tanh(z, out=out)


def _relu_into(z, out):
    return np.maximum(z, 0.0, out=out)


def _identity_into(z, out):
    np.copyto(out, z)
    return out


def _sigmoid_prime_from_a(a, z, out):
    np.subtract(1.0, a, out=out)
    out *= a                                                             # g' = g (1 - g)
    return out


def _tanh_prime_from_a(a, z, out):
    np.multiply(a, a, out=out)
    np.subtract(1.0, out, out=out)                                       # g' = 1 - g^2
    return out


def _relu_prime_from_a(a, z, out):
    return np.sign(a, out=out)                                           # a > 0 exactly where z > 0


def _identity_prime_from_a(a, z, out):
    out.fill(1.0)
    return out


ACTIVATIONS = {
    "sigmoid": SimpleNamespace(g=sigmoid, g_prime=sigmoid_gradient,
                               into=_sigmoid_into, prime_from_a=_sigmoid_prime_from_a),
    "tanh": SimpleNamespace(g=tanh, g_prime=tanh_gradient,
                            into=_tanh_into, prime_from_a=_tanh_prime_from_a),
    "relu": SimpleNamespace(g=relu, g_prime=relu_gradient,
                            into=_relu_into, prime_from_a=_relu_prime_from_a),
    "identity": SimpleNamespace(g=identity, g_prime=identity_gradient,
                                into=_identity_into, prime_from_a=_identity_prime_from_a),
}
OUTPUT_INTO = {"sigmoid": _sigmoid_into, "softmax": _softmax_into, "identity": _identity_into}


def get(name):
    """The activation called `name` (its g, g' and fast variants), with a clear error if unknown."""
    _checks.check_choice("activation", name, _checks.HIDDEN_ACTIVATIONS)
    return ACTIVATIONS[name]
