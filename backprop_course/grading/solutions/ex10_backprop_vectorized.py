r"""Exercise 10: backpropagation vectorized over the m examples.

Work it out in ``notebooks/10_vectorization.ipynb`` and grade it there with the check cell of its
Exercise section, or in a terminal where the course's environment is active (README.md, "Self-study
quick start") with ``backprop-course grade --exercise ex10``.
"""

import numpy as np  # noqa: F401
from ex01_sigmoid import sigmoid_gradient  # noqa: F401  (your exercise 1)
from ex02_forward import forward  # noqa: F401  (your exercise 2)


def backprop(Theta, X, Y, lambda_):
    r"""The gradient D of the regularized cost, with all m examples as columns at once.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}, l = 1 .. L-1
    X : ndarray, shape (n, m)
    Y : ndarray, shape (K, m)
    lambda_ : float >= 0

    Returns
    -------
    D : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}
        Equal to exercise 6's result, without a loop over examples.

    Notes
    -----
    .. math::
        d^{(L)} = A^{(L)} - Y,\quad
        d^{(l)} = [\Theta^{(l)\top} d^{(l+1)}]_{\text{drop row 0}} \odot g'(Z^{(l)}),\quad
        \Delta^{(l)} = d^{(l+1)} A^{(l)\top}

    then (BP4) and (BP5) as in exercise 6: the product :math:`d\,A^\top` sums over the examples.
    """
    # BEGIN SOLUTION
    L = len(Theta) + 1
    m = X.shape[1]
    a, z = forward(Theta, X)
    d = {L: a[L] - Y}                                                   # (BP1), all m columns
    for l in range(L - 1, 1, -1):
        d[l] = (Theta[l].T @ d[l + 1])[1:] * sigmoid_gradient(z[l])     # (BP2)
    D = {}
    for l in range(1, L):
        D[l] = d[l + 1] @ a[l].T / m                                    # (BP3) summed by the product, (BP5)
        D[l][:, 1:] += lambda_ / m * Theta[l][:, 1:]                    # (BP4)
    return D
    # END SOLUTION
