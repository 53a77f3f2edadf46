r"""Exercise 6: backpropagation over m examples, one example at a time (the algorithm's steps 1-3).

Work it out in ``notebooks/06_m_examples_regularization.ipynb`` and grade it there with the check
cell of its Exercise section, or in a terminal where the course's environment is active (README.md,
"Self-study quick start") with ``backprop-course grade --exercise ex06``.
"""

import numpy as np  # noqa: F401
from ex02_forward import forward  # noqa: F401  (your exercise 2)
from ex05_deltas import deltas  # noqa: F401  (your exercise 5)


def backprop_loop(Theta, X, Y, lambda_):
    r"""The gradient D of the regularized cost, accumulated example by example.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}, l = 1 .. L-1
    X : ndarray, shape (n, m)
    Y : ndarray, shape (K, m)
    lambda_ : float >= 0

    Returns
    -------
    D : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}, l = 1 .. L-1
        D(l) = dJ/dTheta(l).

    Notes
    -----
    1. :math:`\Delta^{(l)} := 0` (BP0).
    2. For each example t: its d(l) (exercise 5), then
       :math:`\Delta^{(l)} := \Delta^{(l)} + d^{(l+1)} (a^{(l)})^\top` (BP3).
    3. :math:`D^{(l)}_{ij} = \frac1m(\Delta^{(l)}_{ij} + \lambda\Theta^{(l)}_{ij})` for j >= 1 (BP4),
       :math:`D^{(l)}_{i0} = \frac1m\Delta^{(l)}_{i0}` (BP5).
    """
    # BEGIN SOLUTION
    L = len(Theta) + 1
    m = X.shape[1]
    Delta = {l: np.zeros_like(Theta[l]) for l in range(1, L)}          # (BP0)
    for t in range(m):
        x, y = X[:, [t]], Y[:, [t]]                                     # one column each
        a, _ = forward(Theta, x)
        d = deltas(Theta, x, y)                                         # (BP1), (BP2)
        for l in range(1, L):
            Delta[l] += d[l + 1] @ a[l].T                               # (BP3)
    D = {}
    for l in range(1, L):
        D[l] = Delta[l] / m                                             # (BP5) and the 1/m of (BP4)
        D[l][:, 1:] += lambda_ / m * Theta[l][:, 1:]                    # (BP4)
    return D
    # END SOLUTION
