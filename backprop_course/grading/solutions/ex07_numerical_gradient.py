r"""Exercise 7: the numerical gradient by central differences.

Work it out in ``notebooks/07_gradient_checking.ipynb`` and grade it there with the check cell of
its Exercise section, or in a terminal where the course's environment is active (README.md,
"Self-study quick start") with ``backprop-course grade --exercise ex07``.
"""

import numpy as np  # noqa: F401
from ex03_cost import cost  # noqa: F401  (your exercise 3; backprop_course.cost works too)


def numerical_gradient(Theta, X, Y, lambda_, epsilon):
    r"""dJ/dTheta estimated by central differences, one weight at a time.

    Parameters
    ----------
    Theta : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}, l = 1 .. L-1
        Not modified.
    X : ndarray, shape (n, m)
    Y : ndarray, shape (K, m)
    lambda_ : float >= 0
    epsilon : float > 0
        The step, e.g. 1e-4.

    Returns
    -------
    D : dict {l: ndarray of shape (s_{l+1}, s_l + 1)}

    Notes
    -----
    .. math::
        \frac{\partial J}{\partial \Theta^{(l)}_{ij}} \approx
        \frac{J(\Theta + \epsilon E_{ij}) - J(\Theta - \epsilon E_{ij})}{2\epsilon}  \quad (NG)
    """
    # BEGIN SOLUTION
    work = {l: T.astype(np.float64, copy=True) for l, T in Theta.items()}
    D = {}
    for l, T in work.items():
        D[l] = np.zeros_like(T)
        for i, j in np.ndindex(*T.shape):
            original = T[i, j]
            T[i, j] = original + epsilon
            J_plus = cost(work, X, Y, lambda_)
            T[i, j] = original - epsilon
            J_minus = cost(work, X, Y, lambda_)
            T[i, j] = original                                          # put it back
            D[l][i, j] = (J_plus - J_minus) / (2 * epsilon)             # (NG)
    return D
    # END SOLUTION
