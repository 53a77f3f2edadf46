r"""Why backpropagation is efficient, measured: the numerical gradient against backprop, timed and counted.

The numerical gradient (NG) runs two forward passes per weight, 2 N in all for N weights; backprop
runs one forward pass and one backward pass whose matrix products cost at most two forward passes
more. Numpy only; timings vary from run to run and machine to machine, the ratio is what to read.
"""

import time

import numpy as np

from . import _checks
from .gradient_check import _central_difference, relative_error
from .network import _backprop, _checked, layer_sizes


def backprop_passes(Theta):
    r"""Backprop's matrix-product work, counted in forward passes (a number between 2 and 3).

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}, l = 1 .. L-1

    Returns
    -------
    float

    Notes
    -----
    Per example, a forward pass makes one multiply-add per weight, N in all (F2). The backward pass
    makes N more for :math:`\Delta^{(l)} = d^{(l+1)} a^{(l)\top}` (BP3), and
    :math:`s_l\, s_{l+1}` for each :math:`\Theta^{(l)\top} d^{(l+1)}` with l >= 2 (BP2); layer 1's
    is never computed, since no one needs the inputs' error. So backprop costs
    :math:`2 + \sum_{l \ge 2} s_l s_{l+1} / N` forward passes: 3 at most, fewer with a wide input.
    """
    Theta = _checks.check_theta(Theta)
    s = dict(enumerate(layer_sizes(Theta), start=1))                     # s[l], l = 1 .. L
    N = sum(T.size for T in Theta.values())
    return 2 + sum(s[l] * s[l + 1] for l in range(2, len(Theta) + 1)) / N


def time_gradients(Theta, X, Y, repeats=3, lambda_=0.0, epsilon=1e-4, activation="sigmoid", output="sigmoid",
                   loss="cross_entropy"):
    r"""Time the numerical gradient against backprop on the same network and data, and count their work.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}, l = 1 .. L-1
    X : ndarray, shape (n, m)
    Y : ndarray, shape (K, m)
    repeats : int >= 1
        Each gradient is computed `repeats` times and its fastest time kept. One numerical gradient
        costs 2 N forward passes, so keep the network small (the digits' 1,885 weights take seconds).
    lambda_, epsilon, activation, output, loss
        As :func:`~backprop_course.numerical_gradient`.

    Returns
    -------
    dict
        ``"weights"``: N, every entry of every Theta(l), bias columns included.
        ``"numerical_seconds"``, ``"backprop_seconds"``: one gradient each, the best of `repeats`.
        ``"ratio"``: numerical_seconds / backprop_seconds, measured.
        ``"numerical_passes"``: 2 N, the forward passes of the central differences (NG).
        ``"backprop_passes"``: :func:`backprop_passes`, between 2 and 3.
        ``"predicted_ratio"``: numerical_passes / backprop_passes, what counting alone predicts.
        ``"relative_error"``: between the two gradients, to show that both computed the same D.
    """
    repeats = _checks.check_number("repeats", repeats, low=1, integer=True,
                                   hint="repeats is how many times each gradient is timed; the best time is kept.")
    model = dict(activation=activation, output=output, loss=loss)
    Theta, X, Y, lambda_ = _checked(Theta, X, Y, lambda_, **model)
    epsilon = _checks.check_number("epsilon", epsilon, low=0.0, low_open=True, hint="A typical step is 1e-4.")
    computations = {
        "numerical": lambda: _central_difference(Theta, X, Y, lambda_, epsilon, model, np.float64),   # (NG)
        "backprop": lambda: _backprop(Theta, X, Y, lambda_, **model),
    }
    result, D = {"weights": sum(T.size for T in Theta.values())}, {}
    with np.errstate(over="ignore", invalid="ignore"):              # a non-finite D is reported by relative_error
        for name, compute in computations.items():
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                D[name] = compute()
                times.append(time.perf_counter() - start)
            result[f"{name}_seconds"] = min(times)
    result["ratio"] = result["numerical_seconds"] / max(result["backprop_seconds"], 1e-12)
    result["numerical_passes"] = 2 * result["weights"]
    result["backprop_passes"] = backprop_passes(Theta)
    result["predicted_ratio"] = result["numerical_passes"] / result["backprop_passes"]
    result["relative_error"] = relative_error(D["numerical"], D["backprop"])
    return result
