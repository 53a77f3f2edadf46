r"""Exercise 5: the errors d(l) of one training example.

Work it out in ``notebooks/05_backprop_one_example.ipynb`` and grade it there with the check cell of
its Exercise section, or in a terminal where the course's environment is active (README.md,
"Self-study quick start") with ``backprop-course grade --exercise ex05``.
"""

import numpy as np  # noqa: F401
from ex01_sigmoid import sigmoid_gradient  # noqa: F401  (your exercise 1)
from ex02_forward import forward  # noqa: F401  (your exercise 2)


def deltas(Theta, x, y):
    r"""The error d(l) = dJ/dz(l) of every layer l = 2 .. L for one example (sigmoid units).

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}, l = 1 .. L-1
    x : ndarray, shape (n, 1)
        One example, a column.
    y : ndarray, shape (K, 1)
        Its target, a column.

    Returns
    -------
    d : dict {l: ndarray of shape (s_l, 1)}, l = 2 .. L
        No bias row: the bias unit has no error.

    Notes
    -----
    .. math::
        d^{(L)} = a^{(L)} - y \ (BP1),\qquad
        d^{(l)} = \Bigl[\bigl(\Theta^{(l)}\bigr)^{\top} d^{(l+1)}\Bigr]_{\text{drop row 0}} \odot g'(z^{(l)})
        \ (BP2)
    """
    # BEGIN SOLUTION
    L = len(Theta) + 1
    a, z = forward(Theta, x)
    d = {L: a[L] - y}                                                   # (BP1)
    for l in range(L - 1, 1, -1):
        d[l] = (Theta[l].T @ d[l + 1])[1:] * sigmoid_gradient(z[l])     # (BP2)
    return d
    # END SOLUTION
