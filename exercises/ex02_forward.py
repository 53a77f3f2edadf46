r"""Exercise 2: forward propagation through every layer.

Work it out in ``notebooks/02_forward_propagation.ipynb`` and grade it there with the check cell of
its Exercise section, or in a terminal where the course's environment is active (README.md,
"Self-study quick start") with ``backprop-course grade --exercise ex02``.
"""

import numpy as np  # noqa: F401
from ex01_sigmoid import sigmoid  # noqa: F401  (your exercise 1; backprop_course.sigmoid works too)


def forward(Theta, X):
    r"""Forward propagation: every layer's z(l) and a(l) for all m examples (sigmoid units).

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}, l = 1 .. L-1
        Column 0 of Theta[l] multiplies the bias unit.
    X : ndarray, shape (n, m)
        One example per column, n = s_1.

    Returns
    -------
    a : dict {l: ndarray}
        ``a[l]`` of shape (s_l + 1, m) with a row of ones (the bias unit) on top, for l = 1 .. L-1;
        ``a[L]`` of shape (K, m), the output, without a bias row.
    z : dict {l: ndarray of shape (s_l, m)}, l = 2 .. L

    Notes
    -----
    .. math::
        a^{(1)} = \begin{bmatrix}1\\x\end{bmatrix} \ (F1),\quad
        z^{(l+1)} = \Theta^{(l)} a^{(l)} \ (F2),\quad
        a^{(l+1)} = \begin{bmatrix}1\\g(z^{(l+1)})\end{bmatrix} \ (F3),\quad
        a^{(L)} = g(z^{(L)}) \ (F4)
    """
    # Hint: (F1), (F2), (F3), (F4). One loop over l = 1 .. L-1; the bias row of ones goes on top of
    # every a(l) except the output. Result: a[l] (s_l + 1, m) for l < L, a[L] (K, m), z[l] (s_l, m).
    # Size: about 8 lines.
    raise NotImplementedError(
        'ex02_forward.forward is not implemented yet: write it with equations (F1), (F2), (F3), (F4) '
        'from notebooks/02_forward_propagation.ipynb.'
    )
