r"""Exercise 3: the regularized cross-entropy cost J.

Work it out in ``notebooks/03_cost.ipynb`` and grade it there with the check cell of its Exercise
section, or in a terminal where the course's environment is active (README.md, "Self-study quick
start") with ``backprop-course grade --exercise ex03``.
"""

import numpy as np  # noqa: F401
from ex02_forward import forward  # noqa: F401  (your exercise 2; backprop_course.forward works too)


def cost(Theta, X, Y, lambda_):
    r"""The regularized cost J(Theta), averaged over the m examples.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}, l = 1 .. L-1
    X : ndarray, shape (n, m)
    Y : ndarray, shape (K, m)
        Targets in [0, 1], one column per example.
    lambda_ : float >= 0
        Regularization strength.

    Returns
    -------
    float

    Notes
    -----
    .. math::
        J = -\frac1m\sum_{t=1}^{m}\sum_{k=1}^{K}\Bigl[y_k\log a^{(L)}_k + (1-y_k)\log(1-a^{(L)}_k)\Bigr]
            + \frac{\lambda}{2m}\sum_{l}\sum_{i}\sum_{j\ge1}\bigl(\Theta^{(l)}_{ij}\bigr)^2  \quad (J)

    The bias column j = 0 is not penalized.
    """
    # Hint: (J). Average the cross-entropy over m, then add lambda/(2m) times the squares of every
    # weight except the bias column. Result: a float. Size: about 5 lines.
    raise NotImplementedError(
        'ex03_cost.cost is not implemented yet: write it with equations (J) from '
        'notebooks/03_cost.ipynb.'
    )
