r"""Activation functions g and their derivatives g', and the registry that is their one source.

The course's network uses the sigmoid, :math:`g(z) = 1 / (1 + e^{-z})`, whose derivative has the
famous closed form :math:`g'(z) = g(z)\,(1 - g(z))` (derived in ``notebooks/01_neuron_and_sigmoid``).
The hidden layers may also use ``tanh``, ``relu``, ``softsign`` or ``identity``; the output layer may
use ``sigmoid``, ``softmax`` or ``identity``.

Every function works elementwise on arrays of any shape (softmax: on each column) and never
emits an overflow warning.

:data:`ACTIVATIONS` is the single place that knows an activation: its g and g', the fast variants
the network's hot path calls, its symbol in the equations, the range of its values and whether it
may sit in a hidden layer, the output layer or both. The argument checks, the step-through, the
plots and the playground all read it, so a new activation is one entry below (plus its tests).
"""

from types import SimpleNamespace

import numpy as np


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
    r"""g(z) = 1 / (1 + e^{-z}), written into `out` (no checks: the hot path).

    Every step of :math:`1 / (1 + e^{-z})` has a small *relative* error, so g(z) is accurate to a few
    units in the last place for every z, including the far negative tail where g(z) is tiny
    (g(-30) = 9.4e-14 to 16 digits). Only below z = -709.78 does :math:`e^{-z}` exceed the float range;
    there g(z) = e^z / (1 + e^z) equals :math:`e^{z}` to the last bit, so those entries take
    :math:`e^{z}` instead, which keeps the subnormal values down to about z = -745.
    """
    # e^{-z} or e^{z} rounding to 0 (underflow) is the right answer. An overflow of e^{-z} is rare, so
    # numpy's overflow flag finds it instead of a search over every entry; only then is e^{-z} redone.
    overflowed = None
    try:
        with np.errstate(over="raise", under="ignore"):
            np.negative(z, out=out)
            np.exp(out, out=out)
    except FloatingPointError:
        with np.errstate(over="ignore", under="ignore"):
            np.negative(z, out=out)
            np.exp(out, out=out)
        overflowed = np.isinf(out)
    out += 1.0
    np.reciprocal(out, out=out)
    if overflowed is not None:                           # there 1 / (1 + inf) = 0 becomes e^{z}
        with np.errstate(under="ignore"):
            np.exp(z, out=out, where=overflowed)
    return out


def sigmoid(z):
    r"""The logistic sigmoid g(z) = 1 / (1 + exp(-z)), elementwise.

    Parameters
    ----------
    z : float or ndarray, any shape

    Returns
    -------
    float or ndarray, same shape as `z`
        Values in [0, 1], accurate to a few units in the last place relative to g(z) itself in both
        tails (g(-30) and g(-700) to about 1e-16 relative error); never an overflow warning.

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
    .. math:: g'(z) = g(z)\,\bigl(1 - g(z)\bigr) = g(z)\, g(-z)

    The second form uses :math:`1 - g(z) = g(-z)`: both factors are then accurate sigmoids, so g'(z)
    keeps its relative accuracy in both tails, where computing :math:`1 - g(z)` would cancel.
    A short article in the notation of Andrew Ng's course writes g(z(l)) in the delta recursion where
    g'(z(l)) is meant; this is the one to use. Derived in ``notebooks/01_neuron_and_sigmoid.ipynb``.
    """
    arr = _as_z(z)
    g = _sigmoid_into(arr, np.empty_like(arr))
    with np.errstate(under="ignore"):                                   # a tiny g'(z) may round to 0
        g *= _sigmoid_into(-arr, np.empty_like(arr))                    # (G2): g(z) (1 - g(z))
    return _result(g, z)


def _sigmoid_prime_from_a(a, out):
    np.subtract(1.0, a, out=out)
    out *= a                                                             # g' = g (1 - g)
    return out


# -- tanh, relu, softsign, identity -----------------------------------------------------------

def tanh(z):
    r"""The hyperbolic tangent, g(z) = tanh(z), elementwise; values in [-1, 1]."""
    arr = _as_z(z)
    return _result(np.tanh(arr), z)


def tanh_gradient(z):
    r"""g'(z) = 1 - tanh(z)^2, elementwise; values in [0, 1]."""
    arr = _as_z(z)
    t = np.tanh(arr)
    return _result(1.0 - t * t, z)


def _tanh_into(z, out):
    return np.tanh(z, out=out)


def _tanh_prime_from_a(a, out):
    np.multiply(a, a, out=out)
    np.subtract(1.0, out, out=out)                                       # g' = 1 - g^2
    return out


def relu(z):
    r"""The rectified linear unit, g(z) = max(0, z), elementwise."""
    arr = _as_z(z)
    return _result(np.maximum(arr, 0.0), z)


def relu_gradient(z):
    r"""g'(z) = 1 where z > 0, else 0 (the kink at z = 0 is given slope 0)."""
    arr = _as_z(z)
    return _result((arr > 0).astype(arr.dtype), z)


def _relu_into(z, out):
    return np.maximum(z, 0.0, out=out)


def _relu_prime_from_a(a, out):
    return np.sign(a, out=out)                                           # a > 0 exactly where z > 0


def softsign(z):
    r"""The softsign, g(z) = z / (1 + |z|), elementwise; values in (-1, 1).

    Shaped like tanh, but it approaches its limits like 1/|z| instead of exponentially, so its slope
    fades more slowly for large |z|.
    """
    arr = _as_z(z)
    with np.errstate(invalid="ignore"):                                  # inf / inf, set to its limit below
        g = _softsign_into(arr, np.empty_like(arr))
    infinite = np.isinf(arr)
    g[infinite] = np.sign(arr[infinite])
    return _result(g, z)


def softsign_gradient(z):
    r"""g'(z) = 1 / (1 + |z|)^2, elementwise; values in (0, 1], the maximum 1 at z = 0."""
    arr = _as_z(z)
    r = 1.0 / (1.0 + np.abs(arr))
    with np.errstate(under="ignore"):                                   # for |z| > 1e154, g'(z) rounds to 0
        return _result(r * r, z)


def _softsign_into(z, out):
    np.abs(z, out=out)
    out += 1.0
    return np.divide(z, out, out=out)


def _softsign_prime_from_a(a, out):
    np.abs(a, out=out)
    np.subtract(1.0, out, out=out)                                       # 1 - |g| = 1 / (1 + |z|)
    return np.multiply(out, out, out=out)                                # g' = (1 - |g|)^2


def identity(z):
    r"""g(z) = z (a linear unit)."""
    arr = _as_z(z)
    return _result(arr.copy(), z)


def identity_gradient(z):
    r"""g'(z) = 1."""
    arr = _as_z(z)
    return _result(np.ones_like(arr), z)


def _identity_into(z, out):
    np.copyto(out, z)
    return out


def _identity_prime_from_a(a, out):
    out.fill(1.0)
    return out


# -- softmax (output layer only) ----------------------------------------------------------------

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
    return _softmax_into(arr, np.empty_like(arr))


def _softmax_into(z, out):
    np.subtract(z, z.max(axis=0, keepdims=True), out=out)
    with np.errstate(over="ignore"):  # z - max(z) below -1.8e308 rounds to -inf, and exp(-inf) = 0 is right
        np.exp(out, out=out)
    out /= out.sum(axis=0, keepdims=True)
    return out


# -- the registry ---------------------------------------------------------------------------------

class Activation(SimpleNamespace):
    r"""Everything the course knows about one activation function.

    Attributes
    ----------
    name : str
    g : callable(z) -> ndarray
        The checked function, elementwise (softmax: per column).
    g_prime : callable(z) -> ndarray, or None
        g', elementwise; None for softmax, whose derivative couples the K outputs and is folded
        into d(L) instead (:func:`backprop_course.losses.output_delta`).
    into : callable(z, out) -> out
        g(z) written into `out` without checks: the network's hot path.
    prime_from_a : callable(a, out) -> out, or None
        g'(z) written into `out` from the already computed a = g(z), which saves computing g again
        on the backward pass (BP2).
    latex : str
        The function's symbol in the equations, e.g. ``r"\tanh"``; the sigmoid is the course's g.
    values : (low, high) or None
        The range of g, used for color scales; None when g is unbounded (relu, identity).
    z_range : (low, high)
        Where plots show g.
    roles : tuple of {"hidden", "output"}
        The layers it may serve: hidden layers (g) and/or the output layer (h).
    smooth : bool
        False when g or one of its derivatives has a corner at z = 0 (relu's slope jumps there,
        softsign's curvature does): a central difference (NG) whose step straddles z = 0 is then
        less accurate, which :func:`backprop_course.check_gradients` points out.
    """


ACTIVATIONS = {
    "sigmoid": Activation(name="sigmoid", g=sigmoid, g_prime=sigmoid_gradient, into=_sigmoid_into,
                          prime_from_a=_sigmoid_prime_from_a, latex="g", values=(0.0, 1.0),
                          z_range=(-6.0, 6.0), roles=("hidden", "output"), smooth=True),
    "tanh": Activation(name="tanh", g=tanh, g_prime=tanh_gradient, into=_tanh_into,
                       prime_from_a=_tanh_prime_from_a, latex=r"\tanh", values=(-1.0, 1.0),
                       z_range=(-6.0, 6.0), roles=("hidden",), smooth=True),
    "relu": Activation(name="relu", g=relu, g_prime=relu_gradient, into=_relu_into,
                       prime_from_a=_relu_prime_from_a, latex=r"\operatorname{relu}", values=None,
                       z_range=(-6.0, 6.0), roles=("hidden",), smooth=False),
    "softmax": Activation(name="softmax", g=softmax, g_prime=None, into=_softmax_into, prime_from_a=None,
                          latex=r"\operatorname{softmax}", values=(0.0, 1.0), z_range=(-6.0, 6.0),
                          roles=("output",), smooth=True),
    "identity": Activation(name="identity", g=identity, g_prime=identity_gradient, into=_identity_into,
                           prime_from_a=_identity_prime_from_a, latex=r"\operatorname{id}", values=None,
                           z_range=(-6.0, 6.0), roles=("hidden", "output"), smooth=True),
    "softsign": Activation(name="softsign", g=softsign, g_prime=softsign_gradient, into=_softsign_into,
                           prime_from_a=_softsign_prime_from_a, latex=r"\operatorname{softsign}",
                           values=(-1.0, 1.0), z_range=(-6.0, 6.0), roles=("hidden",), smooth=False),
}

HIDDEN_ACTIVATIONS = tuple(name for name, act in ACTIVATIONS.items() if "hidden" in act.roles)
OUTPUT_ACTIVATIONS = tuple(name for name, act in ACTIVATIONS.items() if "output" in act.roles)
